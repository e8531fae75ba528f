{#-
    `value` on the event that is the first (aggregation first) / last (last)
    by event_id among the visitor's events with a non-null `value` at the same
    derived_tstamp, else null (window_first_last_input() of Snowflake and
    BigQuery).
-#}
{% macro _first_last_instant_winner(value, aggregation) -%}
    case
        when ({{ value }}) is not null
            and row_number() over (
                partition by domain_userid, derived_tstamp, case when ({{ value }}) is null then 0 else 1 end
                order by event_id {{ 'asc' if aggregation == 'first' else 'desc' }}
            ) = 1
            then {{ value }}
    end
{%- endmacro %}
