{% macro events_file() -%}
    {#- DuckDB only: path or glob of a CSV, CSV.gz or Parquet file of atomic events,
        relative to the directory dbt runs in. Default: the shipped sample, unless
        snowplow__events_table names a table to read instead. -#}
    {%- set default = prospect_scoring.sample_events_file() if target.type == 'duckdb' and var('snowplow__events_table') is none else none -%}
    {%- set value = var('snowplow__events_file') -%}
    {%- if value is none -%}{%- set value = default -%}{%- endif -%}
    {%- if value is none -%}{{- return(none) -}}{%- endif -%}
    {%- if value is string and value | trim == '' -%}
        {#- The source (_snowplow__sources.yml) would read the shipped sample for '', while the
            checks would look for a table: refuse it rather than read one thing and check another. -#}
        {{- prospect_scoring._var_error('snowplow__events_file', "is an empty string", "Unset it (null) to read the shipped sample, or give a path: --vars '{snowplow__events_file: data/events.parquet}'") -}}
    {%- endif -%}
    {%- if value is not string -%}
        {{- prospect_scoring._var_error('snowplow__events_file', "must be a path or glob string, got " ~ (value | tojson), "Example: --vars '{snowplow__events_file: data/events.parquet}'") -}}
    {%- endif -%}
    {%- if target.type != 'duckdb' -%}
        {{- prospect_scoring._var_error('snowplow__events_file', "is only supported on the duckdb target (target '" ~ target.name ~ "' is " ~ target.type ~ ")", "Unset it and point snowplow__atomic_schema / snowplow__events_table at the warehouse table.") -}}
    {%- endif -%}
    {%- if var('snowplow__events_table') is not none -%}
        {{- prospect_scoring._var_error('snowplow__events_file', "and snowplow__events_table are both set", "Set only one: a file to read in place, or a table.") -}}
    {%- endif -%}
    {{- return(value | trim) -}}
{%- endmacro %}
