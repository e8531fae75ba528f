{% macro validate_events_file(events_file) -%}
    {%- set quoted = prospect_scoring.quote_literal(events_file) -%}
    {%- set matches = run_query("select count(*) from glob(" ~ quoted ~ ")").columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error("snowplow__events_file '" ~ events_file ~ "' matches no file (relative paths are relative to the directory dbt runs in). Point it at a CSV, CSV.gz or Parquet file or glob of Snowplow atomic events.") }}
    {%- endif -%}
    {%- set names = run_query("select column_name from (describe select * from " ~ quoted ~ ")").columns[0].values() | map('lower') | list -%}
    {%- do prospect_scoring._check_required_columns("snowplow__events_file '" ~ events_file ~ "'", names) -%}
{%- endmacro %}
