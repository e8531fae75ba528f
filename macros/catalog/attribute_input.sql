{#-
    The per-event input of `attribute`'s window aggregate, one select-list item
    on the staged events: for a counter `<name>__hit`, 1 when the event is
    eligible (attribute_condition()) else 0; for the others `<name>__value`,
    the property (time_since_*: derived_tstamp) of an eligible event, else null
    (first / last: through window_first_last_input(), most / least_frequent:
    through window_frequency_input(), both dispatched).
-#}
{% macro attribute_input(attribute) -%}
    {%- set condition = prospect_scoring.attribute_condition(attribute) -%}
    {%- if attribute.aggregation == 'counter' -%}
        case when {{ condition }} then 1 else 0 end as {{ attribute.name }}__hit
    {%- else -%}
        {%- set value = 'derived_tstamp' if attribute.aggregation in ['time_since_first', 'time_since_last'] else attribute.column -%}
        {%- set value = value if condition == 'true' else 'case when ' ~ condition ~ ' then ' ~ value ~ ' end' -%}
        {%- if attribute.aggregation in ['first', 'last'] -%}
        {%- set value = prospect_scoring.window_first_last_input(value, attribute.aggregation) -%}
        {%- elif attribute.aggregation in ['most_frequent', 'least_frequent'] -%}
        {%- set value = prospect_scoring.window_frequency_input(value, attribute) -%}
        {%- endif -%}
        {{ value }} as {{ attribute.name }}__value
    {%- endif -%}
{%- endmacro %}
