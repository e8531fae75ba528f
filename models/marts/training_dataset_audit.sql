{#-
    How the events source becomes final_training, one filter at a time: events
    and visitors remaining after each step and how many the step removed, so a
    user can audit the dataset (README "Training-set design"). It counts what
    the chain computed and does not repeat a rule: the filter flags of
    base_snowplow__events_flagged (one scan of the source, grouped by visitor),
    the visitors model, and final_training. Only with a time range set does it
    deduplicate once more (earliest_copy_per_event_id, as staging does), to
    count the events before the range cuts them. Step 9 reads final_training
    only when snowplow__drop_immature_labels drops rows: otherwise final_training
    is exactly step 8's rows (row events before the first conversion of eligible
    visitors), so step 9 repeats step 8's counts instead of computing the
    final_training view again (about 0.1 s at 10M events).
-#}
{%- set visitor_filters_on = prospect_scoring.visitor_filters_on() -%}
{%- set time_range_on = prospect_scoring.start_date() is not none or prospect_scoring.end_date() is not none %}
{%- set drop_immature_labels = prospect_scoring.drop_immature_labels() %}
-- depends_on: {{ ref('base_snowplow__events') }} (read only with a time range; the graph does not change with vars)
-- depends_on: {{ ref('final_training') }} (read only when immature labels are dropped)

with

flagged_events as (

    select * from {{ ref('base_snowplow__events_flagged') }}

),

visitors as (

    select * from {{ ref('int_prospect__visitors') }}

),
{%- if drop_immature_labels %}

final_training as (

    select * from {{ ref('final_training') }}

),
{%- endif %}

{%- if time_range_on %}

base_events as (

    select * from {{ ref('base_snowplow__events') }}

),

deduplicated_events as (

    {{ prospect_scoring.earliest_copy_per_event_id('base_events') }}

),
{%- endif %}

-- One row per visitor of the source (one for the null visitor): its events
-- after each filter rule, so that one scan counts events and visitors of steps 1-4.
source_by_visitor as (

    select
        domain_userid,
        count(*) as source_events,
        sum(case when has_complete_keys then 1 else 0 end) as complete_events,
        sum(case when has_complete_keys and is_kept_app then 1 else 0 end) as kept_app_events,
        sum(case when has_complete_keys and is_kept_app and is_kept_event_name then 1 else 0 end) as kept_events
    from flagged_events
    group by domain_userid

),

steps as (

    select
        1 as step_order,
        'source' as step,
        'every row of the events source' as reason,
        sum(source_events) as events_remaining,
        count(domain_userid) as visitors_remaining
    from source_by_visitor

    union all

    select
        2 as step_order,
        'complete_keys' as step,
        'event_id, derived_tstamp and domain_userid are not null' as reason,
        sum(complete_events) as events_remaining,
        sum(case when complete_events > 0 then 1 else 0 end) as visitors_remaining
    from source_by_visitor

    union all

    select
        3 as step_order,
        'app_ids' as step,
        'app_id in snowplow__app_ids' as reason,
        sum(kept_app_events) as events_remaining,
        sum(case when kept_app_events > 0 then 1 else 0 end) as visitors_remaining
    from source_by_visitor

    union all

    select
        4 as step_order,
        'event_names' as step,
        {%- if prospect_scoring.history_only_event_names() %}
        'event_name in snowplow__event_names, or named by an attribute (history only)' as reason,
        {%- else %}
        'event_name in snowplow__event_names' as reason,
        {%- endif %}
        sum(kept_events) as events_remaining,
        sum(case when kept_events > 0 then 1 else 0 end) as visitors_remaining
    from source_by_visitor

    union all

    select
        5 as step_order,
        'deduplicated' as step,
        'one row per event_id (duplicated deliveries removed)' as reason,
        {%- if time_range_on %}
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from deduplicated_events
        {%- else %}
        sum(events) as events_remaining,
        count(*) as visitors_remaining
    from visitors
        {%- endif %}

    union all

    select
        6 as step_order,
        'time_range' as step,
        'derived_tstamp in [snowplow__start_date, snowplow__end_date)' as reason,
        sum(events) as events_remaining,
        count(*) as visitors_remaining
    from visitors

    union all

    select
        7 as step_order,
        'visitor_filters' as step,
        {%- if visitor_filters_on %}
        'visitors in the cohort window and not automated (snowplow__cohort_*, snowplow__max_events_per_day)'
        {%- else %}
        'visitor filters off (no cohort window, no snowplow__max_events_per_day)'
        {%- endif %} as reason,
        sum(case when is_eligible then events else 0 end) as events_remaining,
        sum(case when is_eligible then 1 else 0 end) as visitors_remaining
    from visitors

    union all

    select
        8 as step_order,
        'before_first_conversion' as step,
        {{ prospect_scoring.quote_literal("row events strictly before the visitor's first conversion") }} as reason,
        sum(case when is_eligible then events_before_first_conversion else 0 end) as events_remaining,
        sum(case when is_eligible and events_before_first_conversion > 0 then 1 else 0 end) as visitors_remaining
    from visitors

    union all

    select
        9 as step_order,
        'label_maturity' as step,
        {%- if drop_immature_labels %}
        'immature labels dropped (snowplow__drop_immature_labels)' as reason,
        count(*) as events_remaining,
        count(distinct domain_userid) as visitors_remaining
    from final_training
        {%- else %}
        'immature labels kept and flagged (is_label_mature); snowplow__drop_immature_labels is false' as reason,
        sum(case when is_eligible then events_before_first_conversion else 0 end) as events_remaining,
        sum(case when is_eligible and events_before_first_conversion > 0 then 1 else 0 end) as visitors_remaining
    from visitors
        {%- endif %}

),

counted_steps as (

    select
        step_order,
        step,
        reason,
        cast(coalesce(events_remaining, 0) as {{ dbt.type_bigint() }}) as events_remaining,
        cast(coalesce(visitors_remaining, 0) as {{ dbt.type_bigint() }}) as visitors_remaining
    from steps

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
    from counted_steps

)

select * from audit
