{#-
    Whether the events source's `location` (its external_location, rendered by
    dbt-duckdb from _snowplow__sources.yml, where the project's macros are not
    available) reads what the configuration names: the quoted file `events_file`,
    or, when that is none, not a quoted file (a table). A location that is an
    expression of its own (e.g. read_parquet(...), a source config overridden in
    dbt_project.yml) is the user's choice and passes when no file is configured.
-#}
{% macro _source_reads_configured_file(location, events_file) -%}
    {%- set location = (location or '') | trim -%}
    {%- if events_file is none -%}
        {{- return(not location.startswith("'")) -}}
    {%- endif -%}
    {{- return(location == "'" ~ (events_file | replace("'", "''")) ~ "'") -}}
{%- endmacro %}
