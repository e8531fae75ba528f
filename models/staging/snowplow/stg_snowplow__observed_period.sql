{#-
    One row: where the observed data ends. `data_end_tstamp` is the latest
    derived_tstamp among the source's events that pass staging's filters
    (configured apps and event names, non-null keys, inside the time range),
    every delivered copy included: a later duplicate copy still shows that the
    data reaches its time. Label maturity and the default cohort reference date
    count from here. Reads the filtered events, not the deduplicated ones, so it
    costs one light scan instead of a second deduplication. A one-row table, so
    that scan runs once per build, whoever reads the end of the data.
-#}
{{ config(materialized='table') }}

with

filtered_events as (

    select * from {{ ref('base_snowplow__events') }}

),

observed_period as (

    select max(derived_tstamp) as data_end_tstamp
    from filtered_events
    where {{ prospect_scoring.time_range_condition('derived_tstamp') }}

)

select * from observed_period
