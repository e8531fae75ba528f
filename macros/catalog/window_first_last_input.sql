{#-
    The per-event input of a first / last attribute (`value`, the property of
    an eligible event, else null), as attribute_input() writes it. Engines whose
    window functions can order a RANGE frame by derived_tstamp only (not by
    (derived_tstamp, event_id)) keep, of the events of one visitor at one
    instant, only the value of the first (first) / last (last) one by event_id
    among those with a value: then an instant has at most one value, and
    first_value / last_value ... ignore nulls over a frame ordered by
    derived_tstamp picks the first / last by (derived_tstamp, event_id). The
    default keeps the value as it is (DuckDB orders by the struct key itself).
-#}
{% macro window_first_last_input(value, aggregation) -%}
    {{- return(adapter.dispatch('window_first_last_input', 'prospect_scoring')(value, aggregation)) -}}
{%- endmacro %}

{% macro default__window_first_last_input(value, aggregation) -%}
    {{ value }}
{%- endmacro %}
