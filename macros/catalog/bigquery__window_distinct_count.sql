{#- BigQuery: the frame's values (_bigquery_window_values); window_reduce counts the distinct ones. -#}
{% macro bigquery__window_distinct_count(value, window) -%}
    {{ prospect_scoring._bigquery_window_values(value, window) }}
{%- endmacro %}
