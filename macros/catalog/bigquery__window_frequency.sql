{#- BigQuery: lifetime most_frequent of a string property; the rest refused with one line (see _running_mode). -#}
{% macro bigquery__window_frequency(value, aggregation, window, attribute=none) -%}
    {{ prospect_scoring._running_mode(value, aggregation, window, attribute) }}
{%- endmacro %}
