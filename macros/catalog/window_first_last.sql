{#-
    The first / last non-null `value` in `window`, ordered by (derived_tstamp,
    event_id). With `whole_visitor` (lifetime first over the whole partition)
    it returns the first value and its time, {t, v}; attribute_value() keeps v
    when t is before the current event.
-#}
{% macro window_first_last(value, aggregation, window, whole_visitor) -%}
    {{- return(adapter.dispatch('window_first_last', 'prospect_scoring')(value, aggregation, window, whole_visitor)) -}}
{%- endmacro %}

{% macro default__window_first_last(value, aggregation, window, whole_visitor) -%}
    {{ exceptions.raise_compiler_error("aggregation '" ~ aggregation ~ "' is not implemented on the adapter '" ~ target.type ~ "' yet; use it on DuckDB, or leave the attribute out.") }}
{%- endmacro %}

{#-
    DuckDB: arg_min / arg_max keyed by the struct (derived_tstamp, event_id), over the
    non-null values only (FILTER); event_id as text (stored_event_id), so ties order as
    the ids' strings do.
-#}
{% macro duckdb__window_first_last(value, aggregation, window, whole_visitor) -%}
    {%- set key = 'struct_pack(t := derived_tstamp, e := ' ~ prospect_scoring.stored_event_id() ~ ')' -%}
    {%- if whole_visitor -%}
        arg_min(struct_pack(t := derived_tstamp, v := {{ value }}), {{ key }}) filter (where {{ value }} is not null) over {{ window }}
    {%- else -%}
        {{ 'arg_min' if aggregation == 'first' else 'arg_max' }}({{ value }}, {{ key }}) filter (where {{ value }} is not null) over {{ window }}
    {%- endif -%}
{%- endmacro %}
