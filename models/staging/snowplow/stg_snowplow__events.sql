{#-
    Staged Snowplow events (the tutorial's `events`): one row per event_id, the
    earliest copy, inside the optional [snowplow__start_date, snowplow__end_date)
    range. Each row also carries data_end_tstamp, where the observed data ends
    (the latest copy of a row event in range, before deduplication), the same
    on every row: computed here, from the filtered events this model reads
    anyway (on DuckDB a shared CTE, so no second scan of the source). Label maturity and the default
    cohort reference date count from it.
    On DuckDB a view: it is inlined into int_prospect__targets_as_of_event, the
    one table of the chain, so the events are scanned, deduplicated and sorted
    once (scripts/benchmark.py); the data tests read that table, and only the batch
    scores (prospect_scores and its consistency test, off by default) read it again. On a
    warehouse a table: what reads the staged events then reads it instead of
    re-scanning (and, on BigQuery, re-billing) the raw events.
-#}
{{ config(materialized=('view' if target.type == 'duckdb' else 'table')) }}
{%- set history_only = prospect_scoring.history_only_event_names() %}

with

filtered_events as (

    select * from {{ ref('base_snowplow__events') }}

),

-- Snowplow delivers at least once: keep the earliest copy of each event_id.
deduplicated as (

    {{ prospect_scoring.earliest_copy_per_event_id('filtered_events') }}

),

-- After deduplication, so an event whose earliest copy is out of range is out.
in_time_range as (

    select *
    from deduplicated
    where {{ prospect_scoring.time_range_condition('derived_tstamp') }}

),

-- Where the observed data ends: before deduplication, so a later duplicate copy
-- still shows that the data reaches its time; inside the same time range; row
-- events only, so the history-only events an attribute names do not move it.
observed_end as (

    select max(derived_tstamp) as data_end_tstamp
    from filtered_events
    where {{ prospect_scoring.time_range_condition('derived_tstamp') }}
    {%- if history_only %}
        and event_name in ({{ prospect_scoring.literal_list(prospect_scoring.event_names()) }})
    {%- endif %}

),

with_observed_end as (

    select
        in_time_range.*,
        observed_end.data_end_tstamp

    from in_time_range
    cross join observed_end

)

select * from with_observed_end
