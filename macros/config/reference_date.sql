{% macro reference_date() -%}
    {#- Fixed reference for the relative cohort window; unset = the end of the observed data (reproducible). -#}
    {{- return(prospect_scoring._timestamp_var('snowplow__reference_date')) -}}
{%- endmacro %}
