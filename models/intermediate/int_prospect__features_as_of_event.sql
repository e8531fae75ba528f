{#-
    The tutorial's features, one row per staged event: counters of the visitor's
    strictly earlier events, as defined in counter_features() (macros/config).
    Window functions over (visitor, time): linear in the number of events per
    visitor after the sort, no self-join.
-#}

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
        {{ prospect_scoring.counter_feature_indicators() }}

    from staged_events

),

features_as_of_event as (

    select
        event_id,
        domain_userid,
        derived_tstamp,
        event_name,
        {%- for feature in prospect_scoring.counter_features() %}
        cast({{ prospect_scoring.count_strictly_earlier(feature.name ~ '__hit') }} as {{ dbt.type_bigint() }}) as {{ feature.name }}{{ "," if not loop.last }}
        {%- endfor %}

    from feature_hits

)

select * from features_as_of_event
