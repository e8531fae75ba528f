{#- Snowflake: window_first_last (whole_visitor) is the value as of the event already. -#}
{% macro snowflake__lifetime_first_value(agg_column) -%}
    {{ agg_column }}
{%- endmacro %}
