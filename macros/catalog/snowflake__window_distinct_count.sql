{#-
    Snowflake: COUNT(DISTINCT ...) and ARRAY_AGG(DISTINCT ...) are not allowed in a
    window with ORDER BY, so the frame's values are collected (ARRAY_AGG over a
    RANGE frame, which omits nulls; its ORDER BY is the one column derived_tstamp,
    as range frames require) and the distinct ones counted (ARRAY_DISTINCT,
    ARRAY_SIZE). An empty frame gives an empty array, hence 0 (coalesce: for an
    engine that gives NULL instead).
-#}
{% macro snowflake__window_distinct_count(value, window) -%}
    coalesce(array_size(array_distinct(array_agg({{ value }}) over {{ window }})), 0)
{%- endmacro %}
