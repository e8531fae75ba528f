{#-
    NULLs last, said explicitly: DuckDB and Snowflake sort them last by default,
    Spark and BigQuery first, so copies that tie on the earlier columns would keep
    a different copy per warehouse (a null page_url loses to a known one everywhere).
-#}
{% macro _earliest_copy_order() -%}
    order by derived_tstamp nulls last, domain_userid nulls last, event_name nulls last, page_url nulls last
{%- endmacro %}
