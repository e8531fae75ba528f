{#-
    Every staged event with its features, its label and the visitor filters
    (the tutorial's targets_as_of_event), row-wise on top of the features' pass:
    no join, no second sort (with snowplow__max_events_per_day set, one more
    partitioning by visitor). A table: final_training (its prediction points),
    int_prospect__visitors and the data tests read it instead of re-running the
    window pass.
      * Label: defined at prediction points, the events strictly before the
        visitor's first conversion, where the next conversion is the first one:
        true when whole seconds(event -> first conversion) <= horizon (a
        conversion later within the same second counts: 0 boundaries). Events at
        or after the first conversion are not prediction points (label null).
      * Maturity: the label is known: positive, or the observed data (its end,
        data_end_tstamp) covers every instant whose conversion would make it
        positive. Those end with the horizon's last whole second (a conversion
        at t + horizon + 0.9 s can still count), so whole seconds(event -> data
        end) must exceed the horizon: exactly the horizon is not yet mature.
      * Visitor filters: in the cohort window (by first_seen_tstamp) and not
        automated (more than snowplow__max_events_per_day events in a UTC day),
        together is_eligible.
    Stored: what final_training, int_prospect__visitors, the data tests and
    prospect-score read. The visitor-level inputs (first_seen_tstamp,
    first_conversion_tstamp) are used here and not stored: the visitors model
    collects them from the rows (the earliest row event; the earliest event not
    before the first conversion). The filter columns (max_events_in_one_day,
    is_in_cohort, is_automated) are stored only when a visitor filter is on;
    off, they are constants that the visitors model gives. Each column less
    is about 0.2-0.3 s less at 10M events (docs/performance.md).
-#}
{{ config(materialized='table') }}
{%- set horizon = prospect_scoring.horizon_seconds() -%}
{%- set target_column = prospect_scoring.target_column_name() -%}
{%- set max_events_per_day = prospect_scoring.max_events_per_day() -%}
{%- set cohort_start = prospect_scoring.cohort_first_seen_start() -%}
{%- set cohort_end = prospect_scoring.cohort_first_seen_end() -%}
{%- set cohort_days = prospect_scoring.cohort_days_before_reference() -%}
{%- set reference_date = prospect_scoring.reference_date() -%}
{%- set visitor_filters_on = prospect_scoring.visitor_filters_on() -%}
{#- No snowplow__reference_date: the end of the observed data, so builds are reproducible. -#}
{%- set reference = prospect_scoring.timestamp_literal(reference_date) if reference_date is not none else 'data_end_tstamp' -%}

with

features as (

    select * from {{ ref('int_prospect__features_as_of_event') }}

),

events_with_visitor_activity as (

    select
        features.*,
        {%- if max_events_per_day is not none %}
        max(features.events_in_day) over (partition by features.domain_userid) as max_events_in_one_day,
        {%- else %}
        cast(null as {{ dbt.type_bigint() }}) as max_events_in_one_day,
        {%- endif %}
        (
            features.first_conversion_tstamp is null
            or features.derived_tstamp < features.first_conversion_tstamp
        ) as is_before_first_conversion,
        {{ prospect_scoring.whole_seconds_between('features.derived_tstamp', 'features.first_conversion_tstamp') }}
            as seconds_to_first_conversion,
        {{ prospect_scoring.whole_seconds_between('features.derived_tstamp', 'features.data_end_tstamp') }}
            as seconds_to_data_end

    from features

),

targets_as_of_event as (

    select
        {%- for column in prospect_scoring.stored_event_id_columns() %}
        {{ column }},
        {%- endfor %}
        domain_userid,
        derived_tstamp,
        event_name,
        is_row_event,
        {%- for feature in prospect_scoring.attributes() %}
        {{ feature.name }},
        {%- endfor %}
        data_end_tstamp,
        {%- if visitor_filters_on %}
        max_events_in_one_day,
        {%- endif %}
        is_before_first_conversion,
        case
            when not is_before_first_conversion then null
            when first_conversion_tstamp is null then false
            else seconds_to_first_conversion <= {{ horizon }}
        end as {{ target_column }},
        (
            not is_before_first_conversion
            or (
                first_conversion_tstamp is not null
                and seconds_to_first_conversion <= {{ horizon }}
            )
            or seconds_to_data_end > {{ horizon }}
        ) as is_label_mature
        {%- if visitor_filters_on %},
        {#- A visitor with history-only events alone has no first_seen_tstamp: not in a cohort window. #}
        {%- if cohort_days is not none %}
        coalesce(
            first_seen_tstamp >= {{ dbt.dateadd('day', -1 * cohort_days[0], reference) | trim }}
            and first_seen_tstamp < {{ dbt.dateadd('day', -1 * cohort_days[1], reference) | trim }},
            false
        ) as is_in_cohort,
        {%- else %}
        coalesce(
            true
            {%- if cohort_start is not none %}
            and first_seen_tstamp >= {{ prospect_scoring.timestamp_literal(cohort_start) }}
            {%- endif %}
            {%- if cohort_end is not none %}
            and first_seen_tstamp < {{ prospect_scoring.timestamp_literal(cohort_end) }}
            {%- endif %},
            false
        ) as is_in_cohort,
        {%- endif %}
        {%- if max_events_per_day is not none %}
        max_events_in_one_day > {{ max_events_per_day }} as is_automated
        {%- else %}
        false as is_automated
        {%- endif %}
        {%- endif %}

    from events_with_visitor_activity

),

with_eligibility as (

    select
        *,
        {{ 'is_in_cohort and not is_automated' if visitor_filters_on else 'true' }} as is_eligible
    from targets_as_of_event

)

select * from with_eligibility
