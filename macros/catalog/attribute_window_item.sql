{#-
    The window aggregate of a non-counter attribute over the visitor's strictly
    earlier eligible events, as one select-list item `<expr> as <name>__agg`,
    read from the input column `<name>__value` (the property of an eligible
    event, else null; the event's derived_tstamp for time_since_*).
    attribute_value() turns it into the column. Windows are partitioned by
    domain_userid and framed by time_frame(period, exclusive=true): [t - P, t)
    or everything before t. Lifetime first and time_since_first read the whole
    partition instead (the visitor's first eligible event is earlier than t
    exactly when it is the first of those strictly earlier): no frame to keep.
    What differs between engines is dispatched (window_first_last,
    window_frequency, window_distinct_count).
-#}
{% macro attribute_window_item(attribute) -%}
    {%- set value = attribute.name ~ '__value' -%}
    {%- set window = '(partition by domain_userid ' ~ prospect_scoring.time_frame(attribute.period, true) ~ ')' -%}
    {%- set visitor = '(partition by domain_userid)' -%}
    {%- set agg = attribute.aggregation -%}
    {%- if agg == 'sum' -%}
        sum({{ value }}) over {{ window }}
    {%- elif agg in ['min', 'max'] -%}
        {{ agg }}({{ value }}) over {{ window }}
    {%- elif agg == 'mean' -%}
        avg(cast({{ value }} as {{ prospect_scoring.double_type() }})) over {{ window }}
    {%- elif agg == 'time_since_first' -%}
        min({{ value }}) over {{ visitor if attribute.period is none else window }}
    {%- elif agg == 'time_since_last' -%}
        max({{ value }}) over {{ window }}
    {%- elif agg in ['first', 'last'] -%}
        {{ prospect_scoring.window_first_last(value, agg, visitor if agg == 'first' and attribute.period is none else window, agg == 'first' and attribute.period is none) }}
    {%- elif agg in ['most_frequent', 'least_frequent'] -%}
        {{ prospect_scoring.window_frequency(value, agg, window, attribute) }}
    {%- elif agg in ['approx_count_distinct', 'unique_list'] -%}
        {{ prospect_scoring.window_distinct_count(value, window) }}
    {%- endif %} as {{ attribute.name }}__agg
{%- endmacro %}
