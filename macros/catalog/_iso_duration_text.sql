{#- Whole seconds as the ISO-8601 duration the Signals SDK serializes (pydantic): 86400 -> 'P1D', 5400 -> 'PT1H30M'. -#}
{% macro _iso_duration_text(seconds) -%}
    {%- set days = seconds // 86400 -%}
    {%- set rest = seconds % 86400 -%}
    {%- set time = (((rest // 3600) ~ 'H') if rest // 3600 else '') ~ ((((rest % 3600) // 60) ~ 'M') if (rest % 3600) // 60 else '') ~ (((rest % 60) ~ 'S') if rest % 60 else '') -%}
    {{- return('P' ~ ((days ~ 'D') if days else '') ~ (('T' ~ time) if time else '')) -}}
{%- endmacro %}
