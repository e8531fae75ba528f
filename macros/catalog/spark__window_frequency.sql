{#-
    Spark and Databricks form of window_frequency: the window's non-null values
    (collect_list skips nulls), then, per distinct value k, the struct
    (-events or events, k); the smallest one's k (so a tie goes to the smallest
    value). No eligible value: array_min of an empty array, null.
-#}
{% macro spark__window_frequency(value, aggregation, window, attribute=none) -%}
    {%- set values = 'collect_list(' ~ value ~ ') over ' ~ window -%}
    array_min(transform(array_distinct({{ values }}),
        k -> struct({{ '-' if aggregation == 'most_frequent' }}size(filter({{ values }}, x -> x = k)) as n, k as k)
    )).k
{%- endmacro %}
