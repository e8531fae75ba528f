{% macro validate_events_source() -%}
    {%- set events_file = prospect_scoring.events_file() -%}
    {%- set source_node = graph.sources.values() | selectattr('source_name', 'equalto', 'snowplow') | selectattr('name', 'equalto', 'events') | first -%}
    {%- if target.type == 'duckdb' -%}
        {#- The source's external_location (_snowplow__sources.yml, rendered without the
            project's macros) repeats the default file: what it reads must be what is checked here. -#}
        {%- set location = ((source_node.config.meta or {}).get('external_location') or source_node.meta.get('external_location') or '') | trim -%}
        {%- if not prospect_scoring._source_reads_configured_file(location, events_file) -%}
            {{ exceptions.raise_compiler_error("The events source reads " ~ location ~ " but the configuration names " ~ (events_file or 'a table') ~ ": the source's external_location (models/staging/snowplow/_snowplow__sources.yml, or an override in your dbt_project.yml) and snowplow__events_file (macros/config/events_file.sql, sample_events_file.sql) disagree. Set the file with snowplow__events_file only.") }}
        {%- endif -%}
    {%- endif -%}
    {%- if events_file is not none -%}
        {%- do prospect_scoring.validate_events_file(events_file) -%}
    {%- else -%}
        {%- set relation = adapter.get_relation(source_node.database, source_node.schema, source_node.identifier) -%}
        {%- if relation is none -%}
            {{ exceptions.raise_compiler_error("Events table " ~ source_node.database ~ "." ~ source_node.schema ~ "." ~ source_node.identifier ~ " not found on target '" ~ target.name ~ "'. Set snowplow__database / snowplow__atomic_schema / snowplow__events_table to your Snowplow atomic events table" ~ (", or snowplow__events_file to a file" if target.type == 'duckdb' else "") ~ ".") }}
        {%- endif -%}
        {%- set columns = adapter.get_columns_in_relation(relation) -%}
        {%- set names = columns | map(attribute='name') | map('lower') | list -%}
        {%- do prospect_scoring._check_required_columns(relation ~ '', names, columns | map(attribute='dtype') | list) -%}
        {%- do prospect_scoring._check_timestamp_type(relation ~ '', columns[names.index('derived_tstamp')].dtype) -%}
    {%- endif -%}
{%- endmacro %}
