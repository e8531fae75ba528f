{#-
    Whole-second boundaries crossed from `start_tstamp` to `end_tstamp`, the way
    DuckDB's and Snowflake's datediff('second', ...) count them:
    00:00:00.9 -> 01:00:00.1 is 3600 (the tutorial's horizon arithmetic).
-#}
{% macro whole_seconds_between(start_tstamp, end_tstamp) -%}
    {{- return(adapter.dispatch('whole_seconds_between', 'prospect_scoring')(start_tstamp, end_tstamp)) -}}
{%- endmacro %}

{% macro default__whole_seconds_between(start_tstamp, end_tstamp) -%}
    {{ dbt.datediff(start_tstamp, end_tstamp, 'second') }}
{%- endmacro %}

{#- DuckDB: dbt-duckdb's datediff, written without the stray space and newline it emits (lint). -#}
{% macro duckdb__whole_seconds_between(start_tstamp, end_tstamp) -%}
    (date_diff('second', cast({{ start_tstamp }} as timestamp), cast({{ end_tstamp }} as timestamp)))
{%- endmacro %}

{#- BigQuery's timestamp_diff counts whole elapsed seconds, not boundaries: truncate first. -#}
{% macro bigquery__whole_seconds_between(start_tstamp, end_tstamp) -%}
    (unix_seconds(timestamp_trunc({{ end_tstamp }}, second)) - unix_seconds(timestamp_trunc({{ start_tstamp }}, second)))
{%- endmacro %}
