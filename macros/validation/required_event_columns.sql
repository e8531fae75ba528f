{#-
    on-run-start: checks every var (each accessor raises a one-line error naming
    its var) and that the events source exists and has the required columns, so
    a bad input stops the run before any model is built.
-#}
{% macro required_event_columns() -%}
    {{- return(['event_id', 'app_id', 'derived_tstamp', 'domain_userid', 'event_name', 'page_url']) -}}
{%- endmacro %}
