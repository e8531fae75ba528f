{#-
    The counter attributes in the window pass over (domain_userid,
    derived_tstamp), for each of `features` (attributes() entries with
    aggregation counter, and the counters of first occurrences): the number of
    the visitor's events strictly earlier in time than the current one whose 0/1
    indicator `<name>__hit` is 1, and with a `period` P, at or after the current
    time minus P. Events at one timestamp do not see each other. BIGINT, never
    null.
    Portable form: `<expr> as <name>` items: lifetime counters, the running sum
    up to and including the current instant minus the events at exactly this
    instant; windowed counters, one sum over the frame [t - P, t) (time_frame()).
    DuckDB: running sums only (packed, see the variant); counters_from_running_sums(),
    one CTE later, reads the counters from them.
-#}
{% macro counters_strictly_earlier(features) -%}
    {{- return(adapter.dispatch('counters_strictly_earlier', 'prospect_scoring')(features)) -}}
{%- endmacro %}

{#- The portable form: two window sums per lifetime counter, one per windowed counter. -#}
{% macro default__counters_strictly_earlier(features) -%}
    {%- for feature in features %}
        {%- if feature.period is none %}
        cast(
            sum({{ feature.name }}__hit) over (
                partition by domain_userid {{ prospect_scoring.time_frame(none, false) }}
            )
            - sum({{ feature.name }}__hit) over (partition by domain_userid, derived_tstamp)
            as {{ dbt.type_bigint() }}
        ) as {{ feature.name }}{{ "," if not loop.last }}
        {%- else %}
        cast(
            coalesce(sum({{ feature.name }}__hit) over (
                partition by domain_userid {{ prospect_scoring.time_frame(feature.period, true) }}
            ), 0)
            as {{ dbt.type_bigint() }}
        ) as {{ feature.name }}{{ "," if not loop.last }}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    DuckDB: a window aggregate over a frame costs a pass over the sorted events
    (about 1-2 s per 10M events on two cores), whatever its frame. So each
    indicator is one 42-bit lane of a HUGEINT pack (_counter_packs(): counters
    with the same events and criteria share a lane, whatever their period), and
    each pack gets two window sums: `counters__running_<n>`, up to and including
    the current instant, and `counters__peers_<n>`, the events at exactly this
    instant. counters_from_running_sums() reads every counter from them: the
    strictly earlier events are running minus peers; a period P subtracts the
    running sum just before t - P (one last_value per pack and period, no
    aggregation). Two sums per pack instead of two per lifetime pack and one
    per pack of each period (scripts/benchmark.py).
-#}
{% macro duckdb__counters_strictly_earlier(features) -%}
    {%- set packing = prospect_scoring._counter_packs(features) -%}
    {%- for pack in packing.packs %}
        sum({{ pack.sql }}) over (
            partition by domain_userid {{ prospect_scoring.time_frame(none, false) }}
        ) as {{ pack.name }},
        sum({{ pack.sql }}) over (
            partition by domain_userid order by derived_tstamp
            range between current row and current row
        ) as {{ pack.peers }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
