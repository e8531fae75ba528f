{#-
    One row per visitor of the staged events: first conversion (the tutorial's
    post_conv), first/last seen, and the visitor-level filters of the training
    set (cohort window, automated-looking activity).
    A table (one row per visitor, small): its data tests, the audit and, when a
    visitor filter is on, final_training read it instead of re-running the
    deduplication of the staged events.
-#}
{{ config(materialized='table') }}
{%- set conversion_event = prospect_scoring.conversion_event() -%}
{%- set max_events_per_day = prospect_scoring.max_events_per_day() -%}
{%- set cohort_start = prospect_scoring.cohort_first_seen_start() -%}
{%- set cohort_end = prospect_scoring.cohort_first_seen_end() -%}
{%- set cohort_days = prospect_scoring.cohort_days_before_reference() -%}
{%- set reference_date = prospect_scoring.reference_date() -%}

with

staged_events as (

    select * from {{ ref('stg_snowplow__events') }}

),

visitor_activity as (

    select
        domain_userid,
        min(derived_tstamp) as first_seen_tstamp,
        max(derived_tstamp) as last_seen_tstamp,
        count(*) as events,
        min(case when event_name = {{ prospect_scoring.quote_literal(conversion_event) }} then derived_tstamp end) as first_conversion_tstamp,
        -- The same on every staged event.
        max(data_end_tstamp) as data_end_tstamp

    from staged_events
    group by domain_userid

),

daily_peaks as (

    {%- if max_events_per_day is not none %}
    select
        domain_userid,
        max(events_in_day) as max_events_in_one_day
    from (
        select
            domain_userid,
            {{ dbt.date_trunc('day', 'derived_tstamp') }} as activity_day,
            count(*) as events_in_day
        from staged_events
        group by domain_userid, {{ dbt.date_trunc('day', 'derived_tstamp') }}
    ) as events_per_day
    group by domain_userid
    {%- else %}
    -- snowplow__max_events_per_day is unset: the automated-activity filter is off.
    select
        domain_userid,
        cast(null as {{ dbt.type_bigint() }}) as max_events_in_one_day
    from visitor_activity
    {%- endif %}

),

reference_point as (

    {%- if reference_date is not none %}
    select {{ prospect_scoring.timestamp_literal(reference_date) }} as reference_tstamp
    {%- else %}
    -- No snowplow__reference_date: the end of the observed data, so builds are reproducible.
    select max(data_end_tstamp) as reference_tstamp
    from visitor_activity
    {%- endif %}

),

flagged as (

    select
        visitor_activity.domain_userid,
        visitor_activity.first_seen_tstamp,
        visitor_activity.last_seen_tstamp,
        visitor_activity.events,
        visitor_activity.first_conversion_tstamp,
        daily_peaks.max_events_in_one_day,
        {%- if max_events_per_day is not none %}
        daily_peaks.max_events_in_one_day > {{ max_events_per_day }} as is_automated,
        {%- else %}
        false as is_automated,
        {%- endif %}
        {%- if cohort_days is not none %}
        (
            visitor_activity.first_seen_tstamp >= {{ dbt.dateadd('day', -1 * cohort_days[0], 'reference_point.reference_tstamp') }}
            and visitor_activity.first_seen_tstamp < {{ dbt.dateadd('day', -1 * cohort_days[1], 'reference_point.reference_tstamp') }}
        ) as is_in_cohort
        {%- else %}
        (
            true
            {%- if cohort_start is not none %}
            and visitor_activity.first_seen_tstamp >= {{ prospect_scoring.timestamp_literal(cohort_start) }}
            {%- endif %}
            {%- if cohort_end is not none %}
            and visitor_activity.first_seen_tstamp < {{ prospect_scoring.timestamp_literal(cohort_end) }}
            {%- endif %}
        ) as is_in_cohort
        {%- endif %}

    from visitor_activity
    inner join daily_peaks
        on visitor_activity.domain_userid = daily_peaks.domain_userid
    cross join reference_point

),

visitors as (

    select
        *,
        is_in_cohort and not is_automated as is_eligible
    from flagged

)

select * from visitors
