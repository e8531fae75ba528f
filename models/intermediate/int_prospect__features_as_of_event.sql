{#-
    One pass of window functions over each visitor's timeline (partitioned by
    domain_userid, ordered by derived_tstamp; no self-join), one row per staged
    event. It carries the features and, computed in the same pass because the
    same partitioning serves them, the inputs of the label and of the visitor
    filters, which are not features and which final_training does not expose:
      * the features: the attributes of snowplow__attributes (attributes(),
        docs/attributes.md), each aggregating the visitor's strictly earlier
        eligible events (events at one timestamp do not see each other);
        windows of one frame are one pass; on DuckDB the counters are read from
        packed running sums (counters_from_running_sums);
      * is_row_event: the event is a prediction point candidate (its name is in
        snowplow__event_names), not a history-only event that only feeds
        attributes;
      * first_conversion_tstamp: the visitor's first conversion (the tutorial's
        post_conv), for the label;
      * first_seen_tstamp: the visitor's first row event, for the cohort
        (int_prospect__visitors takes the same minimum over the stored rows);
      * events_in_day: the visitor's row events in this event's UTC day, for
        the automated-activity filter (only when snowplow__max_events_per_day is
        set, else null: the filter costs a second partitioning only when on).
        Row events only, like data_end_tstamp: the history-only events that an
        attribute names (page pings) do not change who is in the training set;
      * data_end_tstamp, carried from the staged events for the label's maturity.
-#}
{%- set conversion_event = prospect_scoring.conversion_event() -%}
{%- set attributes = prospect_scoring.attributes() -%}
{#- Lifetime distinct counts are counters of first occurrences (see first_occurrences). -#}
{%- set passes = prospect_scoring.attribute_passes(attributes) -%}
{%- set lifetime_distinct, counters, others = passes.lifetime_distinct, passes.counters, passes.others -%}
{%- set history_only = prospect_scoring.history_only_event_names() -%}

with

staged_events as (

    select * from {{ ref('stg_snowplow__events') }}

),

feature_hits as (

    select
        {{ prospect_scoring.store_event_id() }},
        domain_userid,
        derived_tstamp,
        event_name,
        data_end_tstamp,
        {%- if history_only %}
        event_name in ({{ prospect_scoring.literal_list(prospect_scoring.event_names()) }}) as is_row_event,
        {%- else %}
        true as is_row_event,
        {%- endif %}
        {%- for attribute in attributes %}
        {{ prospect_scoring.attribute_input(attribute) }}{{ "," if not loop.last }}
        {%- endfor %}

    from staged_events

),

-- A lifetime distinct count is the number of values whose first eligible event is
-- strictly earlier: one 0/1 indicator per value's first occurrence (a partition by
-- visitor and value; exact, and a counter thereafter, which shares the counters' sum).
first_occurrences as (

    select  -- noqa: LT09
        *{{ prospect_scoring.first_occurrence_hits(lifetime_distinct) }}

    from feature_hits

),

features_as_of_event as (

    select
        {%- for column in prospect_scoring.stored_event_id_columns() %}
        {{ column }},
        {%- endfor %}
        domain_userid,
        derived_tstamp,
        event_name,
        is_row_event,
        {%- if counters %}
        {{ prospect_scoring.counters_strictly_earlier(counters) | trim }},
        {%- endif %}
        {%- for attribute in others %}
        {{ prospect_scoring.attribute_window_item(attribute) }},
        {%- endfor %}
        min(
            case when event_name = {{ prospect_scoring.quote_literal(conversion_event) }} then derived_tstamp end
        ) over (partition by domain_userid) as first_conversion_tstamp,
        {%- if history_only %}
        min(case when is_row_event then derived_tstamp end) over (partition by domain_userid) as first_seen_tstamp,
        {%- else %}
        min(derived_tstamp) over (partition by domain_userid) as first_seen_tstamp,
        {%- endif %}
        {%- if prospect_scoring.max_events_per_day() is not none %}
        {{ 'sum(case when is_row_event then 1 else 0 end)' if history_only else 'count(*)' }} over (
            partition by domain_userid, {{ dbt.date_trunc('day', 'derived_tstamp') }}
        ) as events_in_day,
        {%- else %}
        cast(null as {{ dbt.type_bigint() }}) as events_in_day,
        {%- endif %}
        data_end_tstamp

    from first_occurrences

),

-- On DuckDB the window pass gives the counters' running sums, and the counters are
-- read from them here (counters_from_running_sums); elsewhere it gave the counters.
counters_as_of_event as (

    select  -- noqa: LT09
        *{{ prospect_scoring.counters_from_running_sums(counters) }}

    from features_as_of_event

),

attributes_as_of_event as (

    select
        {%- for column in prospect_scoring.stored_event_id_columns() %}
        {{ column }},
        {%- endfor %}
        domain_userid,
        derived_tstamp,
        event_name,
        is_row_event,
        {%- for attribute in attributes %}
        {%- if attribute.aggregation == 'counter' %}
        {{ attribute.name }},
        {%- else %}
        {{ prospect_scoring.attribute_value(attribute) }},
        {%- endif %}
        {%- endfor %}
        first_conversion_tstamp,
        first_seen_tstamp,
        events_in_day,
        data_end_tstamp

    from counters_as_of_event

)

select * from attributes_as_of_event
