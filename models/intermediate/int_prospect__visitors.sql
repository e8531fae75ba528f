{#-
    One row per visitor of the staged events: first and last seen, events, first
    conversion (the tutorial's post_conv), busiest day and the visitor filters of
    the training set, collected from int_prospect__targets_as_of_event (a
    table) with one group-by of what the window pass computed there. The targets
    table does not store the visitor-level columns on every row (README,
    Performance), so they are read off the rows:
      * first_seen_tstamp: the earliest row event (is_row_event: history-only
        events do not count), as the window pass's first_seen_tstamp, which the
        cohort filter compares, takes it (int_prospect__features_as_of_event);
      * first_conversion_tstamp: the earliest event that is not before the first
        conversion, which is the first conversion itself;
      * max_events_in_one_day, is_in_cohort, is_automated: collected when a
        visitor filter is on (the targets table stores them then); off, they are
        the constants the filters give (null, true, false).
    Read by training_dataset_audit and prospect_scores; for users, the
    visitor-level view of the dataset. A view, like the rest of intermediate/
    (a table on local Spark): the group-by costs its readers about 0.15 s at
    10M events, where writing its 1.4M rows as a table cost 0.55 s more on
    every build (README, Performance).
-#}
{%- set visitor_filters_on = prospect_scoring.visitor_filters_on() -%}

with

targets as (

    select * from {{ ref('int_prospect__targets_as_of_event') }}

),

visitors as (

    select
        domain_userid,
        -- Row events only (as the cohort and the automated-activity filter count them):
        -- the history-only events an attribute names do not change who is a visitor.
        min(case when is_row_event then derived_tstamp end) as first_seen_tstamp,
        max(case when is_row_event then derived_tstamp end) as last_seen_tstamp,
        count(*) as events,
        sum(case when is_row_event and is_before_first_conversion then 1 else 0 end) as events_before_first_conversion,
        min(case when not is_before_first_conversion then derived_tstamp end) as first_conversion_tstamp,
        {%- if visitor_filters_on %}
        -- The same on every event of a visitor (window aggregates over the visitor).
        max(max_events_in_one_day) as max_events_in_one_day,
        {{ dbt.bool_or('is_automated') }} as is_automated,
        {{ dbt.bool_or('is_in_cohort') }} as is_in_cohort,
        {%- else %}
        cast(null as {{ dbt.type_bigint() }}) as max_events_in_one_day,
        false as is_automated,
        true as is_in_cohort,
        {%- endif %}
        {{ dbt.bool_or('is_eligible') }} as is_eligible

    from targets
    group by domain_userid

)

select * from visitors
