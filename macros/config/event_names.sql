{% macro event_names() -%}
    {#- The events that enter the dataset (the tutorial keeps page views and form submissions). -#}
    {{- return(prospect_scoring._string_list_var('snowplow__event_names', ['page_view', 'submit_form'])) -}}
{%- endmacro %}
