{#-
    BigQuery: FIRST_VALUE / LAST_VALUE (... IGNORE NULLS) over the frame ordered
    by unix_micros(derived_tstamp); the input has at most one value per instant
    (window_first_last_input), so this is the first / last by (derived_tstamp,
    event_id). Lifetime first (whole_visitor): the struct {t, v} of the
    visitor's first value, over the whole partition.
-#}
{% macro bigquery__window_first_last(value, aggregation, window, whole_visitor) -%}
    {%- if whole_visitor -%}
        {%- set ordered = window[:-1] ~ ' order by derived_tstamp rows between unbounded preceding and unbounded following)' -%}
        first_value(if({{ value }} is null, null, struct(derived_tstamp as t, {{ value }} as v)) ignore nulls) over {{ ordered }}
    {%- else -%}
        {{ 'first_value' if aggregation == 'first' else 'last_value' }}({{ value }} ignore nulls) over {{ window }}
    {%- endif -%}
{%- endmacro %}
