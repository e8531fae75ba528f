{#-
    Every timestamp is UTC. DuckDB converts a TIMESTAMPTZ (a CSV value with an offset
    or `Z`, a Parquet TIMESTAMPTZ column as BigQuery exports it) to a TIMESTAMP in the
    session's time zone, which is the machine's unless the profile sets it; this
    project's profile sets `TimeZone: UTC`. A profile without it would silently shift
    events on a machine outside UTC, so the run stops instead.
-#}
{% macro validate_session_time_zone() -%}
    {{- return(adapter.dispatch('validate_session_time_zone', 'prospect_scoring')()) -}}
{%- endmacro %}

{#- Warehouses: a TIMESTAMP (BigQuery) or TIMESTAMP_NTZ column carries no zone; nothing to check. -#}
{% macro default__validate_session_time_zone() -%}
{%- endmacro %}

{% macro duckdb__validate_session_time_zone() -%}
    {%- set zone = run_query("select current_setting('TimeZone')").columns[0].values()[0] -%}
    {%- if zone != 'UTC' -%}
        {{ exceptions.raise_compiler_error("The DuckDB session time zone is '" ~ zone ~ "', not UTC: timestamps with an offset would be shifted to it. Add `settings: {TimeZone: UTC}` to the duckdb output of your dbt profile (as profiles.yml here does).") }}
    {%- endif -%}
{%- endmacro %}
