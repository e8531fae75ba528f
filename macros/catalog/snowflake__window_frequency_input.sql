{#- Snowflake: the running-count key of a lifetime most_frequent (see _running_mode_key). -#}
{% macro snowflake__window_frequency_input(value, attribute) -%}
    {{ prospect_scoring._running_mode_key(value, attribute) }}
{%- endmacro %}
