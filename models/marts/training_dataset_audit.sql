{#-
    How the events source becomes final_training, one filter at a time: events
    and visitors remaining after each step and how many the step removed, so a
    user can audit the dataset (README "Training-set design").
-#}
{%- set visitor_filters_on = prospect_scoring.visitor_filters_on() -%}

with

source_events as (

    select * from {{ source('snowplow', 'events') }}

),

staged_events as (

    select * from {{ ref('stg_snowplow__events') }}

),

visitors as (

    select * from {{ ref('int_prospect__visitors') }}

),

final_training as (

    select * from {{ ref('final_training') }}

),

complete_events as (

    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(domain_userid as {{ dbt.type_string() }}) as domain_userid,
        cast(app_id as {{ dbt.type_string() }}) as app_id,
        cast(event_name as {{ dbt.type_string() }}) as event_name
    from source_events
    where event_id is not null and derived_tstamp is not null and domain_userid is not null

),

kept_events as (

    select *
    from complete_events
    where
        app_id in ({{ prospect_scoring.literal_list(prospect_scoring.app_ids()) }})
        and event_name in ({{ prospect_scoring.literal_list(prospect_scoring.event_names()) }})

),

-- From the visitors' first conversions (a hash join), not from the targets
-- model: the audit does not repeat final_training's window pass.
eligible_events as (

    select
        staged_events.event_id,
        staged_events.domain_userid,
        (
            visitors.first_conversion_tstamp is null
            or staged_events.derived_tstamp < visitors.first_conversion_tstamp
        ) as is_before_first_conversion
    from staged_events
    inner join visitors
        on staged_events.domain_userid = visitors.domain_userid
    where visitors.is_eligible

),

steps as (

    select
        1 as step_order,
        'source' as step,
        'every row of the events source' as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from source_events

    union all

    select
        2 as step_order,
        'complete_keys' as step,
        'event_id, derived_tstamp and domain_userid are not null' as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from complete_events

    union all

    select
        3 as step_order,
        'app_ids' as step,
        'app_id in snowplow__app_ids' as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from complete_events
    where app_id in ({{ prospect_scoring.literal_list(prospect_scoring.app_ids()) }})

    union all

    select
        4 as step_order,
        'event_names' as step,
        'event_name in snowplow__event_names' as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from kept_events

    union all

    select
        5 as step_order,
        'deduplicated' as step,
        'one row per event_id (duplicated deliveries removed)' as reason,
        count(distinct event_id) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from kept_events

    union all

    select
        6 as step_order,
        'time_range' as step,
        'derived_tstamp in [snowplow__start_date, snowplow__end_date)' as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from staged_events

    union all

    select
        7 as step_order,
        'visitor_filters' as step,
        {%- if visitor_filters_on %}
        'visitors in the cohort window and not automated (snowplow__cohort_*, snowplow__max_events_per_day)'
        {%- else %}
        'visitor filters off (no cohort window, no snowplow__max_events_per_day)'
        {%- endif %} as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from eligible_events

    union all

    select
        8 as step_order,
        'before_first_conversion' as step,
        {{ prospect_scoring.quote_literal("events strictly before the visitor's first conversion") }} as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from eligible_events
    where is_before_first_conversion

    union all

    select
        9 as step_order,
        'label_maturity' as step,
        {%- if prospect_scoring.drop_immature_labels() %}
        'immature labels dropped (snowplow__drop_immature_labels)'
        {%- else %}
        'immature labels kept and flagged (is_label_mature); snowplow__drop_immature_labels is false'
        {%- endif %} as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from final_training

),

audit as (

    select
        step_order,
        step,
        reason,
        events_remaining,
        visitors_remaining,
        coalesce(lag(events_remaining) over (order by step_order) - events_remaining, 0) as events_removed,
        coalesce(lag(visitors_remaining) over (order by step_order) - visitors_remaining, 0) as visitors_removed
    from steps

)

select * from audit
