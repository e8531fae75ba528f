{#-
    derived_tstamp must hold timestamps (or text that casts to them): a number is
    most likely epoch milliseconds, which would fail late with raw cast errors (or,
    cast as seconds, silently be wrong), so the run stops at the start instead.
-#}
{% macro _check_timestamp_type(what, data_type) -%}
    {%- set type = (data_type or '') | string | lower -%}
    {%- if modules.re.match('^(u?(tiny|small|big|huge)?int(eger)?|int(2|4|8|16|32|64|128)|number.*|numeric.*|decimal.*|double.*|float.*|real)$', type) -%}
        {{ exceptions.raise_compiler_error(what ~ ": derived_tstamp is a number (" ~ type ~ "), epoch milliseconds perhaps; it must be a UTC timestamp. Export it as a timestamp ('YYYY-MM-DD HH:MM:SS.fff') or convert it first, e.g. in DuckDB: to_timestamp(derived_tstamp / 1000).") }}
    {%- endif -%}
{%- endmacro %}
