{#- The label's horizon in whole seconds: from 1 second to 365 days. -#}
{% macro horizon_seconds() -%}
    {%- set value = var('snowplow__horizon_seconds') -%}
    {%- set longest = 365 * 86400 -%}
    {%- if value is not number or value is boolean or (value | int) != value or value < 1 or value > longest -%}
        {{- prospect_scoring._var_error('snowplow__horizon_seconds', "must be a whole number of seconds from 1 to " ~ longest ~ " (365 days), got " ~ (value | tojson), "Example: --vars '{snowplow__horizon_seconds: 3600}' (one hour)") -}}
    {%- endif -%}
    {{- return(value | int) -}}
{%- endmacro %}
