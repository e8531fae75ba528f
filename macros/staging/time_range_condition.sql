{#-
    The optional [snowplow__start_date, snowplow__end_date) range as a boolean
    SQL condition on `column` (`true` when neither var is set). Shared by the
    staged events and the end of the observed data (both in stg_snowplow__events),
    so both cut the data the same way.
-#}
{% macro time_range_condition(column='derived_tstamp') -%}
    true
    {%- if prospect_scoring.start_date() is not none %}
    and {{ column }} >= {{ prospect_scoring.timestamp_literal(prospect_scoring.start_date()) }}
    {%- endif %}
    {%- if prospect_scoring.end_date() is not none %}
    and {{ column }} < {{ prospect_scoring.timestamp_literal(prospect_scoring.end_date()) }}
    {%- endif %}
{%- endmacro %}
