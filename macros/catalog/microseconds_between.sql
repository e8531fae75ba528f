{#- Microseconds from `start_tstamp` to `end_tstamp` (exact: timestamps are microseconds), for time_since_*. -#}
{% macro microseconds_between(start_tstamp, end_tstamp) -%}
    {{- return(adapter.dispatch('microseconds_between', 'prospect_scoring')(start_tstamp, end_tstamp)) -}}
{%- endmacro %}

{% macro default__microseconds_between(start_tstamp, end_tstamp) -%}
    {{ dbt.datediff(start_tstamp, end_tstamp, 'microsecond') }}
{%- endmacro %}

{#- DuckDB: dbt-duckdb's datediff, written without the stray space and newline it emits (lint). -#}
{% macro duckdb__microseconds_between(start_tstamp, end_tstamp) -%}
    (date_diff('microsecond', cast({{ start_tstamp }} as timestamp), cast({{ end_tstamp }} as timestamp)))
{%- endmacro %}

{#- BigQuery: dbt.datediff works on DATETIME; these are TIMESTAMPs. -#}
{% macro bigquery__microseconds_between(start_tstamp, end_tstamp) -%}
    timestamp_diff({{ end_tstamp }}, {{ start_tstamp }}, microsecond)
{%- endmacro %}
