{#-
    Snowflake: FIRST_VALUE / LAST_VALUE ... IGNORE NULLS over the frame ordered
    by derived_tstamp; the input has at most one value per instant
    (window_first_last_input), so this is the first / last by (derived_tstamp,
    event_id). Lifetime first (whole_visitor) reads the whole partition and
    returns the value as of the event itself (Snowflake has no struct to carry
    its time: see lifetime_first_value): the visitor's first value when its
    time is before the event's.
-#}
{% macro snowflake__window_first_last(value, aggregation, window, whole_visitor) -%}
    {%- if whole_visitor -%}
        {%- set ordered = window[:-1] ~ ' order by derived_tstamp rows between unbounded preceding and unbounded following)' -%}
        case
            when min(case when {{ value }} is not null then derived_tstamp end) over {{ window }} < derived_tstamp
                then first_value({{ value }}) ignore nulls over {{ ordered }}
        end
    {%- else -%}
        {{ 'first_value' if aggregation == 'first' else 'last_value' }}({{ value }}) ignore nulls over {{ window }}
    {%- endif -%}
{%- endmacro %}
