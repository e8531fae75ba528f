{#-
    The training table: one row per event strictly before the visitor's first
    conversion, with the as-of-event features and the target. Read by
    train/fit.py together with final_training_columns. The only table of the
    chain stg -> features -> targets -> final_training: on DuckDB the whole chain
    runs as one query with one sort of the events (with a visitor filter on, it
    also joins the int_prospect__visitors table).
-#}
{%- set visitor_filters_on = prospect_scoring.visitor_filters_on() -%}

with

targets as (

    select * from {{ ref('int_prospect__targets_as_of_event') }}

),

{%- if visitor_filters_on %}

visitors as (

    select * from {{ ref('int_prospect__visitors') }}

),
{%- endif %}

final_training as (

    select
        targets.event_id,
        targets.domain_userid,
        targets.derived_tstamp,
        targets.event_name,
        {%- for feature in prospect_scoring.counter_features() %}
        targets.{{ feature.name }},
        {%- endfor %}
        targets.target_had_submit_form_next1h,
        targets.is_label_mature

    from targets
    {%- if visitor_filters_on %}
    inner join visitors
        on targets.domain_userid = visitors.domain_userid
    {%- endif %}
    where
        targets.is_before_first_conversion
        {%- if visitor_filters_on %}
        and visitors.is_eligible
        {%- endif %}
        {%- if prospect_scoring.drop_immature_labels() %}
        and targets.is_label_mature
        {%- endif %}

)

select * from final_training
