{#-
    The column of `attribute` from its window aggregate `<name>__agg`
    (attribute_window_item(), through window_reduce(); for a lifetime distinct
    count, the counter of first occurrences `<name>__firsts`), cast to its type: with no eligible event sum,
    approx_count_distinct and unique_list give 0, the others default_value when
    set, else null. unique_list is the list's length, capped at 100 as Signals
    caps the list; time_since_* is t minus the first / last eligible event's
    time in time_unit, a double.
-#}
{% macro attribute_value(attribute) -%}
    {%- set agg_column = prospect_scoring.window_reduce(attribute.name ~ '__agg', attribute) -%}
    {%- set agg = attribute.aggregation -%}
    {%- if agg in ['time_since_first', 'time_since_last'] -%}
        {%- set since = agg_column if attribute.period is not none or agg == 'time_since_last' else 'case when ' ~ agg_column ~ ' < derived_tstamp then ' ~ agg_column ~ ' end' -%}
        {%- set expression = 'cast(' ~ prospect_scoring.microseconds_between(since, 'derived_tstamp') ~ ' as ' ~ prospect_scoring.double_type() ~ ') / ' ~ (attribute.time_unit_seconds * 1000000) ~ '.0' -%}
    {%- elif agg == 'first' and attribute.period is none -%}
        {%- set expression = prospect_scoring.lifetime_first_value(agg_column) -%}
    {%- elif agg in ['approx_count_distinct', 'unique_list'] and attribute.period is none -%}
        {#- A counter of first occurrences (int_prospect__features_as_of_event). -#}
        {%- set expression = ('least(' ~ attribute.name ~ '__firsts, 100)') if agg == 'unique_list' else attribute.name ~ '__firsts' -%}
    {%- elif agg == 'unique_list' -%}
        {%- set expression = 'least(' ~ agg_column ~ ', 100)' -%}
    {%- else -%}
        {%- set expression = agg_column -%}
    {%- endif -%}
    {%- if attribute.default_value is not none -%}
        {%- set expression = 'coalesce(' ~ expression ~ ', ' ~ prospect_scoring.sql_value_literal(attribute.default_value) ~ ')' -%}
    {%- endif -%}
    cast({{ expression }} as {{ prospect_scoring.attribute_sql_type(attribute.data_type) }}) as {{ attribute.name }}
{%- endmacro %}
