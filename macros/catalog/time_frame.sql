{#-
    The ORDER BY and RANGE frame of a window over a visitor's timeline, from
    `period` seconds before the current event (unbounded when none) up to the
    current instant (`exclusive` false: the current event and its peers
    included) or up to just before it (`exclusive` true: strictly earlier
    events only, so events at one instant do not see each other; timestamps
    are microseconds). The start is inclusive: an event exactly `period`
    before is in the frame.
-#}
{% macro time_frame(period, exclusive) -%}
    {{- return(adapter.dispatch('time_frame', 'prospect_scoring')(period, exclusive)) -}}
{%- endmacro %}

{#- DuckDB, Snowflake: RANGE offsets are intervals over the timestamp. -#}
{% macro default__time_frame(period, exclusive) -%}
    order by derived_tstamp range between {{ 'unbounded' if period is none else "interval '" ~ period ~ " seconds'" }} preceding and {{ "interval '1 microsecond' preceding" if exclusive else 'current row' }}
{%- endmacro %}

{#- BigQuery: RANGE needs a numeric ORDER BY: microseconds since the epoch. -#}
{% macro bigquery__time_frame(period, exclusive) -%}
    order by unix_micros(derived_tstamp) range between {{ 'unbounded' if period is none else period * 1000000 }} preceding and {{ '1 preceding' if exclusive else 'current row' }}
{%- endmacro %}
