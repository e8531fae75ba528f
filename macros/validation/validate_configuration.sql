{#-
    on-run-start: checks every var (each accessor raises a one-line error naming
    its var) and that the events source exists and has the required columns, so
    a bad input stops the run before any model is built.
-#}

{% macro required_event_columns() -%}
    {{- return(['event_id', 'app_id', 'derived_tstamp', 'domain_userid', 'event_name', 'page_url']) -}}
{%- endmacro %}

{% macro validate_configuration() -%}
    {%- if execute -%}
        {#- Vars: reading them validates them. -#}
        {%- do prospect_scoring.app_ids() -%}
        {%- do prospect_scoring.event_names() -%}
        {%- do prospect_scoring.conversion_event() -%}
        {%- do prospect_scoring.horizon_seconds() -%}
        {%- do prospect_scoring.end_date() -%}
        {%- do prospect_scoring.max_events_per_day() -%}
        {%- do prospect_scoring.reference_date() -%}
        {%- do prospect_scoring.cohort_first_seen_end() -%}
        {%- do prospect_scoring.cohort_days_before_reference() -%}
        {%- do prospect_scoring.drop_immature_labels() -%}
        {%- do prospect_scoring.counter_features() -%}
        {#- Not on `dbt seed` (it may be what creates the events table: the sample on a
            warehouse) nor on `dbt compile` (which must work without a warehouse). -#}
        {%- if flags.WHICH not in ['seed', 'compile'] -%}
            {%- do prospect_scoring.validate_events_source() -%}
        {%- endif -%}
    {%- endif -%}
    select 1 as configuration_is_valid
{%- endmacro %}

{% macro validate_events_source() -%}
    {%- set events_file = prospect_scoring.events_file() -%}
    {%- if events_file is not none -%}
        {%- do prospect_scoring.validate_events_file(events_file) -%}
    {%- else -%}
        {%- set source_node = graph.sources.values() | selectattr('source_name', 'equalto', 'snowplow') | selectattr('name', 'equalto', 'events') | first -%}
        {%- set relation = adapter.get_relation(source_node.database, source_node.schema, source_node.identifier) -%}
        {%- if relation is none -%}
            {{ exceptions.raise_compiler_error("Events table " ~ source_node.database ~ "." ~ source_node.schema ~ "." ~ source_node.identifier ~ " not found on target '" ~ target.name ~ "'. Set snowplow__database / snowplow__atomic_schema / snowplow__events_table to your Snowplow atomic events table" ~ (", or snowplow__events_file to a file" if target.type == 'duckdb' else "") ~ ".") }}
        {%- endif -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- do prospect_scoring._check_required_columns(relation ~ '', names) -%}
    {%- endif -%}
{%- endmacro %}

{% macro validate_events_file(events_file) -%}
    {%- set quoted = prospect_scoring.quote_literal(events_file) -%}
    {%- set matches = run_query("select count(*) from glob(" ~ quoted ~ ")").columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error("snowplow__events_file '" ~ events_file ~ "' matches no file (relative paths are relative to the directory dbt runs in). Point it at a CSV, CSV.gz or Parquet file or glob of Snowplow atomic events.") }}
    {%- endif -%}
    {%- set names = run_query("select column_name from (describe select * from " ~ quoted ~ ")").columns[0].values() | map('lower') | list -%}
    {%- do prospect_scoring._check_required_columns("snowplow__events_file '" ~ events_file ~ "'", names) -%}
{%- endmacro %}

{% macro _check_required_columns(what, present_names) -%}
    {%- set missing = [] -%}
    {%- for column in prospect_scoring.required_event_columns() -%}
        {%- if column not in present_names -%}{%- do missing.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(what ~ " is missing required column(s): " ~ (missing | join(', ')) ~ " (found: " ~ (present_names | join(', ')) ~ "). Export the Snowplow atomic events with these columns (any case).") }}
    {%- endif -%}
{%- endmacro %}
