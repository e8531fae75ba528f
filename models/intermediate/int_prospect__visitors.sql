{#-
    One row per visitor of the staged events: first and last seen, events, first
    conversion (the tutorial's post_conv), busiest day and the visitor filters of
    the training set, read from int_prospect__targets_as_of_event (a table),
    where each was computed once, in the window pass: here they are only
    collected, one group-by over that table. Read by training_dataset_audit;
    for users, the visitor-level view of the dataset.
-#}
{{ config(materialized='table') }}

with

targets as (

    select * from {{ ref('int_prospect__targets_as_of_event') }}

),

visitors as (

    select
        domain_userid,
        -- Row events only (as the cohort and the automated-activity filter count them):
        -- the history-only events an attribute names do not change who is a visitor.
        max(first_seen_tstamp) as first_seen_tstamp,
        max(case when is_row_event then derived_tstamp end) as last_seen_tstamp,
        count(*) as events,
        sum(case when is_row_event and is_before_first_conversion then 1 else 0 end) as events_before_first_conversion,
        -- The same on every event of a visitor (window aggregates over the visitor).
        max(first_conversion_tstamp) as first_conversion_tstamp,
        max(max_events_in_one_day) as max_events_in_one_day,
        {{ dbt.bool_or('is_automated') }} as is_automated,
        {{ dbt.bool_or('is_in_cohort') }} as is_in_cohort,
        {{ dbt.bool_or('is_eligible') }} as is_eligible

    from targets
    group by domain_userid

)

select * from visitors
