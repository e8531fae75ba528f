{% macro cohort_first_seen_end() -%}
    {%- set start = prospect_scoring.cohort_first_seen_start() -%}
    {%- set end = prospect_scoring._timestamp_var('snowplow__cohort_first_seen_end') -%}
    {%- if start is not none and end is not none and end <= start -%}
        {{- prospect_scoring._var_error('snowplow__cohort_first_seen_end', "(" ~ end ~ ") must be later than snowplow__cohort_first_seen_start (" ~ start ~ ")", "The cohort window is [start, end).") -}}
    {%- endif -%}
    {{- return(end) -}}
{%- endmacro %}
