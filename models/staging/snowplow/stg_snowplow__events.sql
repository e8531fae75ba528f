{#-
    Staged Snowplow events: one row per event_id, lower-case typed columns, only
    the configured apps and event names, non-null visitor and timestamp, inside
    the optional [snowplow__start_date, snowplow__end_date) time range.

    A table, not a view: three models read it, and the deduplication should run
    once (scripts/benchmark.py measured the view evaluated three times).
-#}
{{ config(materialized='table') }}

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

),

-- Snowplow delivers at least once: keep the earliest copy of each event_id.
deduplicated as (

    {{ prospect_scoring.earliest_copy_per_event_id('filtered') }}

),

in_time_range as (

    select *
    from deduplicated
    where
        true
        {%- if prospect_scoring.start_date() is not none %}
        and derived_tstamp >= {{ prospect_scoring.timestamp_literal(prospect_scoring.start_date()) }}
        {%- endif %}
        {%- if prospect_scoring.end_date() is not none %}
        and derived_tstamp < {{ prospect_scoring.timestamp_literal(prospect_scoring.end_date()) }}
        {%- endif %}

)

select * from in_time_range
