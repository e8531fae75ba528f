{% macro _string_list_var(name, example) -%}
    {%- set value = var(name) -%}
    {%- if not prospect_scoring._is_string_list(value) -%}
        {{- prospect_scoring._var_error(name, "must be a non-empty list of strings, got " ~ (value | tojson), "Example: --vars '{" ~ name ~ ": " ~ (example | tojson) ~ "}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
