{#- Snowflake: one value per instant, the first / last by event_id (see window_first_last_input). -#}
{% macro snowflake__window_first_last_input(value, aggregation) -%}
    {{ prospect_scoring._first_last_instant_winner(value, aggregation) }}
{%- endmacro %}
