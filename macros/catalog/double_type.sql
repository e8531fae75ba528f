{#- A 64-bit float column type (dbt.type_float() is a 32-bit FLOAT on DuckDB). -#}
{% macro double_type() -%}
    {{- return(adapter.dispatch('double_type', 'prospect_scoring')()) -}}
{%- endmacro %}

{% macro default__double_type() -%}
    {{ dbt.type_float() }}
{%- endmacro %}

{% macro duckdb__double_type() -%}
    double
{%- endmacro %}
