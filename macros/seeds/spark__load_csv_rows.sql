{#-
    The seed loader of Spark and Databricks (dbt's load_csv_rows, dispatched from the
    root project first). dbt-spark's own loader, in `method: session`, splices each
    value into the SQL as '<value>' without escaping: a null became the string
    'None' (54 null domain_userids of the sample turned into one visitor "None") and
    a quote in a value broke the statement (dbt-spark#901, dbt-adapters#487). Here
    every value is an escaped Spark string literal (backslash and quote escaped, as
    spark__quote_literal does, inlined: a dispatch per value is slow), cast to the
    seed column's type unless that is string, and an empty CSV cell is a real NULL.
    Valid Databricks SQL as well, so the root project's override serves both adapters.
    Batches of 500 rows: Spark's analysis of an inline table grows faster than its
    size (5400 rows in one statement take about three times as long).
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = [get_batch_size(), 500] | min -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set opens = [] -%}
    {%- set closes = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
        {%- if type | lower == 'string' -%}
            {%- do opens.append("'") -%}
            {%- do closes.append("'") -%}
        {%- else -%}
            {%- do opens.append("cast('") -%}
            {%- do closes.append("' as " ~ type ~ ")") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- if value is none -%}
                        null
                    {%- else -%}
                        {{ opens[loop.index0] }}{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}{{ closes[loop.index0] }}
                    {%- endif -%}
                    {{- ", " if not loop.last -}}
                {%- endfor -%}){{ "," if not loop.last }}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- The SQL of the first batch, for the compiled files. -#}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
