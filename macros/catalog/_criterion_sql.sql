{#- One criterion of an attribute as SQL (null when the property is null: false in a CASE WHEN). -#}
{% macro _criterion_sql(criterion) -%}
    {%- if criterion.operator in ['is null', 'is not null'] -%}
        {{- criterion.column ~ ' ' ~ criterion.operator -}}
    {%- elif criterion.operator == 'in' -%}
        {%- set items = [] -%}
        {%- for item in criterion.value -%}{%- do items.append(prospect_scoring.sql_value_literal(item)) -%}{%- endfor -%}
        {{- criterion.column ~ ' in (' ~ (items | join(', ')) ~ ')' -}}
    {%- else -%}
        {{- criterion.column ~ ' ' ~ ('<>' if criterion.operator == '!=' else criterion.operator) ~ ' ' ~ prospect_scoring.sql_value_literal(criterion.value) -}}
    {%- endif -%}
{%- endmacro %}
