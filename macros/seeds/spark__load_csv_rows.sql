{#-
    The seed loader of Spark and Databricks (dbt's load_csv_rows, dispatched from the
    root project first). dbt-spark's own loader, in `method: session`, splices each
    value into the SQL as '<value>' without escaping: a null became the string
    'None' (54 null domain_userids of the sample turned into one visitor "None") and
    a quote in a value broke the statement (dbt-spark#901, dbt-adapters#487). Here
    every value is an escaped Spark string literal (backslash and quote escaped, as
    spark__quote_literal does, inlined: a dispatch per value is slow) of an inline
    table, each column cast once to the seed column's type unless that is string, and
    an empty CSV cell is a real NULL.
    Valid Databricks SQL as well, so the root project's override serves both adapters.
    Batches of 500 rows: Spark's analysis of an inline table grows faster than its
    size (5400 rows in one statement take about three times as long).
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = [get_batch_size(), 500] | min -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {#- Every value is a string literal (or NULL) of an inline table `v(c0, c1, ...)`; the
        select casts each column once to its type (a cast per value doubled Spark's analysis time). -#}
    {%- set inline_columns = [] -%}
    {%- set selected = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
        {%- do inline_columns.append('c' ~ loop.index0) -%}
        {%- do selected.append('c' ~ loop.index0 if type | lower == 'string' else 'cast(c' ~ loop.index0 ~ ' as ' ~ type ~ ')') -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }}
            select {{ selected | join(', ') }} from values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- if value is none -%}
                        null
                    {%- else -%}
                        '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
                    {%- endif -%}
                    {{- ", " if not loop.last -}}
                {%- endfor -%}){{ "," if not loop.last }}
            {% endfor -%}
            as v({{ inline_columns | join(', ') }})
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- The SQL of the first batch, for the compiled files. -#}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
