{% macro _earliest_copy_order() -%}
    order by derived_tstamp, domain_userid, event_name, page_url
{%- endmacro %}
