{#-
    For each lifetime distinct count, `, <name>__firsts__hit`: 1 on the first
    eligible event of each of the visitor's distinct non-null values (a
    partition by visitor and value), else 0. Summed over strictly earlier events
    it is the exact number of distinct values so far (attribute_passes()).
    Renders nothing for an empty list; each item starts with its comma.
-#}
{% macro first_occurrence_hits(lifetime_distinct) -%}
    {%- for attribute in lifetime_distinct %},
        case
            when {{ attribute.name }}__value is not null
                and row_number() over (partition by domain_userid, {{ attribute.name }}__value order by derived_tstamp) = 1
                then 1
            else 0
        end as {{ attribute.name }}__firsts__hit
    {%- endfor %}
{%- endmacro %}
