{#- BigQuery: the running-count key of a lifetime most_frequent (see _running_mode_key). -#}
{% macro bigquery__window_frequency_input(value, attribute) -%}
    {{ prospect_scoring._running_mode_key(value, attribute) }}
{%- endmacro %}
