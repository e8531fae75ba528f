{#-
    The event names the staged events keep: the rows' (snowplow__event_names),
    then those only some attribute names (history-only: they feed attributes and
    are not rows, e.g. page_ping).
-#}
{% macro staged_event_names() -%}
    {%- set names = prospect_scoring.event_names() | list -%}
    {%- for name in prospect_scoring.attribute_event_names() if name not in names -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}
