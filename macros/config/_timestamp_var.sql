{% macro _timestamp_var(name) -%}
    {#- Optional var holding 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS[.ffffff]'. Returns the
        normalised text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (_timestamp_text), or none when unset. -#}
    {%- set value = var(name) -%}
    {%- if value is none or (value is string and value | trim == '') -%}{{- return(none) -}}{%- endif -%}
    {%- set normalised = prospect_scoring._timestamp_text(value | string | trim) -%}
    {%- if normalised is none -%}
        {{- prospect_scoring._var_error(name, "must be a real calendar date 'YYYY-MM-DD' or a UTC timestamp 'YYYY-MM-DD HH:MM:SS', got " ~ (value | tojson), "Fix it or leave it unset.") -}}
    {%- endif -%}
    {{- return(normalised) -}}
{%- endmacro %}
