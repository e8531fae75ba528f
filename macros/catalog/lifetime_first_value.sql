{#-
    A lifetime first attribute's value as of the event, from its window
    aggregate `agg_column` (window_first_last with whole_visitor): by default
    the struct {t, v} of the visitor's first value, kept when t is before the
    event. Snowflake's window_first_last returns the value as of the event
    already.
-#}
{% macro lifetime_first_value(agg_column) -%}
    {{- return(adapter.dispatch('lifetime_first_value', 'prospect_scoring')(agg_column)) -}}
{%- endmacro %}

{% macro default__lifetime_first_value(agg_column) -%}
    case when {{ agg_column }}.t < derived_tstamp then {{ agg_column }}.v end
{%- endmacro %}
