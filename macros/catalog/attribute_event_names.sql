{#- The event names the attributes name (in catalog order, each once); events: [] names none. -#}
{% macro attribute_event_names() -%}
    {%- set names = [] -%}
    {%- for attribute in prospect_scoring.attributes() -%}
        {%- for event in attribute.events if event.name not in names -%}
            {%- do names.append(event.name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}
