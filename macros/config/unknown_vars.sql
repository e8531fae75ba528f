{#-
    Stops the run when a snowplow__ var given with --vars is not a var of the
    project (a misspelling would otherwise be ignored and the default used),
    naming the closest known var: the one sharing the longest prefix, then the
    closest in length. The replaced snowplow__counter_features points to
    snowplow__attributes.
-#}
{% macro unknown_vars() -%}
    {%- set given = (invocation_args_dict.get('vars') or {}) -%}
    {%- set known = prospect_scoring._known_vars() -%}
    {%- for name in given if name is string and name.startswith('snowplow__') and name not in known -%}
        {%- if name == 'snowplow__counter_features' -%}
            {{- prospect_scoring._var_error(name, "was replaced by snowplow__attributes, the feature catalog in Snowplow Signals' attribute shape", "A counter {name, event_name, page_url_like} is {name, type: int64, events: [{name: <event_name>}], aggregation: counter, criteria: {all: [{property: {type: atomic, name: page_url}, operator: like, value: <page_url_like>}]}} (docs/attributes.md).") -}}
        {%- endif -%}
        {%- set ns = namespace(best=known[0], score=-1) -%}
        {%- for candidate in known -%}
            {%- set prefix = namespace(n=0) -%}
            {%- for i in range([name | length, candidate | length] | min) -%}
                {%- if name[:i + 1] == candidate[:i + 1] -%}{%- set prefix.n = i + 1 -%}{%- endif -%}
            {%- endfor -%}
            {%- set score = prefix.n * 1000 - ((candidate | length) - (name | length)) | abs -%}
            {%- if score > ns.score -%}{%- set ns.best = candidate -%}{%- set ns.score = score -%}{%- endif -%}
        {%- endfor -%}
        {{- prospect_scoring._var_error(name, "is not a var of this project (a misspelling would be ignored)", "Did you mean '" ~ ns.best ~ "'? The vars are listed in dbt_project.yml.") -}}
    {%- endfor -%}
{%- endmacro %}
