{#- A criterion's value as SQL: strings as escaped literals, booleans as true/false, numbers as numbers. -#}
{% macro sql_value_literal(value) -%}
    {%- if value is boolean -%}{{ 'true' if value else 'false' }}
    {%- elif value is number -%}{{ value | string }}
    {%- else -%}{{ prospect_scoring.quote_literal(value) }}
    {%- endif -%}
{%- endmacro %}
