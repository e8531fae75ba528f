{#-
    How the window pass over (visitor, time) computes a catalog, shared by
    int_prospect__features_as_of_event and prospect_scores: lifetime distinct
    counts (approx_count_distinct, unique_list without a period) become counters
    of first occurrences (`<name>__firsts`, see first_occurrence_hits()), which
    share the counters' sum; every other non-counter attribute is one window
    item (attribute_window_item()). Returns {lifetime_distinct, counters, others}.
-#}
{% macro attribute_passes(attributes) -%}
    {%- set lifetime_distinct = attributes | selectattr('aggregation', 'in', ['approx_count_distinct', 'unique_list']) | selectattr('period', 'none') | list -%}
    {%- set counters = attributes | selectattr('aggregation', 'equalto', 'counter') | list -%}
    {%- for attribute in lifetime_distinct -%}
        {%- do counters.append({'name': attribute.name ~ '__firsts', 'period': none}) -%}
    {%- endfor -%}
    {%- set others = attributes | rejectattr('aggregation', 'equalto', 'counter') | reject('in', lifetime_distinct) | list -%}
    {{- return({'lifetime_distinct': lifetime_distinct, 'counters': counters, 'others': others}) -}}
{%- endmacro %}
