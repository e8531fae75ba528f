{% macro app_ids() -%}
    {{- return(prospect_scoring._string_list_var('snowplow__app_ids', ['website'])) -}}
{%- endmacro %}
