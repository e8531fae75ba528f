{#-
    The events of the dataset before deduplication: the rows of
    base_snowplow__events_flagged that pass every filter rule (complete keys,
    a kept app_id and event name), with the columns the attribute catalog
    reads. Every copy of a duplicated event_id is still
    here: stg_snowplow__events keeps the earliest, and its data_end_tstamp
    (where the observed data ends) sees them all.
-#}

with

flagged_events as (

    select * from {{ ref('base_snowplow__events_flagged') }}

),

kept as (

    select
        event_id,
        app_id,
        derived_tstamp,
        event_name,
        domain_userid,
        page_url
        {%- for source_column in prospect_scoring.attribute_source_columns() %},
        {{ source_column.column }}
        {%- endfor %}

    from flagged_events
    where
        has_complete_keys
        and is_kept_app
        and is_kept_event_name

)

select * from kept
