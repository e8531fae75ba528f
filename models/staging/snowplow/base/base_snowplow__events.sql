{#-
    The Snowplow events source, renamed and filtered but not yet deduplicated:
    lower-case typed columns whatever the source's case; only the configured
    apps and event names; non-null event_id, visitor and timestamp. Every copy of
    a duplicated event_id is still here: stg_snowplow__events keeps the earliest,
    its data_end_tstamp (where the observed data ends) sees them all.
-#}

with

source_events as (

    select * from {{ source('snowplow', 'events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(app_id as {{ dbt.type_string() }}) as app_id,
        cast(derived_tstamp as {{ dbt.type_timestamp() }}) as derived_tstamp,
        cast(event_name as {{ dbt.type_string() }}) as event_name,
        cast(domain_userid as {{ dbt.type_string() }}) as domain_userid,
        cast(page_url as {{ dbt.type_string() }}) as page_url

    from source_events

),

filtered as (

    select *
    from renamed
    where
        event_id is not null
        and derived_tstamp is not null
        and domain_userid is not null
        and app_id in ({{ prospect_scoring.literal_list(prospect_scoring.app_ids()) }})
        and event_name in ({{ prospect_scoring.literal_list(prospect_scoring.event_names()) }})

)

select * from filtered
