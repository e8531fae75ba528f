{#-
    Select-list items that store the text column `column` (an event's id) as
    the columns of stored_event_id_columns(); stored_event_id() reads it back.
-#}
{% macro store_event_id(column='event_id') -%}
    {{- return(adapter.dispatch('store_event_id', 'prospect_scoring')(column)) -}}
{%- endmacro %}

{% macro default__store_event_id(column='event_id') -%}
    {{ column }}{{ ' as event_id' if column != 'event_id' }}
{%- endmacro %}

{#-
    DuckDB: the UUID when the id is exactly its canonical text (the cast back
    gives the same string: lower case, hyphens where a UUID has them), so the
    id comes back unchanged; otherwise the text. Compared byte for byte
    (collate c), whatever the profile's default_collation.
-#}
{% macro duckdb__store_event_id(column='event_id') -%}
    {%- set is_canonical_uuid = 'cast(try_cast(' ~ column ~ ' as uuid) as varchar) = (' ~ column ~ ' collate c)' -%}
    case when {{ is_canonical_uuid }} then null else {{ column }} end as event_id,
    case when {{ is_canonical_uuid }} then try_cast({{ column }} as uuid) end as event_uuid
{%- endmacro %}
