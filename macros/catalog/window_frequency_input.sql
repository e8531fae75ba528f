{#-
    The per-event input of a most_frequent / least_frequent attribute (`value`,
    the property of an eligible event, else null), as attribute_input() writes
    it. The default keeps the value as it is (DuckDB and Spark reduce the
    window's values themselves). Snowflake and BigQuery, which cannot reduce a
    window's values to their most frequent one, get the running-count key of
    `_running_mode_key` for a lifetime most_frequent of a string property.
-#}
{% macro window_frequency_input(value, attribute) -%}
    {{- return(adapter.dispatch('window_frequency_input', 'prospect_scoring')(value, attribute)) -}}
{%- endmacro %}

{% macro default__window_frequency_input(value, attribute) -%}
    {{ value }}
{%- endmacro %}
