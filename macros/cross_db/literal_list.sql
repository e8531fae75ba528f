{% macro literal_list(values) -%}
    {%- for value in values -%}{{ prospect_scoring.quote_literal(value) }}{{ ", " if not loop.last }}{%- endfor -%}
{%- endmacro %}
