{#- Whether `attribute` is a lifetime most_frequent of a string property (the form of _running_mode_key). -#}
{% macro _running_mode_applies(attribute) -%}
    {{- return(attribute.aggregation == 'most_frequent' and attribute.period is none and attribute.type == 'string') -}}
{%- endmacro %}
