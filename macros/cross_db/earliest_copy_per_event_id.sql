{#-
    Snowplow delivers at least once: keep one row per event_id, the copy with the
    earliest derived_tstamp (ties broken by the other columns, so the choice is
    deterministic). `relation` is a CTE of filtered staged events.
-#}
{% macro earliest_copy_per_event_id(relation) -%}
    {{- return(adapter.dispatch('earliest_copy_per_event_id', 'prospect_scoring')(relation)) -}}
{%- endmacro %}

{#- The portable form. (BigQuery requires a WHERE beside QUALIFY.) -#}
{% macro default__earliest_copy_per_event_id(relation) -%}
    select *
    from {{ relation }}
    where true
    qualify row_number() over (partition by event_id {{ prospect_scoring._earliest_copy_order() }}) = 1
{%- endmacro %}

{#-
    DuckDB: duplicates are rare, so find the 64-bit hashes of event_id that occur
    more than once with a narrow hash aggregate, pass every other row through an
    anti join, and rank only the rows that share a hash (true duplicates and the
    odd hash collision, which the exact ranking by event_id resolves).
-#}
{% macro duckdb__earliest_copy_per_event_id(relation) -%}
    with shared_hashes as (
        select hash(event_id) as event_id_hash
        from {{ relation }}
        group by hash(event_id)
        having count(*) > 1
    )

    select hashed.* exclude (event_id_hash)
    from (
        select
            *,
            hash(event_id) as event_id_hash
        from {{ relation }}
    ) as hashed
    anti join shared_hashes
        using (event_id_hash)

    union all

    select hashed.* exclude (event_id_hash)
    from (
        select
            *,
            hash(event_id) as event_id_hash
        from {{ relation }}
    ) as hashed
    semi join shared_hashes
        using (event_id_hash)
    qualify row_number() over (
        partition by hashed.event_id
        {{ prospect_scoring._earliest_copy_order('hashed') }}
    ) = 1
{%- endmacro %}
