{#- The SQL type of a column of logical type `data_type` (integer, double, string, boolean, timestamp). -#}
{% macro attribute_sql_type(data_type) -%}
    {%- if data_type == 'integer' -%}{{ dbt.type_bigint() }}
    {%- elif data_type == 'double' -%}{{ prospect_scoring.double_type() }}
    {%- elif data_type == 'boolean' -%}{{ dbt.type_boolean() }}
    {%- elif data_type == 'timestamp' -%}{{ dbt.type_timestamp() }}
    {%- else -%}{{ dbt.type_string() }}
    {%- endif -%}
{%- endmacro %}
