{#-
    A Signals `period` in whole seconds: an ISO-8601 duration in weeks, days,
    hours, minutes and seconds ('PT30M', 'PT1H', 'P7D', 'P1DT12H', 'P2W') or a
    whole number of seconds; none when it is neither (or not > 0). Years and
    months are not fixed lengths, so they are refused.
-#}
{% macro _iso_duration_seconds(period) -%}
    {%- if period is number and period is not boolean -%}
        {{- return((period | int) if (period | int) == period and period > 0 else none) -}}
    {%- endif -%}
    {%- if period is not string -%}{{- return(none) -}}{%- endif -%}
    {%- set text = period | trim -%}
    {%- if modules.re.match('^[0-9]+$', text) -%}
        {{- return((text | int) if (text | int) > 0 else none) -}}
    {%- endif -%}
    {%- set match = modules.re.match('^P(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?$', text) -%}
    {%- if match is none or text in ['P', 'PT'] or text.endswith('T') -%}{{- return(none) -}}{%- endif -%}
    {%- set seconds = (match.group(1) or 0) | int * 604800 + (match.group(2) or 0) | int * 86400
        + (match.group(3) or 0) | int * 3600 + (match.group(4) or 0) | int * 60 + (match.group(5) or 0) | int -%}
    {{- return(seconds if seconds > 0 else none) -}}
{%- endmacro %}
