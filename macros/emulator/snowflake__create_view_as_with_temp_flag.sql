{% macro snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary=False) -%}
    {%- if env_var('DBT_FAKESNOW', '') == '1' -%}
        {{ dbt.snowflake__create_view_as_with_temp_flag(relation, sql, False) }}
    {%- else -%}
        {{ dbt.snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary) }}
    {%- endif -%}
{%- endmacro %}
