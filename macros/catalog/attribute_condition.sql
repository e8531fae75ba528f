{#-
    The SQL condition that makes a staged event eligible for `attribute`
    (before time): its events (event_name, and event_vendor / event_version
    when given; `events: []` = every staged event) and its criteria, `all` AND
    `any`. A comparison with a null property is null, which a CASE WHEN or
    FILTER takes as false (the condition has no NOT), so `!=` does not match
    nulls. `true` when the attribute takes every event.
    Example: (event_name = 'page_view') and page_url like '%pricing%'
-#}
{% macro attribute_condition(attribute) -%}
    {%- set parts = [] -%}
    {%- if attribute.events | length > 0 -%}
        {%- set alternatives = [] -%}
        {%- for event in attribute.events -%}
            {%- set terms = ['event_name = ' ~ prospect_scoring.quote_literal(event.name)] -%}
            {%- if 'vendor' in event -%}{%- do terms.append('event_vendor = ' ~ prospect_scoring.quote_literal(event.vendor)) -%}{%- endif -%}
            {%- if 'version' in event -%}{%- do terms.append('event_version = ' ~ prospect_scoring.quote_literal(event.version)) -%}{%- endif -%}
            {%- do alternatives.append(terms | join(' and ')) -%}
        {%- endfor -%}
        {%- do parts.append('(' ~ (alternatives | join(' or ')) ~ ')') -%}
    {%- endif -%}
    {%- for criterion in attribute.criteria['all'] -%}
        {%- do parts.append(prospect_scoring._criterion_sql(criterion)) -%}
    {%- endfor -%}
    {%- if attribute.criteria['any'] | length > 0 -%}
        {%- set alternatives = [] -%}
        {%- for criterion in attribute.criteria['any'] -%}
            {%- do alternatives.append(prospect_scoring._criterion_sql(criterion)) -%}
        {%- endfor -%}
        {%- do parts.append('(' ~ (alternatives | join(' or ')) ~ ')') -%}
    {%- endif -%}
    {{- parts | join(' and ') if parts else 'true' -}}
{%- endmacro %}
