{#-
    DuckDB: the events file or glob exists, each matched file is non-empty and has
    the required columns (checked file by file, from headers and Parquet metadata
    only, so a glob whose later files lack a column is named at the start, not
    half-way through the build), and derived_tstamp is a timestamp. An
    uncompressed CSV file of up to 256 MiB is also checked to be UTF-8 text as a
    whole; a larger one, and any gzip-compressed CSV, is read through once by
    DuckDB's CSV reader with its rows of invalid encoding stored aside (no file
    is held in memory), so a non-UTF-8 file in a glob is named either way.
    A gzip file is checked by the project's dbt-duckdb plugin when the profile
    loads it (prospect_model.duckdb_plugin, as profiles.yml does): one streamed
    pass that also names a corrupt or truncated gzip stream, which DuckDB's
    reader would fail on with its own error (a macro cannot catch a failed query).
-#}
{% macro validate_events_file(events_file) -%}
    {%- set quoted = prospect_scoring.quote_literal(events_file) -%}
    {%- set files = run_query("select filename, size from read_blob(" ~ quoted ~ ") order by filename") -%}
    {%- if files.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error("snowplow__events_file '" ~ events_file ~ "' matches no file (relative paths are relative to the directory dbt runs in; a folder needs a glob, e.g. 'data/*.parquet'). Point it at a CSV, CSV.gz or Parquet file or glob of Snowplow atomic events.") }}
    {%- endif -%}
    {%- set gzip_check = run_query("select count(*) from duckdb_functions() where function_name = 'prospect_scoring_gzip_problem'").rows[0][0] > 0 -%}
    {%- for file in files.rows -%}
        {%- set what = "snowplow__events_file '" ~ events_file ~ "'" ~ (": file '" ~ file[0] ~ "'" if file[0] != events_file else "") -%}
        {%- if file[1] == 0 -%}
            {{ exceptions.raise_compiler_error(what ~ " is empty (0 bytes): export the events again, or leave the file out of the glob.") }}
        {%- endif -%}
        {%- if (file[0] | lower).endswith(('.csv', '.tsv', '.txt')) and file[1] <= 268435456 -%}
            {%- set not_utf8 = run_query("select count(*) from read_blob(" ~ prospect_scoring.quote_literal(file[0]) ~ ") where try(decode(content)) is null") -%}
            {%- if not_utf8.rows[0][0] > 0 -%}
                {{ exceptions.raise_compiler_error(what ~ " is not UTF-8 text: re-export it as UTF-8 (e.g. iconv -f latin1 -t utf-8 in.csv > out.csv).") }}
            {%- endif -%}
        {%- elif gzip_check and (file[0] | lower).endswith('.gz') -%}
            {%- set problem = run_query("select prospect_scoring_gzip_problem(" ~ prospect_scoring.quote_literal(file[0]) ~ ")").rows[0][0] -%}
            {%- if problem == 'is not UTF-8 text' -%}
                {{ exceptions.raise_compiler_error(what ~ " is not UTF-8 text: re-export it as UTF-8 (e.g. gunzip -c in.csv.gz | iconv -f latin1 -t utf-8 | gzip > out.csv.gz).") }}
            {%- elif problem is not none -%}
                {{ exceptions.raise_compiler_error(what ~ " " ~ problem ~ ": download or export it again (gzip -t checks a file), or leave it out of the glob.") }}
            {%- endif -%}
        {%- elif (file[0] | lower).endswith(('.csv', '.tsv', '.txt', '.csv.gz', '.tsv.gz', '.txt.gz', '.gz')) -%}
            {%- set scan = "select count(*) from (select * from read_csv(" ~ prospect_scoring.quote_literal(file[0]) ~ ", all_varchar = true, store_rejects = true, rejects_table = 'prospect_scoring_encoding_rejects', rejects_scan = 'prospect_scoring_encoding_scans') where length(concat_ws('', columns(*))) >= 0)" -%}
            {%- do run_query(scan) -%}
            {%- set not_utf8 = run_query("select count(*) from prospect_scoring_encoding_rejects where error_type = 'INVALID ENCODING'") -%}
            {%- if not_utf8.rows[0][0] > 0 -%}
                {{ exceptions.raise_compiler_error(what ~ " is not UTF-8 text: re-export it as UTF-8 (e.g. iconv -f latin1 -t utf-8 in.csv > out.csv).") }}
            {%- endif -%}
        {%- endif -%}
        {%- set described = run_query("select lower(column_name), column_type from (describe select * from " ~ prospect_scoring.quote_literal(file[0]) ~ ")") -%}
        {%- set names = described.columns[0].values() | list -%}
        {%- do prospect_scoring._check_required_columns(what, names, described.columns[1].values() | list) -%}
        {%- do prospect_scoring._check_timestamp_type(what, described.columns[1].values()[names.index('derived_tstamp')]) -%}
    {%- endfor -%}
{%- endmacro %}
