{#-
    Snowplow delivers at least once: keep one row per event_id, the copy with the
    earliest derived_tstamp (ties broken by the other columns, so the choice is
    deterministic). `relation` is a CTE of filtered staged events.
-#}
{% macro earliest_copy_per_event_id(relation) -%}
    {{- return(adapter.dispatch('earliest_copy_per_event_id', 'prospect_scoring')(relation)) -}}
{%- endmacro %}

{% macro _earliest_copy_order() -%}
    order by derived_tstamp, domain_userid, event_name, page_url
{%- endmacro %}

{#- The portable form. (BigQuery requires a WHERE beside QUALIFY.) -#}
{% macro default__earliest_copy_per_event_id(relation) -%}
    select *
    from {{ relation }}
    where true
    qualify row_number() over (partition by event_id {{ prospect_scoring._earliest_copy_order() }}) = 1
{%- endmacro %}

{#-
    DuckDB: duplicates are rare, so find the duplicated ids with a narrow hash
    aggregate and rank only their copies; the unique rows pass through an anti
    join. Measured about 1.5x faster than ranking every row (scripts/benchmark.py).
-#}
{% macro duckdb__earliest_copy_per_event_id(relation) -%}
    select *
    from {{ relation }}
    where event_id not in (
        select event_id from {{ relation }} group by event_id having count(*) > 1
    )

    union all

    select *
    from {{ relation }}
    semi join (
        select event_id from {{ relation }} group by event_id having count(*) > 1
    ) as duplicated_ids
        on {{ relation }}.event_id = duplicated_ids.event_id
    qualify row_number() over (partition by event_id {{ prospect_scoring._earliest_copy_order() }}) = 1
{%- endmacro %}
