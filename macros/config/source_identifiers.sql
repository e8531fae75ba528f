{#-
    snowplow__database, snowplow__atomic_schema and snowplow__events_table, checked
    before any SQL reads them: plain identifiers (letters, digits, _, $ and -, as
    Snowflake, BigQuery and DuckDB names are), so a quote or a dot cannot reach SQL.
-#}
{% macro source_identifiers() -%}
    {%- for name in ['snowplow__database', 'snowplow__atomic_schema', 'snowplow__events_table'] -%}
        {%- set value = var(name) -%}
        {%- if value is not none and (value is not string or modules.re.match('^[A-Za-z_][A-Za-z0-9_$-]*$', value) is none) -%}
            {{- prospect_scoring._var_error(name, "must be a plain identifier (letters, digits, _, $, -; no quotes, dots or spaces), got " ~ (value | tojson), "Example: --vars '{" ~ name ~ ": " ~ ('atomic' if name == 'snowplow__atomic_schema' else 'events' if name == 'snowplow__events_table' else 'analytics') ~ "}'") -}}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
