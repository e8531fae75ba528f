{#-
    For each staged event: does the visitor convert within the horizon after it?
    The target is defined at prediction points, the events strictly before the
    visitor's first conversion, where the next conversion is the first one:
    true when 0 < whole seconds(event -> first conversion) <= horizon. Events at
    or after the first conversion are not prediction points (target null).
    A label is mature when it is known: positive, or the observed data reaches
    the end of the horizon.
-#}
{%- set horizon = prospect_scoring.horizon_seconds() -%}

with

staged_events as (

    select * from {{ ref('stg_snowplow__events') }}

),

visitors as (

    select * from {{ ref('int_prospect__visitors') }}

),

observed_period as (

    select max(last_seen_tstamp) as data_end_tstamp
    from visitors

),

events_with_conversion as (

    select
        staged_events.event_id,
        staged_events.domain_userid,
        staged_events.derived_tstamp,
        visitors.first_conversion_tstamp,
        observed_period.data_end_tstamp,
        (
            visitors.first_conversion_tstamp is null
            or staged_events.derived_tstamp < visitors.first_conversion_tstamp
        ) as is_before_first_conversion

    from staged_events
    inner join visitors
        on staged_events.domain_userid = visitors.domain_userid
    cross join observed_period

),

targets_as_of_event as (

    select
        event_id,
        domain_userid,
        derived_tstamp,
        first_conversion_tstamp,
        is_before_first_conversion,
        case
            when not is_before_first_conversion then null
            when first_conversion_tstamp is null then false
            else {{ prospect_scoring.whole_seconds_between('derived_tstamp', 'first_conversion_tstamp') }} <= {{ horizon }}
        end as target_had_submit_form_next1h,
        (
            not is_before_first_conversion
            or (
                first_conversion_tstamp is not null
                and {{ prospect_scoring.whole_seconds_between('derived_tstamp', 'first_conversion_tstamp') }} <= {{ horizon }}
            )
            or {{ prospect_scoring.whole_seconds_between('derived_tstamp', 'data_end_tstamp') }} >= {{ horizon }}
        ) as is_label_mature

    from events_with_conversion

)

select * from targets_as_of_event
