{% macro validate_configuration() -%}
    {%- if execute -%}
        {#- Vars: reading them validates them; source identifiers first, before any SQL. -#}
        {%- do prospect_scoring.unknown_vars() -%}
        {%- do prospect_scoring.source_identifiers() -%}
        {%- do prospect_scoring.app_ids() -%}
        {%- do prospect_scoring.event_names() -%}
        {%- do prospect_scoring.conversion_event() -%}
        {%- do prospect_scoring.horizon_seconds() -%}
        {%- do prospect_scoring.end_date() -%}
        {%- do prospect_scoring.max_events_per_day() -%}
        {%- do prospect_scoring.reference_date() -%}
        {%- do prospect_scoring.cohort_first_seen_end() -%}
        {%- do prospect_scoring.cohort_days_before_reference() -%}
        {%- do prospect_scoring.drop_immature_labels() -%}
        {%- do prospect_scoring.attributes() -%}
        {%- do prospect_scoring.score_active_days() -%}
        {%- do prospect_scoring.score_model() -%}
        {#- Not on `dbt seed` (it may be what creates the events table: the sample on a
            warehouse) nor on `dbt compile` (which must work without a warehouse). -#}
        {%- if flags.WHICH not in ['seed', 'compile'] -%}
            {%- do prospect_scoring.validate_session_time_zone() -%}
            {%- do prospect_scoring.validate_events_source() -%}
        {%- endif -%}
    {%- endif -%}
    select 1 as configuration_is_valid
{%- endmacro %}
