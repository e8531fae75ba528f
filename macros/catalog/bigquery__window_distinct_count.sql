{#- BigQuery: a distinct count with a period is refused with one line (see _window_distinct_count_refused). -#}
{% macro bigquery__window_distinct_count(value, window) -%}
    {{ prospect_scoring._window_distinct_count_refused(value) }}
{%- endmacro %}
