{#-
    Sum of a 0/1 indicator over the visitor's events strictly earlier in time than
    the current one: the running sum up to and including the current instant,
    minus the events at exactly this instant (events at one timestamp do not see
    each other). One pass of window functions over (domain_userid, derived_tstamp).
-#}
{% macro count_strictly_earlier(indicator, partition_by='domain_userid', order_by='derived_tstamp') -%}
    {{- return(adapter.dispatch('count_strictly_earlier', 'prospect_scoring')(indicator, partition_by, order_by)) -}}
{%- endmacro %}

{% macro default__count_strictly_earlier(indicator, partition_by, order_by) -%}
    (
        sum({{ indicator }}) over (
            partition by {{ partition_by }} order by {{ order_by }}
            range between unbounded preceding and current row
        )
        - sum({{ indicator }}) over (partition by {{ partition_by }}, {{ order_by }})
    )
{%- endmacro %}

{#-
    DuckDB: both windows share one partitioning and sort, so the second costs
    little; count() of the non-zero indicators gives a BIGINT directly, where
    sum() of integers would accumulate 128-bit HUGEINTs (about 5% less CPU at
    10M events, scripts/benchmark.py).
-#}
{% macro duckdb__count_strictly_earlier(indicator, partition_by, order_by) -%}
    (
        count(nullif({{ indicator }}, 0)) over (
            partition by {{ partition_by }} order by {{ order_by }}
            range between unbounded preceding and current row
        )
        - count(nullif({{ indicator }}, 0)) over (
            partition by {{ partition_by }} order by {{ order_by }}
            range between current row and current row
        )
    )
{%- endmacro %}
