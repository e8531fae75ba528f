{#-
    One pass of window functions over each visitor's timeline (partitioned by
    domain_userid, ordered by derived_tstamp; no self-join), one row per staged
    event. It carries the features and, computed in the same pass because the
    same partitioning serves them, the inputs of the label and of the visitor
    filters, which are not features and which final_training does not expose:
      * the features: counters of the visitor's strictly earlier events, as
        defined in snowplow__counter_features (events at one timestamp do not
        see each other);
      * first_conversion_tstamp: the visitor's first conversion (the tutorial's
        post_conv), for the label;
      * first_seen_tstamp: the visitor's first staged event, for the cohort;
      * events_in_day: the visitor's staged events in this event's UTC day, for
        the automated-activity filter (only when snowplow__max_events_per_day is
        set, else null: the filter costs a second partitioning only when on);
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
        min(derived_tstamp) over (partition by domain_userid) as first_seen_tstamp,
        {%- if prospect_scoring.max_events_per_day() is not none %}
        count(*) over (
            partition by domain_userid, {{ dbt.date_trunc('day', 'derived_tstamp') }}
        ) as events_in_day,
        {%- else %}
        cast(null as {{ dbt.type_bigint() }}) as events_in_day,
        {%- endif %}
        data_end_tstamp

    from feature_hits

)

select * from features_as_of_event
