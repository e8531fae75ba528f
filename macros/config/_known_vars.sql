{#-
    The names of the project's vars: the `vars:` of dbt_project.yml, where each is
    declared with its default (a pytest checks that the two lists agree). A
    snowplow__ var given on the command line that is not one of them stops the run.
-#}
{% macro _known_vars() -%}
    {{- return([
        'snowplow__events_file', 'snowplow__database', 'snowplow__atomic_schema', 'snowplow__events_table',
        'snowplow__app_ids', 'snowplow__event_names', 'snowplow__conversion_event', 'snowplow__horizon_seconds',
        'snowplow__start_date', 'snowplow__end_date',
        'snowplow__max_events_per_day', 'snowplow__cohort_first_seen_start', 'snowplow__cohort_first_seen_end',
        'snowplow__cohort_days_before_reference', 'snowplow__reference_date',
        'snowplow__drop_immature_labels', 'snowplow__attributes',
        'snowplow__score_active_days', 'snowplow__score_model',
    ]) -}}
{%- endmacro %}
