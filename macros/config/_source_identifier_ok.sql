{#-
    Whether `value` is a plain source identifier on the adapter `adapter_type`:
    letters, digits and _ (not first a digit) everywhere; `-` too on BigQuery
    (project ids such as my-project; dbt quotes BigQuery names with backticks);
    `$` after the first character on Snowflake (valid there unquoted). Returns
    [ok, the characters allowed, for a message].
-#}
{% macro _source_identifier_ok(value, adapter_type) -%}
    {%- set extra = {'bigquery': ('-', ', -'), 'snowflake': ('$', ', $ after the first character')}.get(adapter_type, ('', '')) -%}
    {%- set pattern = '^[A-Za-z_][A-Za-z0-9_' ~ (modules.re.escape(extra[0]) if extra[0] else '') ~ ']*$' -%}
    {{- return([value is string and modules.re.match(pattern, value) is not none, 'letters, digits, _' ~ extra[1]]) -}}
{%- endmacro %}
