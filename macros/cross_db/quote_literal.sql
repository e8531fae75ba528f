{#- Values from vars always reach SQL as escaped literals, never spliced raw. -#}
{% macro quote_literal(value) -%}
    {{- return(adapter.dispatch('quote_literal', 'prospect_scoring')(value)) -}}
{%- endmacro %}

{% macro default__quote_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- BigQuery and Snowflake treat a backslash in a string literal as an escape. -#}
{% macro bigquery__quote_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{% macro snowflake__quote_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}
