{% macro _identifier_ok(text) -%}
    {{- return(text is string and modules.re.match('^[a-z_][a-z0-9_]*$', text) is not none) -}}
{%- endmacro %}
