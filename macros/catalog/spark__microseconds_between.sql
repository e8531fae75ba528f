{#- Spark and Databricks form of microseconds_between: unix_micros difference (dbt-spark's datediff has no microsecond part). -#}
{% macro spark__microseconds_between(start_tstamp, end_tstamp) -%}
    (unix_micros({{ end_tstamp }}) - unix_micros({{ start_tstamp }}))
{%- endmacro %}
