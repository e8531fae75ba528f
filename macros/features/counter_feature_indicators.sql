{#- One 0/1 indicator column per feature: `<name>__hit`. -#}
{% macro counter_feature_indicators() -%}
    {%- for feature in prospect_scoring.counter_features() %}
        case when {{ prospect_scoring.counter_feature_condition(feature) }} then 1 else 0 end as {{ feature.name }}__hit{{ "," if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
