{% macro end_date() -%}
    {%- set start = prospect_scoring.start_date() -%}
    {%- set end = prospect_scoring._timestamp_var('snowplow__end_date') -%}
    {%- if start is not none and end is not none and end <= start -%}
        {{- prospect_scoring._var_error('snowplow__end_date', "(" ~ end ~ ") must be later than snowplow__start_date (" ~ start ~ ")", "The time range is [start, end).") -}}
    {%- endif -%}
    {{- return(end) -}}
{%- endmacro %}
