{#- Stops the run with a one-line message naming the var and the attribute: what is wrong and what to do. -#}
{% macro _attribute_error(attribute_name, problem, hint) -%}
    {{- prospect_scoring._var_error('snowplow__attributes', "attribute '" ~ attribute_name ~ "' " ~ problem, hint) -}}
{%- endmacro %}
