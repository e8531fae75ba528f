{% macro timestamp_literal(text) -%}
    cast({{ prospect_scoring.quote_literal(text) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
