{#-
    on-run-end: when a model failed because DuckDB could not read a file (a
    Parquet or CSV file that is damaged inside: a bad compressed page, a cut-off
    copy; the start-of-run check reads only the files' schemas and, for gzip,
    the whole stream), one line per file saying what is wrong and what to do.
    DuckDB's own error stays in dbt's summary; dbt replaces a table only once its
    new version is complete, so the tables of an earlier build are kept.
-#}
{% macro explain_unreadable_files(results) -%}
    {%- if execute -%}
        {%- set seen = [] -%}
        {%- for result in results if result.status == 'error' and result.message -%}
            {%- for path, reason in modules.re.findall('Failed to read file "([^"]+)": ([^\n]+)', result.message | string) if path not in seen -%}
                {%- do seen.append(path) -%}
                {%- do exceptions.warn(
                    "file '" ~ path ~ "' could not be read (" ~ reason | trim ~ "), so " ~ result.node.name
                    ~ " failed: the file is damaged (e.g. an interrupted copy or export). Export or download it again,"
                    ~ " or leave it out of snowplow__events_file; the tables of an earlier build are kept."
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
