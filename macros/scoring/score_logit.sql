{#-
    The decision function of the exported logreg `model` (score_model()) over
    the attribute columns of the current row: intercept plus one term per
    feature, each exactly what the fitted pipeline does to the raw value
    (impute NULL, asinh / log1p, standard scaling, coefficient; one-hot weights
    with NULL and other values), as a double. Parameters are repr() floats,
    exact. Portable SQL (asinh, ln, case); no dispatch needed.
-#}
{% macro score_logit(model) -%}
    {%- set double = prospect_scoring.double_type() -%}
    cast({{ model.intercept }} as {{ double }})
    {%- for term in model.terms %}
        + {% if term.kind == 'categorical' -%}
        case
            when {{ term.feature }} is null then cast({{ term.null_weight }} as {{ double }})
            {%- for item in term['values'] %}
            when {{ term.feature }} = {{ prospect_scoring.quote_literal(item.value) }} then cast({{ item.weight }} as {{ double }})
            {%- endfor %}
            else cast({{ term.other_weight }} as {{ double }})
        end
        {%- else -%}
        {%- if term.kind == 'boolean' and prospect_scoring.attributes() | selectattr('name', 'equalto', term.feature) | map(attribute='data_type') | first == 'boolean' -%}
        {%- set value = 'case when ' ~ term.feature ~ ' is null then cast(' ~ term.fill ~ ' as ' ~ double ~ ') when ' ~ term.feature ~ ' then cast(1 as ' ~ double ~ ') else cast(0 as ' ~ double ~ ') end' -%}
        {%- else -%}
        {%- set value = 'coalesce(cast(' ~ term.feature ~ ' as ' ~ double ~ '), cast(' ~ term.fill ~ ' as ' ~ double ~ '))' -%}
        {%- endif -%}
        {%- if term.kind == 'numeric' and term.transform == 'asinh' -%}{%- set value = 'asinh(' ~ value ~ ')' -%}
        {%- elif term.kind == 'numeric' and term.transform == 'log1p' -%}{%- set value = 'ln(1 + ' ~ value ~ ')' -%}
        {%- endif -%}
        (({{ value }} - cast({{ term.mean }} as {{ double }})) / cast({{ term.scale }} as {{ double }})) * cast({{ term.weight }} as {{ double }})
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
