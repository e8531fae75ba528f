{% macro end_date() -%}
    {{- return(prospect_scoring._range_end_var('snowplow__end_date', 'snowplow__start_date', prospect_scoring.start_date(), 'time range')) -}}
{%- endmacro %}
