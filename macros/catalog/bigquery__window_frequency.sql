{#-
    BigQuery: not implemented yet. ARRAY_AGG may be a window function over a
    frame, but aggregate clauses (DISTINCT, IGNORE NULLS) cannot be used in a
    window function call, GoogleSQL has no lambdas over arrays, and reducing
    the window's array to its most / least frequent value needs a scalar
    subquery over UNNEST of the analytic result: not proven to be accepted by
    BigQuery (the emulator runs on DuckDB, which accepts more), so the safe
    form is a second query stage over the arrays (a model change).
    most_frequent / least_frequent stop compilation with one line.
-#}
{% macro bigquery__window_frequency(value, aggregation, window) -%}
    {{ exceptions.raise_compiler_error("aggregation '" ~ aggregation ~ "' is not implemented on the adapter '" ~ target.type ~ "' yet (input " ~ value ~ "); use it on DuckDB or Spark, or leave the attribute out.") }}
{%- endmacro %}
