{#-
    The exported logreg model of snowplow__score_model (written by train/fit.py
    as score_vars.yml, see docs/serving.md), checked, or none when the var is
    unset (prospect_scores is then disabled). A model of another kind stops
    the run: SQL scoring needs logreg; prospect-score scores any model in Python.
    Every term must name an attribute of snowplow__attributes (the catalog the
    model was trained on) that SQL can score, with the definition the model
    learned (`definition`, when the file records it), and the label (`target`)
    must be this build's: a catalog reusing a name for another attribute, or
    another conversion event or horizon, stops the run.
-#}
{% macro score_model() -%}
    {%- set name = 'snowplow__score_model' -%}
    {%- set hint = "Use the file train/fit.py wrote: --vars \"$(cat artifacts/current/score_vars.yml)\"" -%}
    {%- set model = var(name, none) -%}
    {%- if model is none -%}{{- return(none) -}}{%- endif -%}
    {%- if model is not mapping -%}
        {{- prospect_scoring._var_error(name, "must be a mapping (train/fit.py's score_vars.yml), got " ~ (model | tojson), hint) -}}
    {%- endif -%}
    {%- if model.get('kind') != 'logreg' -%}
        {{- prospect_scoring._var_error(name, "is a " ~ (model.get('kind') | tojson) ~ " model: SQL scoring needs a logreg model", "Score it in Python with prospect-score, or train with --model logreg") -}}
    {%- endif -%}
    {%- if model.get('target') is not none and model.target != prospect_scoring.target_column_name() -%}
        {{- prospect_scoring._var_error(name, "is a model trained for the label " ~ model.target ~ ", but this build's label is " ~ prospect_scoring.target_column_name(), "Build with the vars the model was trained with (merge them: --vars \"$(cat my_vars.yml artifacts/current/score_vars.yml)\"), or train on this build") -}}
    {%- endif -%}
    {%- set attributes = {} -%}
    {%- for attribute in prospect_scoring.attributes() -%}{%- do attributes.update({attribute.name: attribute}) -%}{%- endfor -%}
    {%- for key in ['intercept', 'threshold'] if model.get(key) is not number or model.get(key) is boolean -%}
        {{- prospect_scoring._var_error(name, "has no number " ~ key, hint) -}}
    {%- endfor -%}
    {%- if model.get('terms') is string or model.get('terms') is not iterable -%}
        {{- prospect_scoring._var_error(name, "has no list of terms", hint) -}}
    {%- endif -%}
    {%- for term in model.terms -%}
        {%- set feature = term.get('feature') if term is mapping else none -%}
        {%- if feature not in attributes -%}
            {{- prospect_scoring._var_error(name, "uses feature " ~ (feature | tojson) ~ ", which is not an attribute of snowplow__attributes", "Build with the snowplow__attributes the model was trained on") -}}
        {%- endif -%}
        {%- if term.get('definition') is mapping and term.definition != attributes[feature].definition -%}
            {{- prospect_scoring._var_error(name, "uses feature " ~ feature ~ " as defined when the model was trained (" ~ (term.definition | tojson) ~ "), but this build defines it as " ~ (attributes[feature].definition | tojson), "Build with the snowplow__attributes the model was trained on, or train on this build") -}}
        {%- endif -%}
        {%- set expected = {'categorical': 'categorical', 'boolean': 'boolean'}.get(attributes[feature].data_type, 'numeric') -%}
        {%- if attributes[feature].data_type == 'timestamp' -%}
            {{- prospect_scoring._var_error(name, "uses the timestamp attribute " ~ feature ~ ", which SQL scoring does not support", "Score with prospect-score") -}}
        {%- endif -%}
        {%- if attributes[feature].data_type == 'string' -%}{%- set expected = 'categorical' -%}{%- endif -%}
        {%- set keys = ['weight', 'fill', 'mean', 'scale'] if term.get('kind') in ['numeric', 'boolean'] else ['null_weight', 'other_weight'] -%}
        {%- set numbers_ok = [] -%}
        {%- for key in keys if term.get(key) is number and term.get(key) is not boolean -%}{%- do numbers_ok.append(key) -%}{%- endfor -%}
        {%- if term.get('kind') not in ['numeric', 'boolean', 'categorical'] or (numbers_ok | length) != (keys | length)
            or (term.kind == 'categorical') != (expected == 'categorical')
            or (term.kind == 'numeric' and term.get('transform') not in ['asinh', 'log1p', 'none']) -%}
            {{- prospect_scoring._var_error(name, "has a malformed term for " ~ feature ~ " (or one whose kind does not match the attribute's type " ~ attributes[feature].data_type ~ ")", hint) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(model) -}}
{%- endmacro %}
