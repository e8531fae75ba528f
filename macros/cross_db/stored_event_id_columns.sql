{#-
    The columns that hold an event's id in the window pass and in the
    int_prospect__targets_as_of_event table (store_event_id writes them,
    stored_event_id reads the id back as text). Everywhere but DuckDB: event_id.
-#}
{% macro stored_event_id_columns() -%}
    {{- return(adapter.dispatch('stored_event_id_columns', 'prospect_scoring')()) -}}
{%- endmacro %}

{% macro default__stored_event_id_columns() -%}
    {{- return(['event_id']) -}}
{%- endmacro %}

{#-
    DuckDB: a Snowplow event_id (a canonical lower-case UUID) is kept in
    event_uuid, 16 bytes, and event_id is null; any other id stays in event_id
    (text) with event_uuid null. Writing 10M random 36-character strings costs
    about a second more than writing UUIDs (README, Performance).
-#}
{% macro duckdb__stored_event_id_columns() -%}
    {{- return(['event_id', 'event_uuid']) -}}
{%- endmacro %}
