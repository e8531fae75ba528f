{#-
    Spark and Databricks: Spark 4.1 does not parse QUALIFY (Databricks does), so
    rank in a subquery and drop the rank with `* except` (Spark 4, Databricks).
-#}
{% macro spark__earliest_copy_per_event_id(relation) -%}
    select * except (_copy_rank)
    from (
        select
            *,
            row_number() over (partition by event_id {{ prospect_scoring._earliest_copy_order() }}) as _copy_rank
        from {{ relation }}
    ) as ranked_copies
    where _copy_rank = 1
{%- endmacro %}
