{#-
    NULLs last, said explicitly: DuckDB and Snowflake sort them last by default,
    Spark and BigQuery first, so copies that tie on the earlier columns would keep
    a different copy per warehouse (a null page_url loses to a known one everywhere).
    `qualifier`: the alias that qualifies the columns, where the query joins (optional).
-#}
{% macro _earliest_copy_order(qualifier='') -%}
    {%- set q = qualifier ~ '.' if qualifier else '' -%}
    order by {{ q }}derived_tstamp nulls last, {{ q }}domain_userid nulls last, {{ q }}event_name nulls last, {{ q }}page_url nulls last
{%- endmacro %}
