{#- Stops the run with a one-line message naming the var: what is wrong and what to do. -#}
{% macro _var_error(name, problem, hint) -%}
    {{ exceptions.raise_compiler_error("var '" ~ name ~ "' " ~ problem ~ ". " ~ hint) }}
{%- endmacro %}
