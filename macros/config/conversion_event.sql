{% macro conversion_event() -%}
    {%- set value = var('snowplow__conversion_event') -%}
    {%- if value is not string or value | trim == '' -%}
        {{- prospect_scoring._var_error('snowplow__conversion_event', "must be an event name, got " ~ (value | tojson), "Example: --vars '{snowplow__conversion_event: submit_form}'") -}}
    {%- endif -%}
    {%- if value not in prospect_scoring.event_names() -%}
        {{- prospect_scoring._var_error('snowplow__conversion_event', "is " ~ (value | tojson) ~ ", which is not among the kept events snowplow__event_names " ~ (prospect_scoring.event_names() | tojson), "Add it to snowplow__event_names.") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
