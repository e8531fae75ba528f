{#-
    The window item of a most_frequent / least_frequent attribute on Snowflake
    and BigQuery: for a lifetime most_frequent of a string property, the value
    part of the smallest running-count key over the strictly earlier events
    (see _running_mode_key); anything else stops compilation with one line
    naming the attribute and where it works. (least_frequent and periods need
    the window's whole histogram: counts in a frame also fall, so no running
    key orders them; Snowflake allows no DISTINCT aggregate in a framed window,
    and GoogleSQL has no lambdas to reduce a window's ARRAY_AGG; see
    docs/attributes.md.)
-#}
{% macro _running_mode(value, aggregation, window, attribute) -%}
    {%- if attribute is not none and prospect_scoring._running_mode_applies(attribute) -%}
    substr(min({{ value }}) over {{ window }}, 14)
    {%- else -%}
    {{ exceptions.raise_compiler_error("attribute '" ~ (attribute.name if attribute is not none else value) ~ "': aggregation '" ~ aggregation ~ "' is implemented on the adapter '" ~ target.type ~ "' only as a lifetime most_frequent of a string property (no period) yet; use it on DuckDB or Spark, or leave the attribute out.") }}
    {%- endif -%}
{%- endmacro %}
