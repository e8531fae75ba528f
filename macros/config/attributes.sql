{#-
    The feature catalog: var snowplow__attributes (declared in dbt_project.yml),
    a preset name (attribute_presets()) or a list of Snowplow Signals attribute
    definitions in the SDK's JSON shape. Every entry is checked here, at the
    start of the run, and a bad one stops it with a one-line message naming the
    attribute (docs/attributes.md, "Errors"). Returns the attributes normalised
    for the SQL macros of macros/catalog/ (attribute_catalog() checks and
    normalises):
      name, description, aggregation, type (as given), data_type (integer,
      double, string, boolean or timestamp: the column's), feature_kind
      (numeric, boolean, categorical), events (list of {name, vendor?,
      version?}; [] = every staged event), column (the atomic property, or
      none), criteria ({all: [...], any: [...]}, each {column, operator,
      value}), period (whole seconds, or none), time_unit, default_value (none
      = null), serving_transform, definition (the SDK JSON, period as ISO-8601).
-#}
{% macro attributes() -%}
    {%- set checked = prospect_scoring.attribute_catalog(var('snowplow__attributes')) -%}
    {%- if checked.problem is defined -%}
        {{ exceptions.raise_compiler_error("var 'snowplow__attributes' " ~ checked.problem) }}
    {%- endif -%}
    {{- return(checked.attributes) -}}
{%- endmacro %}
