{#-
    BigQuery: the values of `value` in `window`, as an ARRAY of STRUCT<v>
    (ARRAY_AGG over the frame, an analytic function: no DISTINCT or other
    aggregate clause, which a window call may not have). Each value is wrapped in
    a struct so that a null value is a struct with a null field, not a null
    element (which an array may not hold); an empty frame gives NULL.
    window_reduce turns the array into the attribute's value in the next CTE.
-#}
{% macro _bigquery_window_values(value, window) -%}
    array_agg(struct({{ value }} as v)) over {{ window }}
{%- endmacro %}
