{#-
    The event's id as text, read from the columns that store_event_id wrote
    (stored_event_id_columns). `qualifier`: the alias that qualifies them
    (optional). `alias`: the name of the select-list item (optional; no `as`
    where the item is the column of that name, which sqlfluff's
    aliasing.self_alias.column flags). Everywhere but DuckDB: event_id.
-#}
{% macro stored_event_id(qualifier='', alias=none) -%}
    {{- return(adapter.dispatch('stored_event_id', 'prospect_scoring')(qualifier, alias)) -}}
{%- endmacro %}

{% macro default__stored_event_id(qualifier='', alias=none) -%}
    {%- set column = qualifier ~ '.event_id' if qualifier else 'event_id' -%}
    {{ column }}{{ ' as ' ~ alias if alias and alias != column }}
{%- endmacro %}

{#- DuckDB: the text of a non-UUID id, else the UUID's canonical text (the original string). -#}
{% macro duckdb__stored_event_id(qualifier='', alias=none) -%}
    {%- set q = qualifier ~ '.' if qualifier else '' -%}
    coalesce({{ q }}event_id, cast({{ q }}event_uuid as varchar)){{ ' as ' ~ alias if alias }}
{%- endmacro %}
