{#-
    Snowflake: COUNT(DISTINCT ...) is not allowed in a framed window, and no
    form that an offline emulator can prove is implemented yet: a distinct count
    with a period stops the build with one line (lifetime distinct counts are
    counters of first occurrences, which work everywhere; BigQuery counts the
    frame's values, bigquery__window_distinct_count).
-#}
{% macro _window_distinct_count_refused(value) -%}
    {{ exceptions.raise_compiler_error("approx_count_distinct / unique_list with a period is not implemented on the adapter '" ~ target.type ~ "' yet (input " ~ value ~ "); leave out the period (lifetime distinct counts work), or use it on DuckDB, BigQuery or Spark.") }}
{%- endmacro %}
