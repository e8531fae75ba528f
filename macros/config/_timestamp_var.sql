{% macro _timestamp_var(name) -%}
    {#- Optional var holding 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS[.ffffff]'. Returns the
        normalised text 'YYYY-MM-DD HH:MM:SS[.ffffff]', or none when unset. -#}
    {%- set value = var(name) -%}
    {%- if value is none or (value is string and value | trim == '') -%}{{- return(none) -}}{%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set match = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2}):(\\d{2})(\\.\\d{1,6})?)?$', text) -%}
    {%- set ok = match is not none -%}
    {%- if ok -%}
        {%- set year = match.group(1) | int -%}
        {%- set month = match.group(2) | int -%}
        {%- set day = match.group(3) | int -%}
        {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
        {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- set ok = 1 <= month <= 12 and 1 <= day <= month_days[month - 1]
            and (match.group(4) or '0') | int <= 23
            and (match.group(5) or '0') | int <= 59
            and (match.group(6) or '0') | int <= 59 -%}
    {%- endif -%}
    {%- if not ok -%}
        {{- prospect_scoring._var_error(name, "must be a real calendar date 'YYYY-MM-DD' or a UTC timestamp 'YYYY-MM-DD HH:MM:SS', got " ~ (value | tojson), "Fix it or leave it unset.") -}}
    {%- endif -%}
    {%- set normalised = match.group(1) ~ '-' ~ match.group(2) ~ '-' ~ match.group(3) ~ ' '
        ~ (match.group(4) or '00') ~ ':' ~ (match.group(5) or '00') ~ ':' ~ (match.group(6) or '00')
        ~ (match.group(7) or '') -%}
    {{- return(normalised) -}}
{%- endmacro %}
