{% macro _non_negative_int_var(name, example, allow_none=false) -%}
    {%- set value = var(name) -%}
    {%- if value is none and allow_none -%}{{- return(none) -}}{%- endif -%}
    {%- if value is not number or value is boolean or (value | int) != value or value < 0 -%}
        {{- prospect_scoring._var_error(name, "must be a whole number >= 0, got " ~ (value | tojson), "Example: --vars '{" ~ name ~ ": " ~ example ~ "}'") -}}
    {%- endif -%}
    {{- return(value | int) -}}
{%- endmacro %}
