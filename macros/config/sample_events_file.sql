{% macro sample_events_file() -%}
    {{- return('seeds/snowplow_sample_events.csv') -}}
{%- endmacro %}
