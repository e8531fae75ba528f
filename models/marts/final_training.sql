{#-
    The training table (the tutorial's final_training): one row per prediction
    point, a row event (snowplow__event_names, not a history-only event)
    strictly before its visitor's first conversion, of an
    eligible visitor (cohort, not automated), optionally only with a mature
    label; with the identifiers, the as-of-event features, the target and the
    label-maturity flag. Read by train/fit.py together with
    final_training_columns.
    A view of the int_prospect__targets_as_of_event table, the one
    materialization of the chain stg -> features -> targets (one scan, one sort
    of the events on DuckDB): filtering it costs far less than writing the rows
    a second time, and it reads the same on every target.
-#}
{{ config(materialized='view') }}

with

targets as (

    select * from {{ ref('int_prospect__targets_as_of_event') }}

),

final_training as (

    select
        {{ prospect_scoring.stored_event_id(alias='event_id') }},
        domain_userid,
        derived_tstamp,
        event_name,
        {%- for feature in prospect_scoring.attributes() %}
        {{ feature.name }},
        {%- endfor %}
        {{ prospect_scoring.target_column_name() }},
        is_label_mature

    from targets
    where
        is_row_event
        and is_before_first_conversion
        and is_eligible
        {%- if prospect_scoring.drop_immature_labels() %}
        and is_label_mature
        {%- endif %}

)

select * from final_training
