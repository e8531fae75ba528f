{#-
    The event's id as text, read from the columns that store_event_id wrote
    (stored_event_id_columns). `qualifier`: the alias that qualifies them
    (optional). Everywhere but DuckDB: event_id.
-#}
{% macro stored_event_id(qualifier='') -%}
    {{- return(adapter.dispatch('stored_event_id', 'prospect_scoring')(qualifier)) -}}
{%- endmacro %}

{% macro default__stored_event_id(qualifier='') -%}
    {{ qualifier ~ '.' if qualifier }}event_id
{%- endmacro %}

{#- DuckDB: the text of a non-UUID id, else the UUID's canonical text (the original string). -#}
{% macro duckdb__stored_event_id(qualifier='') -%}
    {%- set q = qualifier ~ '.' if qualifier else '' -%}
    coalesce({{ q }}event_id, cast({{ q }}event_uuid as varchar))
{%- endmacro %}
