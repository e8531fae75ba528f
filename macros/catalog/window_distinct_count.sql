{#- The exact number of distinct non-null `value`s in `window`. -#}
{% macro window_distinct_count(value, window) -%}
    {{- return(adapter.dispatch('window_distinct_count', 'prospect_scoring')(value, window)) -}}
{%- endmacro %}

{#- Engines with DISTINCT aggregates in framed windows (DuckDB). -#}
{% macro default__window_distinct_count(value, window) -%}
    count(distinct {{ value }}) over {{ window }}
{%- endmacro %}
