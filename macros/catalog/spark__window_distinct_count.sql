{#- Spark and Databricks form of window_distinct_count: no DISTINCT aggregates in windows; the size of the window's set of non-null values. -#}
{% macro spark__window_distinct_count(value, window) -%}
    size(collect_set({{ value }}) over {{ window }})
{%- endmacro %}
