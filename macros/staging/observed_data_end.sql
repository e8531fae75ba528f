{#-
    Where the observed data ends, as a scalar subquery: the latest derived_tstamp
    of `relation` (the filtered events before deduplication, every delivered copy)
    inside the optional time range. A later duplicate copy still shows that the
    data reaches its time. Label maturity and the default cohort reference date
    count from here.
-#}
{% macro observed_data_end(relation) -%}
    (
        select max(derived_tstamp)
        from {{ relation }}
        where {{ prospect_scoring.time_range_condition('derived_tstamp') }}
    )
{%- endmacro %}
