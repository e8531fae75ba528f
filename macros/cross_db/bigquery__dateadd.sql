{#-
    dbt.dateadd on BigQuery (dbt-bigquery) returns a DATETIME, and BigQuery does not
    compare DATETIME with TIMESTAMP ("No matching signature for operator >="), so
    the relative cohort window (int_prospect__visitors) would fail there. This
    project-level implementation of the `dbt` namespace's dispatch returns a
    TIMESTAMP: timestamp_add for parts up to a day, and for weeks, months,
    quarters and years (which timestamp_add does not take) the calendar arithmetic
    of datetime_add in UTC, converted back to TIMESTAMP.
-#}
{% macro bigquery__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- if datepart | lower in ['microsecond', 'millisecond', 'second', 'minute', 'hour', 'day'] -%}
        timestamp_add(cast({{ from_date_or_timestamp }} as timestamp), interval {{ interval }} {{ datepart }})
    {%- else -%}
        timestamp(datetime_add(datetime(cast({{ from_date_or_timestamp }} as timestamp)), interval {{ interval }} {{ datepart }}))
    {%- endif -%}
{%- endmacro %}
