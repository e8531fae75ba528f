{% macro drop_immature_labels() -%}
    {%- set value = var('snowplow__drop_immature_labels') -%}
    {%- if value is not boolean -%}
        {{- prospect_scoring._var_error('snowplow__drop_immature_labels', "must be true or false, got " ~ (value | tojson), "Example: --vars '{snowplow__drop_immature_labels: true}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
