{#-
    One row per staged event, on its visitor's timeline (window functions over
    domain_userid ordered by derived_tstamp, no self-join):
      * the features: counters of the visitor's strictly earlier events, as
        defined in counter_features() (macros/config); events at one timestamp
        do not see each other;
      * first_conversion_tstamp: the visitor's first conversion (the tutorial's
        post_conv). It is not a feature and final_training does not expose it;
        it is computed here because the same partitioning by visitor serves it,
        so the whole chain sorts the events once;
      * data_end_tstamp, carried from the staged events for the label's maturity.
-#}
{%- set conversion_event = prospect_scoring.conversion_event() -%}

with

staged_events as (

    select * from {{ ref('stg_snowplow__events') }}

),

feature_hits as (

    select
        event_id,
        domain_userid,
        derived_tstamp,
        event_name,
        data_end_tstamp,
        {{ prospect_scoring.counter_feature_indicators() }}

    from staged_events

),

features_as_of_event as (

    select
        event_id,
        domain_userid,
        derived_tstamp,
        event_name,
        {{ prospect_scoring.counters_strictly_earlier(prospect_scoring.counter_features()) }},
        min(
            case when event_name = {{ prospect_scoring.quote_literal(conversion_event) }} then derived_tstamp end
        ) over (partition by domain_userid) as first_conversion_tstamp,
        data_end_tstamp

    from feature_hits

)

select * from features_as_of_event
