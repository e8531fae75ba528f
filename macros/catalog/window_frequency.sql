{#-
    The non-null `value` with the most (most_frequent) / fewest
    (least_frequent) events in `window`; a tie goes to the smallest value.
    `attribute` (the catalog entry) is for the engines whose form depends on it
    (Snowflake, BigQuery: _running_mode).
-#}
{% macro window_frequency(value, aggregation, window, attribute=none) -%}
    {{- return(adapter.dispatch('window_frequency', 'prospect_scoring')(value, aggregation, window, attribute)) -}}
{%- endmacro %}

{% macro default__window_frequency(value, aggregation, window, attribute=none) -%}
    {{ exceptions.raise_compiler_error("aggregation '" ~ aggregation ~ "' is not implemented on the adapter '" ~ target.type ~ "' yet; use it on DuckDB, or leave the attribute out.") }}
{%- endmacro %}

{#- DuckDB: the window's histogram (a map value -> events), then the smallest (-events or events, value). -#}
{% macro duckdb__window_frequency(value, aggregation, window, attribute=none) -%}
    list_min(list_transform(
        map_entries(histogram({{ value }}) filter (where {{ value }} is not null) over {{ window }}),
        lambda entry: struct_pack(n := {{ '-' if aggregation == 'most_frequent' }}cast(entry.value as bigint), k := entry.key)
    )).k
{%- endmacro %}
