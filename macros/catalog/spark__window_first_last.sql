{#-
    Spark and Databricks form of window_first_last: min_by / max_by keyed by
    the struct (derived_tstamp, event_id), which is null when the value is
    null, so that rows with a null value are skipped (min_by / max_by ignore a
    null key). Whole visitor: the struct {t, v} of the first non-null value.
-#}
{% macro spark__window_first_last(value, aggregation, window, whole_visitor) -%}
    {%- set key = 'case when ' ~ value ~ ' is not null then struct(derived_tstamp, event_id) end' -%}
    {%- if whole_visitor -%}
        min_by(struct(derived_tstamp as t, {{ value }} as v), {{ key }}) over {{ window }}
    {%- else -%}
        {{ 'min_by' if aggregation == 'first' else 'max_by' }}({{ value }}, {{ key }}) over {{ window }}
    {%- endif -%}
{%- endmacro %}
