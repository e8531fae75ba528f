{#- Reads the end var of a [start, end) range (as _timestamp_var) and checks that it is later than `start`. -#}
{% macro _range_end_var(name, start_name, start, range_name) -%}
    {%- set end = prospect_scoring._timestamp_var(name) -%}
    {%- if start is not none and end is not none and end <= start -%}
        {{- prospect_scoring._var_error(name, "(" ~ end ~ ") must be later than " ~ start_name ~ " (" ~ start ~ ")", "The " ~ range_name ~ " is [start, end).") -}}
    {%- endif -%}
    {{- return(end) -}}
{%- endmacro %}
