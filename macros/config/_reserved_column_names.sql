{#- Columns of the models that carry the features (the training chain and prospect_scores): an attribute may not take their names (nor the label's, target_column_name()). -#}
{% macro _reserved_column_names() -%}
    {{- return(['event_id', 'event_uuid', 'app_id', 'domain_userid', 'derived_tstamp', 'event_name', 'page_url',
                'event_vendor', 'event_version', 'is_row_event',
                'first_conversion_tstamp', 'first_seen_tstamp', 'data_end_tstamp', 'events_in_day',
                'max_events_in_one_day', 'is_before_first_conversion', 'seconds_to_first_conversion',
                'seconds_to_data_end', 'is_label_mature', 'is_in_cohort', 'is_automated', 'is_eligible',
                'is_anchor', 'as_of_tstamp', 'last_seen_tstamp', 'score', 'score_logit', 'is_prospect', 'threshold',
                'model_kind', 'model_trained_at', 'model_data_fingerprint']) -}}
{%- endmacro %}
