{#- The instant one microsecond after the timestamp `expression` (timestamps are microseconds): strictly after it, before anything later. -#}
{% macro instant_after(expression) -%}
    {{- return(adapter.dispatch('instant_after', 'prospect_scoring')(expression)) -}}
{%- endmacro %}

{% macro default__instant_after(expression) -%}
    {{ dbt.dateadd('microsecond', 1, expression) | trim }}
{%- endmacro %}

{#- DuckDB: an interval literal (dbt-duckdb's dateadd renders `interval 1 microsecond`, which sqlfluff cannot parse). -#}
{% macro duckdb__instant_after(expression) -%}
    ({{ expression }} + interval '1 microsecond')
{%- endmacro %}
