{#- A one-line description of an attribute without one, for the column contract. Example: "counter of page_view events strictly earlier, in the last 1800 s, where page_url like '%p%'". -#}
{% macro attribute_description(attribute) -%}
    {%- set events = (attribute.events | map(attribute='name') | join(', ')) if attribute.events else 'all staged' -%}
    {%- set what = attribute.aggregation ~ (' of ' ~ attribute.column if attribute.column else '') ~ ' over the strictly earlier ' ~ events ~ ' events' -%}
    {%- set criteria = [] -%}
    {%- for criterion in attribute.criteria['all'] + attribute.criteria['any'] -%}
        {%- do criteria.append(criterion.column ~ ' ' ~ criterion.operator ~ ((' ' ~ (criterion.value | tojson)) if criterion.value is not none else '')) -%}
    {%- endfor -%}
    {{- return(what ~ ((' in the last ' ~ attribute.period ~ ' s') if attribute.period else '') ~ ((' where ' ~ (criteria | join('; '))) if criteria else '') ~ (' (' ~ attribute.time_unit ~ ')' if attribute.time_unit else '') ~ '.') -}}
{%- endmacro %}
