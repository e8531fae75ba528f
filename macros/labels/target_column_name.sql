{#-
    The label's column name, derived from what it means:
    target_had_<conversion event>_next<horizon>, the horizon in the largest
    whole unit (d, h, m, else s): submit_form + 3600 s gives the tutorial's
    target_had_submit_form_next1h, 1800 s gives ..._next30m, 90 s ..._next90s.
    Characters of the event name that cannot stand in a column name become '_'.
-#}
{% macro target_column_name() -%}
    {%- set horizon = prospect_scoring.horizon_seconds() -%}
    {%- if horizon % 86400 == 0 -%}{%- set suffix = (horizon // 86400) ~ 'd' -%}
    {%- elif horizon % 3600 == 0 -%}{%- set suffix = (horizon // 3600) ~ 'h' -%}
    {%- elif horizon % 60 == 0 -%}{%- set suffix = (horizon // 60) ~ 'm' -%}
    {%- else -%}{%- set suffix = horizon ~ 's' -%}
    {%- endif -%}
    {%- set event = modules.re.sub('[^a-z0-9_]', '_', prospect_scoring.conversion_event() | lower) -%}
    {{- return('target_had_' ~ event ~ '_next' ~ suffix) -}}
{%- endmacro %}
