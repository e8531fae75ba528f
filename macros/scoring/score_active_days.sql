{#- prospect_scores keeps visitors whose last event is at most this many days before the end of the observed data (a whole number >= 1). -#}
{% macro score_active_days() -%}
    {%- set value = prospect_scoring._non_negative_int_var('snowplow__score_active_days', 30) -%}
    {%- if value < 1 -%}
        {{- prospect_scoring._var_error('snowplow__score_active_days', "must be >= 1, got 0", "Example: --vars '{snowplow__score_active_days: 30}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
