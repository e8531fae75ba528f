{#-
    Lifetime most_frequent without reducing a window's values (Snowflake,
    BigQuery). On each eligible event with value v, the key
    lpad(10^12 - n, 13, '0') || v, where n is the number of the visitor's
    eligible events with value v up to this instant, its peers included (a
    RANGE count per visitor and value). Counts only grow over a lifetime, so,
    as of an event at t, the smallest key over the strictly earlier events
    holds the largest count any value has before t and, among the values with
    that count, the smallest one (each of them reaches the count exactly once):
    the most frequent value, ties to the smallest value, exactly as the
    definition says. The value is compared as text, so this form serves string
    properties (the key's order is the byte order of the value, as DuckDB's).
    Any other frequency attribute keeps its input as is, and _running_mode
    refuses it with one line.
-#}
{% macro _running_mode_key(value, attribute) -%}
    {%- if prospect_scoring._running_mode_applies(attribute) -%}
    case
        when ({{ value }}) is not null then
            lpad(cast(1000000000000 - count(*) over (
                partition by domain_userid, ({{ value }})
                order by derived_tstamp range between unbounded preceding and current row
            ) as {{ dbt.type_string() }}), 13, '0') || cast(({{ value }}) as {{ dbt.type_string() }})
    end
    {%- else -%}
    {{ value }}
    {%- endif -%}
{%- endmacro %}
