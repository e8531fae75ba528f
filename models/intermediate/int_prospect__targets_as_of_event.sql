{#-
    The features of each staged event plus its label (the tutorial's
    targets_as_of_event). The target is defined at prediction points, the events
    strictly before the visitor's first conversion, where the next conversion is
    the first one: true when the event is strictly earlier than the first
    conversion and whole seconds(event -> first conversion) <= horizon (a
    conversion later within the same second counts: 0 boundaries). Events at
    or after the first conversion are not prediction points (target null). A
    label is mature when it is known: positive, or the observed data (its end,
    data_end_tstamp, comes with the staged events) reaches the end of the
    horizon. Row-wise on top of the features: no join, no second sort.
-#}
{%- set horizon = prospect_scoring.horizon_seconds() -%}

with

features as (

    select * from {{ ref('int_prospect__features_as_of_event') }}

),

events_with_conversion as (

    select
        features.event_id,
        features.domain_userid,
        features.derived_tstamp,
        features.event_name,
        {%- for feature in prospect_scoring.counter_features() %}
        features.{{ feature.name }},
        {%- endfor %}
        features.first_conversion_tstamp,
        features.data_end_tstamp,
        (
            features.first_conversion_tstamp is null
            or features.derived_tstamp < features.first_conversion_tstamp
        ) as is_before_first_conversion

    from features

),

targets_as_of_event as (

    select
        *,
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
