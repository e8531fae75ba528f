{% macro _is_string_list(value) -%}
    {%- set ns = namespace(ok=(value is iterable and value is not string and value is not mapping and value | length > 0)) -%}
    {%- if ns.ok -%}
        {%- for item in value -%}
            {%- if item is not string or item | length == 0 -%}{%- set ns.ok = false -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(ns.ok) -}}
{%- endmacro %}
