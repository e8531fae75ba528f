{% macro start_date() -%}
    {{- return(prospect_scoring._timestamp_var('snowplow__start_date')) -}}
{%- endmacro %}
