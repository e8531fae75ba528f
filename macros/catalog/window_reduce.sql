{#-
    The value of an attribute from its window item `agg_column` (`<name>__agg`),
    read by attribute_value() one CTE after the window pass. The default is the
    item itself (DuckDB and Spark reduce the window's values inside the window
    item; Snowflake's forms are scalar too). BigQuery, whose window items
    for the frequencies and the windowed distinct counts are the frame's values
    (_bigquery_window_values), counts them here with a scalar subquery over
    UNNEST: the distinct non-null values, or the non-null value with the most
    (most_frequent) / fewest (least_frequent) events, a tie going to the
    smallest value.
-#}
{% macro window_reduce(agg_column, attribute) -%}
    {{- return(adapter.dispatch('window_reduce', 'prospect_scoring')(agg_column, attribute)) -}}
{%- endmacro %}

{% macro default__window_reduce(agg_column, attribute) -%}
    {{- return(agg_column) -}}
{%- endmacro %}

{% macro bigquery__window_reduce(agg_column, attribute) -%}
    {%- set agg = attribute.aggregation -%}
    {%- if agg in ['most_frequent', 'least_frequent'] and not prospect_scoring._running_mode_applies(attribute) -%}
        {#- A clause a line (sqlfluff's layout.keyword_newline), in the select list's indentation. -#}
        {%- set subquery -%}
        (
            select s.v
            from unnest({{ agg_column }}) as s
            where s.v is not null
            group by s.v
            order by count(*){{ ' desc' if agg == 'most_frequent' }}, s.v
            limit 1
        )
        {%- endset -%}
        {{- return(subquery) -}}
    {%- elif agg in ['approx_count_distinct', 'unique_list'] and attribute.period is not none -%}
        {{- return('(select count(distinct s.v) from unnest(' ~ agg_column ~ ') as s)') -}}
    {%- else -%}
        {{- return(agg_column) -}}
    {%- endif -%}
{%- endmacro %}
