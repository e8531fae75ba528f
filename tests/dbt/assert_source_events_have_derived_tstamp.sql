{{ config(severity='warn') }}
{#- Events with a null derived_tstamp are left out of the dataset (see
    stg_snowplow__events); this warning-level test counts them. -#}

select event_id
from {{ source('snowplow', 'events') }}
where derived_tstamp is null
