{% macro cohort_first_seen_end() -%}
    {{- return(prospect_scoring._range_end_var('snowplow__cohort_first_seen_end', 'snowplow__cohort_first_seen_start', prospect_scoring.cohort_first_seen_start(), 'cohort window')) -}}
{%- endmacro %}
