{% macro visitor_filters_on() -%}
    {#- Any visitor-level filter (cohort window, automated activity) configured? -#}
    {{- return(prospect_scoring.max_events_per_day() is not none
        or prospect_scoring.cohort_days_before_reference() is not none
        or prospect_scoring.cohort_first_seen_start() is not none
        or prospect_scoring.cohort_first_seen_end() is not none) -}}
{%- endmacro %}
