{% macro validate_events_file(events_file) -%}
    {%- set quoted = prospect_scoring.quote_literal(events_file) -%}
    {%- set matches = run_query("select count(*) from glob(" ~ quoted ~ ")").columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error("snowplow__events_file '" ~ events_file ~ "' matches no file (relative paths are relative to the directory dbt runs in). Point it at a CSV, CSV.gz or Parquet file or glob of Snowplow atomic events.") }}
    {%- endif -%}
    {%- set described = run_query("select lower(column_name), column_type from (describe select * from " ~ quoted ~ ")") -%}
    {%- set names = described.columns[0].values() | list -%}
    {%- set what = "snowplow__events_file '" ~ events_file ~ "'" -%}
    {%- do prospect_scoring._check_required_columns(what, names) -%}
    {%- do prospect_scoring._check_timestamp_type(what, described.columns[1].values()[names.index('derived_tstamp')]) -%}
{%- endmacro %}
