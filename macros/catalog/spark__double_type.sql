{#- Spark and Databricks form of double_type: `double` (dbt.type_float() is a 32-bit FLOAT on Spark). -#}
{% macro spark__double_type() -%}
    double
{%- endmacro %}
