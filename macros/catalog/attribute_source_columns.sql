{#-
    The columns of the events source the catalog reads beyond the required ones
    (required_event_columns()), each once, in catalog order, as
    {column, attribute, use}: the attribute that first reads it and how
    (property, criterion, event vendor / version). The staged events carry
    exactly the required columns and these; a source without one stops the run
    at the start naming the attribute and the column.
-#}
{% macro attribute_source_columns() -%}
    {%- set required = prospect_scoring.required_event_columns() -%}
    {%- set found = [] -%}
    {%- set names = [] -%}
    {%- for attribute in prospect_scoring.attributes() -%}
        {%- set uses = [] -%}
        {%- if attribute.column is not none -%}{%- do uses.append((attribute.column, 'property')) -%}{%- endif -%}
        {%- for criterion in attribute.criteria['all'] + attribute.criteria['any'] -%}
            {%- do uses.append((criterion.column, 'criterion')) -%}
        {%- endfor -%}
        {%- for event in attribute.events -%}
            {%- if 'vendor' in event -%}{%- do uses.append(('event_vendor', 'event vendor')) -%}{%- endif -%}
            {%- if 'version' in event -%}{%- do uses.append(('event_version', 'event version')) -%}{%- endif -%}
        {%- endfor -%}
        {%- for use in uses if use[0] not in required and use[0] not in names -%}
            {%- do names.append(use[0]) -%}
            {%- do found.append({'column': use[0], 'attribute': attribute.name, 'use': use[1]}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}
