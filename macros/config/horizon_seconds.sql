{% macro horizon_seconds() -%}
    {%- set value = prospect_scoring._non_negative_int_var('snowplow__horizon_seconds', 3600) -%}
    {%- if value == 0 -%}
        {{- prospect_scoring._var_error('snowplow__horizon_seconds', "must be > 0, got 0", "Example: --vars '{snowplow__horizon_seconds: 3600}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
