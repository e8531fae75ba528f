{#-
    The counter attributes as select-list items, `<expr> as <name>` for each of
    `features` (attributes() entries with aggregation counter): the number of
    the visitor's events strictly earlier in time than the current one whose
    0/1 indicator `<name>__hit` is 1, and with a `period` P, at or after the
    current time minus P. Events at one timestamp do not see each other.
    Lifetime counters: the running sum up to and including the current instant,
    minus the events at exactly this instant. Windowed counters: one sum over
    the frame [t - P, t) (time_frame()). One pass of window functions over
    (domain_userid, derived_tstamp); BIGINT results, never null.
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
    DuckDB: each framed window aggregate costs a pass over the sorted events, so
    the indicators of up to three counters with the same period are packed into
    one HUGEINT, one 42-bit lane each, and summed together; each counter reads
    its lane back. A lane cannot carry into the next: a count never exceeds the
    visitor's events, far below 2^42. DuckDB computes identical window
    expressions once, so three lifetime counters cost two window sums instead
    of six, and three counters of one period one sum instead of three
    (scripts/benchmark.py).
-#}
{% macro duckdb__counters_strictly_earlier(features) -%}
    {%- set lanes = 3 -%}
    {%- set lane_bits = 42 -%}
    {#- Packs: consecutive runs of up to three counters of one period, in the order of first appearance of each period. -#}
    {%- set periods = [] -%}
    {%- for feature in features if feature.period not in periods -%}{%- do periods.append(feature.period) -%}{%- endfor -%}
    {%- set packs = [] -%}
    {%- for period in periods -%}
        {%- set members = features | selectattr('period', 'equalto', period) | list -%}
        {%- for start in range(0, members | length, lanes) -%}
            {%- do packs.append(members[start:start + lanes]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set items = {} -%}
    {%- for pack in packs -%}
        {%- set packed -%}
            ({% for member in pack %}{{ ' + ' if not loop.first }}(cast({{ member.name }}__hit as hugeint) << {{ loop.index0 * lane_bits }}){% endfor %})
        {%- endset -%}
        {%- for member in pack -%}
            {%- set lane = loop.index0 -%}
            {%- if member.period is none -%}
                {%- set counted -%}
                    sum({{ packed }}) over (
                        partition by domain_userid {{ prospect_scoring.time_frame(none, false) }}
                    )
                    - sum({{ packed }}) over (
                        partition by domain_userid order by derived_tstamp
                        range between current row and current row
                    )
                {%- endset -%}
            {%- else -%}
                {%- set counted -%}
                    coalesce(sum({{ packed }}) over (
                        partition by domain_userid {{ prospect_scoring.time_frame(member.period, true) }}
                    ), 0)
                {%- endset -%}
            {%- endif -%}
            {%- do items.update({member.name: counted}) -%}
            {%- do items.update({member.name ~ '__lane': lane}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for feature in features %}
        cast(
            (
                (
                    {{ items[feature.name] }}
                ) >> {{ items[feature.name ~ '__lane'] * lane_bits }}
            ) & {{ 2 ** lane_bits - 1 }}
            as bigint
        ) as {{ feature.name }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
