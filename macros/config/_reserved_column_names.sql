{#- Columns of the models that carry the features: a feature may not take their names. -#}
{% macro _reserved_column_names() -%}
    {{- return(['event_id', 'app_id', 'domain_userid', 'derived_tstamp', 'event_name', 'page_url',
                'first_conversion_tstamp', 'data_end_tstamp', 'is_before_first_conversion',
                'target_had_submit_form_next1h', 'is_label_mature']) -}}
{%- endmacro %}
