{#-
    The relation where dbt builds this project's model `name` (its database,
    schema and alias from the graph), without a ref: for a data test that
    reads a model it must not depend on (see prospect_scores_are_consistent).
    At parse time (no graph yet) a placeholder name is returned.
-#}
{% macro _project_relation(name) -%}
    {%- if not execute -%}
        {{- return(name) -}}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ name) -%}
    {%- if node is none -%}
        {{- exceptions.raise_compiler_error("model '" ~ name ~ "' is not in this project's graph") -}}
    {%- endif -%}
    {{- return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) -}}
{%- endmacro %}
