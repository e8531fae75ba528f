{#- Renders the counter features defined once in counter_features() (macros/config). -#}
{% macro counter_feature_condition(feature, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {{ prefix }}event_name = {{ prospect_scoring.quote_literal(feature.event_name) }}
    {%- if feature.get('page_url_like') is not none %} and {{ prefix }}page_url like {{ prospect_scoring.quote_literal(feature.page_url_like) }}{% endif -%}
{%- endmacro %}
