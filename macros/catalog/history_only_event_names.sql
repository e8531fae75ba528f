{#-
    The event names that only some attribute names (history-only: staged to feed
    attributes, never rows, e.g. page_ping), in catalog order; [] when every
    staged event is a row event (then no model needs to tell them apart).
-#}
{% macro history_only_event_names() -%}
    {{- return(prospect_scoring.staged_event_names() | reject('in', prospect_scoring.event_names()) | list) -}}
{%- endmacro %}
