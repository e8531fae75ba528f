{#-
    `dbt run-operation print_signals_attributes --args '{catalog: web_full}'`
    logs each attribute of a catalog (a preset name or a list; default the
    configured snowplow__attributes) as one line `signals attribute: <JSON>`,
    the Signals SDK's JSON shape (as final_training_columns.signals_definition
    records it), to paste into an attribute group.
-#}
{% macro print_signals_attributes(catalog=none) -%}
    {%- set checked = prospect_scoring.attribute_catalog(catalog if catalog is not none else var('snowplow__attributes')) -%}
    {%- if checked.problem is defined -%}
        {{ exceptions.raise_compiler_error("var 'snowplow__attributes' " ~ checked.problem) }}
    {%- endif -%}
    {%- for attribute in checked.attributes -%}
        {%- do log("signals attribute: " ~ (attribute.definition | tojson), info=true) -%}
    {%- endfor -%}
{%- endmacro %}
