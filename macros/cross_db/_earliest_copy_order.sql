{#-
    The order that picks the earliest copy of an event_id: derived_tstamp, then
    every other column the staged events carry (domain_userid, event_name,
    page_url, app_id, then the catalog's columns by name), so copies that differ
    in any carried column always keep the same one, whatever the source's row
    order or the warehouse. NULLs last, said explicitly: DuckDB and Snowflake
    sort them last by default, Spark and BigQuery first (a null value loses to a
    known one everywhere).
    `qualifier`: the alias that qualifies the columns, where the query joins (optional).
-#}
{% macro _earliest_copy_order(qualifier='') -%}
    {%- set q = qualifier ~ '.' if qualifier else '' -%}
    {%- set columns = ['derived_tstamp', 'domain_userid', 'event_name', 'page_url', 'app_id'] -%}
    {%- for column in prospect_scoring.attribute_source_columns() | map(attribute='column') | sort -%}
        {%- do columns.append(column) -%}
    {%- endfor -%}
    order by {% for column in columns %}{{ q }}{{ column }} nulls last{{ ", " if not loop.last }}{% endfor %}
{%- endmacro %}
