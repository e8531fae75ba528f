{#-
    Generic data test on a table of as-of-event attributes (one row per staged
    event): along each visitor's timeline every counter attribute of
    snowplow__attributes is not null, never exceeds the visitor's strictly
    earlier events (rank() - 1 over the same ordering: events at one instant
    share a rank), and, without a period, never decreases. Returns the
    offending rows. One window pass over the table.
-#}
{% test counters_are_consistent(model, partition_by='domain_userid', order_by='derived_tstamp') %}
{%- set features = prospect_scoring.attributes() | selectattr('aggregation', 'equalto', 'counter') | list %}
{%- set visitor_timeline = '(partition by ' ~ partition_by ~ ' order by ' ~ order_by ~ ')' %}

with

timeline as (

    select
        {%- for feature in features %}
        {{ feature.name }},
        {{ feature.name }} - lag({{ feature.name }}) over {{ visitor_timeline }} as {{ feature.name }}__step,
        {%- endfor %}
        rank() over {{ visitor_timeline }} - 1 as timeline__earlier_events
    from {{ model }}

)

select *
from timeline
where
    false
    {%- for feature in features %}
    or {{ feature.name }} is null
    or {{ feature.name }} > timeline__earlier_events
    {%- if feature.period is none %}
    or {{ feature.name }}__step < 0
    {%- endif %}
    {%- endfor %}

{% endtest %}
