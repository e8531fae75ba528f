{% macro cohort_first_seen_start() -%}
    {{- return(prospect_scoring._timestamp_var('snowplow__cohort_first_seen_start')) -}}
{%- endmacro %}
