{#-
    dbt.dateadd on Spark and Databricks. dbt-spark's implementation goes through
    unix seconds and drops the sub-second part, which moves the relative cohort
    boundary (first_seen_tstamp >= reference - N days) by up to a second; Spark's
    timestampadd (3.3+) keeps microseconds and does calendar arithmetic for
    months, quarters and years.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, cast({{ from_date_or_timestamp }} as timestamp))
{%- endmacro %}
