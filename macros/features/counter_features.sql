{% macro counter_features() -%}
    {#- The features (var snowplow__counter_features, declared in dbt_project.yml),
        checked: each a counter of the visitor's strictly earlier events of
        `event_name`, optionally whose page_url is `like` `page_url_like`. The
        training step reads the list back from the final_training_columns model. -#}
    {%- set features = var('snowplow__counter_features') -%}
    {%- set name = 'snowplow__counter_features' -%}
    {%- if features is string or features is mapping or features is not iterable or features | length == 0 -%}
        {{- prospect_scoring._var_error(name, "must be a non-empty list of {name, event_name, page_url_like?}", "See README \"Features\".") -}}
    {%- endif -%}
    {%- set seen = [] -%}
    {%- for feature in features -%}
        {%- if feature is not mapping or not prospect_scoring._identifier_ok(feature.get('name')) -%}
            {{- prospect_scoring._var_error(name, "entry " ~ loop.index ~ " needs a 'name' of lower-case letters, digits and underscores, got " ~ (feature | tojson), "Example: {name: num_docs_views, event_name: page_view, page_url_like: '%/docs/%'}") -}}
        {%- endif -%}
        {%- if feature.get('event_name') is not string or feature.get('event_name') not in prospect_scoring.event_names() -%}
            {{- prospect_scoring._var_error(name, "entry '" ~ feature.name ~ "' counts event_name " ~ (feature.get('event_name') | tojson) ~ ", which is not among snowplow__event_names " ~ (prospect_scoring.event_names() | tojson), "Add it to snowplow__event_names or fix the entry.") -}}
        {%- endif -%}
        {%- if feature.get('page_url_like') is not none and feature.get('page_url_like') is not string -%}
            {{- prospect_scoring._var_error(name, "entry '" ~ feature.name ~ "' has a page_url_like that is not a string", "Example: page_url_like: '%pricing%'") -}}
        {%- endif -%}
        {%- if feature.name in seen or feature.name in prospect_scoring._reserved_column_names() or feature.name.endswith('__hit') -%}
            {{- prospect_scoring._var_error(name, "names the column '" ~ feature.name ~ "' twice, reuses a reserved column name (" ~ (prospect_scoring._reserved_column_names() | join(', ')) ~ ") or ends in '__hit'", "Give each feature a unique name.") -}}
        {%- endif -%}
        {%- do seen.append(feature.name) -%}
    {%- endfor -%}
    {{- return(features) -}}
{%- endmacro %}
