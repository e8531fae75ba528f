{#-
    The events source, renamed and typed (lower-case columns whatever the
    source's case), every row kept, with one flag per filter rule of the
    dataset. Its columns are the required ones and exactly those the attribute
    catalog reads (attribute_source_columns(), typed as the canonical atomic
    schema types them: _atomic_column_type(); a column outside that schema, one
    the user added, keeps the source's type). An event is kept when its name is a row
    event's (snowplow__event_names) or one some attribute names (history
    only). base_snowplow__events keeps the rows where every flag is true;
    training_dataset_audit counts each flag. The rules live here only.
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
        {%- for source_column in prospect_scoring.attribute_source_columns() %},
        {%- set logical_type = prospect_scoring._atomic_column_type(source_column.column) %}
        {%- if logical_type is none %}
        {{ source_column.column }} as {{ source_column.column }}
        {%- else %}
        cast({{ source_column.column }} as {{ prospect_scoring.attribute_sql_type(logical_type) }}) as {{ source_column.column }}
        {%- endif %}
        {%- endfor %}

    from source_events

),

flagged as (

    select
        *,
        (
            event_id is not null
            and derived_tstamp is not null
            and domain_userid is not null
        ) as has_complete_keys,
        coalesce(app_id in ({{ prospect_scoring.literal_list(prospect_scoring.app_ids()) }}), false) as is_kept_app,
        coalesce(event_name in ({{ prospect_scoring.literal_list(prospect_scoring.staged_event_names()) }}), false) as is_kept_event_name

    from renamed

)

select * from flagged
