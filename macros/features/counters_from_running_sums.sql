{#-
    One CTE after the window pass: `, <expr> as <name>` for each counter of
    `features`, where counters_strictly_earlier() gave running sums instead of
    the counters (DuckDB); nothing elsewhere, where the window pass gave the
    counters themselves. Each item starts with its comma.
-#}
{% macro counters_from_running_sums(features) -%}
    {{- return(adapter.dispatch('counters_from_running_sums', 'prospect_scoring')(features)) -}}
{%- endmacro %}

{% macro default__counters_from_running_sums(features) -%}
{%- endmacro %}

{#-
    DuckDB: a pack's running sum (`counters__running_<n>`) is the same on every
    event of one instant; minus the sum at exactly this instant
    (`counters__peers_<n>`) it counts the strictly earlier events. With a period
    P, last_value of the running sum over the frame that ends P seconds and 1
    microsecond before the current event is the running sum of the latest
    instant before t - P (0 with none); the difference counts [t - P, t).
    Timestamps are microseconds; a lane's running sums only grow, so
    subtracting packs never borrows across lanes.
-#}
{% macro duckdb__counters_from_running_sums(features) -%}
    {%- set packing = prospect_scoring._counter_packs(features) -%}
    {%- for feature in features %},
        {%- set lane = packing.lanes[feature.name] %}
        cast(
            (
                (
                    {{ lane.pack }} - {{ lane.peers }}
                    {%- if feature.period is not none %}
                    - coalesce(last_value({{ lane.pack }}) over (
                        partition by domain_userid order by derived_tstamp
                        range between unbounded preceding and interval '{{ (feature.period * 1000000 + 1) | int }} microseconds' preceding
                    ), 0)
                    {%- endif %}
                ) >> {{ lane.shift }}
            ) & {{ packing.lane_mask }}
            as bigint
        ) as {{ feature.name }}
    {%- endfor %}
{%- endmacro %}
