{#-
    snowplow__database, snowplow__atomic_schema and snowplow__events_table, checked
    before any SQL reads them: plain identifiers on the target's adapter
    (_source_identifier_ok), so a quote, a dot or a space cannot reach SQL.
-#}
{% macro source_identifiers() -%}
    {%- for name in ['snowplow__database', 'snowplow__atomic_schema', 'snowplow__events_table'] -%}
        {%- set value = var(name) -%}
        {%- set check = prospect_scoring._source_identifier_ok(value, target.type) -%}
        {%- if value is not none and not check[0] -%}
            {{- prospect_scoring._var_error(name, "must be a plain identifier on " ~ target.type ~ " (" ~ check[1] ~ "; no quotes, dots or spaces), got " ~ (value | tojson), "Example: --vars '{" ~ name ~ ": " ~ ('atomic' if name == 'snowplow__atomic_schema' else 'events' if name == 'snowplow__events_table' else 'analytics') ~ "}'") -}}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
