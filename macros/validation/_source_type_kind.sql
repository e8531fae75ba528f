{#-
    What a source column's type (as the warehouse describes it, any case) holds:
    'integer', 'fractional', 'boolean', 'timestamp', 'text', or 'other'.
    A decimal with scale 0 (Snowflake's NUMBER(38,0)) is an integer; a decimal
    with another or an implicit scale (BigQuery's NUMERIC) is fractional.
    Example: 'NUMBER(18,2)' -> 'fractional', 'INTERVAL' -> 'other'.
-#}
{% macro _source_type_kind(type_text) -%}
    {%- set t = type_text | string | lower | trim -%}
    {%- set re = modules.re -%}
    {%- if re.match('^(u?(tiny|small|big|huge)?int(eger)?(\\d+)?|int\\d+|byteint|long|short|u?hugeint)(\\s|$)', t) -%}
        {{- return('integer') -}}
    {%- elif re.match('^(decimal|numeric|number|bignumeric|bigdecimal)\\s*\\(\\s*\\d+\\s*,\\s*0\\s*\\)$', t) -%}
        {{- return('integer') -}}
    {%- elif re.match('^(float|double|real|decimal|numeric|number|bignumeric|bigdecimal)', t) -%}
        {{- return('fractional') -}}
    {%- elif re.match('^bool', t) -%}
        {{- return('boolean') -}}
    {%- elif re.match('^(timestamp|datetime|date)', t) -%}
        {{- return('timestamp') -}}
    {%- elif re.match('^(varchar|char|character|string|text|nvarchar|nchar|bpchar)', t) -%}
        {{- return('text') -}}
    {%- else -%}
        {{- return('other') -}}
    {%- endif -%}
{%- endmacro %}
