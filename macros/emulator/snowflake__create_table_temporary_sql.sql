{#-
    Snowflake emulator (fakesnow) only: active when the environment variable
    DBT_FAKESNOW is 1, which only the offline checks set (tests/python/
    test_warehouse_emulators.py). Otherwise both macros hand over to
    dbt-snowflake's own implementation, so a real Snowflake run is unchanged.

    fakesnow runs on DuckDB, which refuses `create temporary table db.schema.x`
    (temporary tables live in DuckDB's "temp" catalog). dbt makes temporary
    relations for unit tests; under the emulator they are transient (ordinary)
    tables instead, which dbt drops afterwards as usual.
-#}
{% macro snowflake__create_table_temporary_sql(relation, compiled_code) -%}
    {%- if env_var('DBT_FAKESNOW', '') == '1' -%}
        {{ dbt.snowflake__create_table_transient_sql(relation, compiled_code) }}
    {%- else -%}
        {{ dbt.snowflake__create_table_temporary_sql(relation, compiled_code) }}
    {%- endif -%}
{%- endmacro %}
