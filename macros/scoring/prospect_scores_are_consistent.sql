{#-
    Data test of prospect_scores (rows returned = failures):
      * the rows are exactly the prospects: the eligible, unconverted visitors
        of int_prospect__visitors whose last event is at most
        snowplow__score_active_days days before the end of the data;
      * each row is as of just after the end of the data;
      * score is a probability, null exactly when no model is given
        (snowplow__score_model), and is_prospect is score >= threshold.
    The test's only parent is prospect_scores: int_prospect__visitors and
    stg_snowplow__events are looked up in the graph (where dbt put them), not
    ref'd, so dbt selects the test only with prospect_scores (a ref would make
    `dbt build -s +final_training` select it eagerly, before prospect_scores exists).
-#}
{% test prospect_scores_are_consistent(model) %}
{%- set days = prospect_scoring.score_active_days() -%}
{%- set visitors = prospect_scoring._project_relation('int_prospect__visitors') -%}
{%- set events = prospect_scoring._project_relation('stg_snowplow__events') -%}
with

scores as (

    select * from {{ model }}

),

data_end as (

    select max(data_end_tstamp) as data_end_tstamp
    from {{ events }}

),

expected as (

    select visitors.domain_userid
    from {{ visitors }} as visitors
    cross join data_end
    where
        visitors.is_eligible
        and visitors.first_conversion_tstamp is null
        and visitors.last_seen_tstamp >= {{ dbt.dateadd('day', -days, 'data_end.data_end_tstamp') | trim }}

),

missing as (

    select
        expected.domain_userid,
        'prospect missing' as problem
    from expected
    left join scores on expected.domain_userid = scores.domain_userid
    where scores.domain_userid is null

),

extra as (

    select
        scores.domain_userid,
        'not a prospect' as problem
    from scores
    left join expected on scores.domain_userid = expected.domain_userid
    where expected.domain_userid is null

),

bad_rows as (

    select
        scores.domain_userid,
        'inconsistent row' as problem
    from scores
    cross join data_end
    where
        not coalesce(scores.data_end_tstamp = data_end.data_end_tstamp, false)
        or not coalesce(scores.as_of_tstamp > scores.data_end_tstamp, false)
        or not coalesce(scores.last_seen_tstamp <= scores.data_end_tstamp, false)
        {%- if var('snowplow__score_model', none) is none %}
        or scores.score is not null
        or scores.is_prospect is not null
        {%- else %}
        or scores.score is null
        or scores.score < 0
        or scores.score > 1
        or not coalesce(scores.is_prospect = (scores.score >= scores.threshold), false)
        {%- endif %}

)

select * from missing
union all
select * from extra
union all
select * from bad_rows
{% endtest %}
