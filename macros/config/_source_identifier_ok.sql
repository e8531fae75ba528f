{#-
    Whether `value` is a plain source identifier on the adapter `adapter_type`:
    letters, digits and _ (not first a digit) everywhere; more where dbt quotes
    the name (so the character reaches SQL inside quotes): `-` and `$` on DuckDB
    (double quotes; its database is the file's stem, e.g. my-db.duckdb), `-` on
    BigQuery and Databricks (backticks: project ids such as my-project, catalogs);
    on Snowflake, whose names dbt does not quote, `$` after the first character
    (valid there unquoted). Never a quote, a dot or a space. Returns [ok, the
    characters allowed, for a message].
-#}
{% macro _source_identifier_ok(value, adapter_type) -%}
    {%- set extra = {'duckdb': ('-$', ', -, $'), 'bigquery': ('-', ', -'), 'databricks': ('-', ', -'), 'snowflake': ('$', ', $ after the first character')}.get(adapter_type, ('', '')) -%}
    {%- set pattern = '^[A-Za-z_][A-Za-z0-9_' ~ (modules.re.escape(extra[0]) if extra[0] else '') ~ ']*$' -%}
    {{- return([value is string and modules.re.match(pattern, value) is not none, 'letters, digits, _' ~ extra[1]]) -}}
{%- endmacro %}
