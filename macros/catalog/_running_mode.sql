{#-
    The window item of a lifetime most_frequent of a string property on
    Snowflake and BigQuery: the value part of the smallest running-count key over
    the strictly earlier events (see _running_mode_key). On Snowflake anything
    else of most_frequent / least_frequent stops compilation with one line
    naming the attribute and where it works (least_frequent and periods need the
    window's whole histogram: counts in a frame also fall, so no running key
    orders them; see docs/attributes.md). BigQuery reduces those from the
    frame's values instead (bigquery__window_frequency, window_reduce).
-#}
{% macro _running_mode(value, aggregation, window, attribute) -%}
    {%- if attribute is not none and prospect_scoring._running_mode_applies(attribute) -%}
    substr(min({{ value }}) over {{ window }}, 14)
    {%- else -%}
    {{ exceptions.raise_compiler_error("attribute '" ~ (attribute.name if attribute is not none else value) ~ "': aggregation '" ~ aggregation ~ "' is implemented on the adapter '" ~ target.type ~ "' only as a lifetime most_frequent of a string property (no period) yet; use it on DuckDB, BigQuery or Spark, or leave the attribute out.") }}
    {%- endif -%}
{%- endmacro %}
