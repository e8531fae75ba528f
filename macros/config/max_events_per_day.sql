{% macro max_events_per_day() -%}
    {#- Visitors with more events than this in any one UTC day look automated and are left out. Unset: off. -#}
    {%- set value = prospect_scoring._non_negative_int_var('snowplow__max_events_per_day', 1000, allow_none=true) -%}
    {%- if value == 0 -%}
        {{- prospect_scoring._var_error('snowplow__max_events_per_day', "must be > 0 (or unset to turn the filter off), got 0", "Example: --vars '{snowplow__max_events_per_day: 1000}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
