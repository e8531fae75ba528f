{#-
    Batch scores where the data lives: one row per prospect, a visitor of the
    training population (int_prospect__visitors.is_eligible: the cohort and
    automated-activity filters of final_training) who has not converted and
    whose last event is at most snowplow__score_active_days days before the end
    of the observed data (data_end_tstamp: not the wall clock, so a rebuild of
    the same data scores the same visitors; prospect-score selects them the same
    way, but scores each from its last final_training row, as of that event, so
    its attributes count one event fewer and visitors without a row there, e.g.
    with immature labels dropped, are left out with a warning: docs/serving.md).

    Attributes: as of the end of the observed data, by the same attribute
    macros as final_training (attribute_input, counters_strictly_earlier,
    attribute_window_item, attribute_value): each prospect's timeline gets one
    anchor row at data_end_tstamp + 1 microsecond, which carries no event
    (every attribute condition is false on it), and the window pass of
    int_prospect__features_as_of_event runs over it; the anchor row's values
    count every event of the visitor (all strictly earlier), as Signals would
    at that instant.

    Score: with snowplow__score_model (train/fit.py's score_vars.yml of a
    logreg model) the model's predict_proba computed in SQL (score_logit()).

    Built only when snowplow__score_model is given: a second window pass over
    the events is a cost (about 10 s at 10M events) that a plain `dbt build`
    for training should not pay. `dbt build -s prospect_scores --vars "$(cat
    artifacts/current/score_vars.yml)"` builds it and runs its data tests.
-#}
{{ config(materialized='table', enabled=(var('snowplow__score_model', none) is not none)) }}
{#- Disabled, the model reads no catalog: a bad catalog is then named by a model that is built. -#}
{%- set attributes = prospect_scoring.attributes() if var('snowplow__score_model', none) is not none else [] -%}
{%- set model = prospect_scoring.score_model() -%}
{%- set double = prospect_scoring.double_type() -%}
{%- set columns = prospect_scoring.required_event_columns() | reject('in', ['domain_userid', 'derived_tstamp']) | list -%}
{%- for source in (prospect_scoring.attribute_source_columns() if attributes else []) -%}{%- do columns.append(source.column) -%}{%- endfor -%}
{%- set passes = prospect_scoring.attribute_passes(attributes) -%}
{%- set lifetime_distinct, counters, others = passes.lifetime_distinct, passes.counters, passes.others -%}

with

visitors as (

    select * from {{ ref('int_prospect__visitors') }}

),

staged_events as (

    select * from {{ ref('stg_snowplow__events') }}

),

observed_end as (

    select max(data_end_tstamp) as data_end_tstamp
    from staged_events

),

prospects as (

    select
        visitors.domain_userid,
        visitors.last_seen_tstamp,
        observed_end.data_end_tstamp,
        {{ prospect_scoring.instant_after('observed_end.data_end_tstamp') }} as as_of_tstamp

    from visitors
    cross join observed_end
    where
        visitors.is_eligible
        and visitors.first_conversion_tstamp is null
        and visitors.last_seen_tstamp >= {{ dbt.dateadd('day', -prospect_scoring.score_active_days(), 'observed_end.data_end_tstamp') | trim }}

),

-- The prospects' events, then one anchor row per prospect after all of them.
timeline as (

    select
        staged_events.domain_userid,
        staged_events.derived_tstamp,
        {%- for column in columns %}
        staged_events.{{ column }},
        {%- endfor %}
        false as is_anchor

    from staged_events
    inner join prospects on staged_events.domain_userid = prospects.domain_userid

    union all

    select
        domain_userid,
        as_of_tstamp as derived_tstamp,
        {%- for column in columns %}
        null as {{ column }},
        {%- endfor %}
        true as is_anchor

    from prospects

),

feature_hits as (

    select
        {{ prospect_scoring.store_event_id() }},
        domain_userid,
        derived_tstamp,
        event_name,
        is_anchor,
        {%- for attribute in attributes %}
        {{ prospect_scoring.attribute_input(attribute) }}{{ "," if not loop.last }}
        {%- endfor %}

    from timeline

),

first_occurrences as (

    select  -- noqa: LT09
        *{{ prospect_scoring.first_occurrence_hits(lifetime_distinct) }}

    from feature_hits

),

features_as_of_end as (

    select
        domain_userid,
        derived_tstamp,
        is_anchor,
        {%- if counters %}
        {{ prospect_scoring.counters_strictly_earlier(counters) | trim }}{{ "," if others }}
        {%- endif %}
        {%- for attribute in others %}
        {{ prospect_scoring.attribute_window_item(attribute) }}{{ "," if not loop.last }}
        {%- endfor %}

    from first_occurrences

),

-- On DuckDB the counters from the window pass's running sums (counters_from_running_sums).
counters_as_of_end as (

    select  -- noqa: LT09
        *{{ prospect_scoring.counters_from_running_sums(counters) }}

    from features_as_of_end

),

attributes_as_of_end as (

    select
        domain_userid,
        {%- for attribute in attributes %}
        {%- if attribute.aggregation == 'counter' %}
        {{ attribute.name }}{{ "," if not loop.last }}
        {%- else %}
        {{ prospect_scoring.attribute_value(attribute) }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}

    from counters_as_of_end
    where is_anchor

),

logits as (

    select
        attributes_as_of_end.*,
        {%- if model is not none %}
        {{ prospect_scoring.score_logit(model) }} as score_logit
        {%- else %}
        cast(null as {{ double }}) as score_logit
        {%- endif %}

    from attributes_as_of_end

),

prospect_scores as (

    select
        prospects.domain_userid,
        -- the logistic function, in the form that cannot overflow
        case
            when logits.score_logit >= 0 then 1 / (1 + exp(-logits.score_logit))
            else exp(logits.score_logit) / (1 + exp(logits.score_logit))
        end as score,
        {%- if model is not none %}
        case
            when logits.score_logit >= 0 then 1 / (1 + exp(-logits.score_logit))
            else exp(logits.score_logit) / (1 + exp(logits.score_logit))
        end >= cast({{ model.threshold }} as {{ double }}) as is_prospect,
        cast({{ model.threshold }} as {{ double }}) as threshold,
        {{ prospect_scoring.quote_literal(model.kind) }} as model_kind,
        {{ prospect_scoring.quote_literal(model.trained_at) }} as model_trained_at,
        {{ prospect_scoring.quote_literal(model.data_fingerprint) }} as model_data_fingerprint,
        {%- else %}
        cast(null as {{ dbt.type_boolean() }}) as is_prospect,
        cast(null as {{ double }}) as threshold,
        cast(null as {{ dbt.type_string() }}) as model_kind,
        cast(null as {{ dbt.type_string() }}) as model_trained_at,
        cast(null as {{ dbt.type_string() }}) as model_data_fingerprint,
        {%- endif %}
        prospects.last_seen_tstamp,
        prospects.data_end_tstamp,
        prospects.as_of_tstamp,
        {%- for attribute in attributes %}
        logits.{{ attribute.name }}{{ "," if not loop.last }}
        {%- endfor %}

    from prospects
    inner join logits on prospects.domain_userid = logits.domain_userid

)

select * from prospect_scores
