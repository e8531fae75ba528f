{% macro cohort_days_before_reference() -%}
    {#- [oldest, newest]: visitors first seen in [reference - oldest days, reference - newest days). Unset: off. -#}
    {%- set value = var('snowplow__cohort_days_before_reference') -%}
    {%- if value is none -%}{{- return(none) -}}{%- endif -%}
    {%- set ok = value is iterable and value is not string and value is not mapping and value | length == 2 -%}
    {%- if ok -%}
        {%- for item in value -%}
            {%- if item is not number or item is boolean or (item | int) != item or item < 0 -%}{%- set ok = false -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not ok -%}
        {{- prospect_scoring._var_error('snowplow__cohort_days_before_reference', "must be a list of two whole numbers of days [oldest, newest], got " ~ (value | tojson), "Example: --vars '{snowplow__cohort_days_before_reference: [60, 30]}'") -}}
    {%- endif -%}
    {%- if value[0] <= value[1] -%}
        {{- prospect_scoring._var_error('snowplow__cohort_days_before_reference', "is inverted: " ~ (value | tojson) ~ " (the first number, the oldest edge, must be larger than the second)", "Example: [60, 30] = first seen between 60 and 30 days before the reference date.") -}}
    {%- endif -%}
    {%- if prospect_scoring.cohort_first_seen_start() is not none or prospect_scoring.cohort_first_seen_end() is not none -%}
        {{- prospect_scoring._var_error('snowplow__cohort_days_before_reference', "cannot be combined with snowplow__cohort_first_seen_start/end", "Use either absolute dates or days before the reference date.") -}}
    {%- endif -%}
    {{- return(value | map('int') | list) -}}
{%- endmacro %}
