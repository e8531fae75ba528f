{#- Renders the counter features defined once in counter_features() (macros/config). -#}

{% macro counter_feature_condition(feature, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {{ prefix }}event_name = {{ prospect_scoring.quote_literal(feature.event_name) }}
    {%- if feature.get('page_url_like') is not none %} and {{ prefix }}page_url like {{ prospect_scoring.quote_literal(feature.page_url_like) }}{% endif -%}
{%- endmacro %}

{#- One 0/1 indicator column per feature: `<name>__hit`. -#}
{% macro counter_feature_indicators() -%}
    {%- for feature in prospect_scoring.counter_features() %}
        case when {{ prospect_scoring.counter_feature_condition(feature) }} then 1 else 0 end as {{ feature.name }}__hit{{ "," if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
