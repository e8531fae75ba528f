{#-
    `value` as the normalised UTC timestamp text 'YYYY-MM-DD HH:MM:SS[.ffffff]'
    when it is a string 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS[.ffffff]' (or with a
    'T') naming a real calendar date and time; none otherwise. Every warehouse
    casts that text to the same timestamp.
-#}
{% macro _timestamp_text(value) -%}
    {%- if value is not string -%}{{- return(none) -}}{%- endif -%}
    {%- set match = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2}):(\\d{2})(\\.\\d{1,6})?)?$', value | trim) -%}
    {%- if match is none -%}{{- return(none) -}}{%- endif -%}
    {%- set year = match.group(1) | int -%}
    {%- set month = match.group(2) | int -%}
    {%- set day = match.group(3) | int -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- set ok = 1 <= month <= 12 and 1 <= day <= month_days[month - 1]
        and (match.group(4) or '0') | int <= 23
        and (match.group(5) or '0') | int <= 59
        and (match.group(6) or '0') | int <= 59 -%}
    {%- if not ok -%}{{- return(none) -}}{%- endif -%}
    {{- return(match.group(1) ~ '-' ~ match.group(2) ~ '-' ~ match.group(3) ~ ' '
        ~ (match.group(4) or '00') ~ ':' ~ (match.group(5) or '00') ~ ':' ~ (match.group(6) or '00')
        ~ (match.group(7) or '')) -}}
{%- endmacro %}
