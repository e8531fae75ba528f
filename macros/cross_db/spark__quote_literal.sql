{#-
    Spark (and Databricks, which dispatches databricks__ then spark__): a backslash
    in a string literal is an escape, and two adjacent literals are concatenated,
    so 'o''brien' would be `obrien`: escape backslashes and quotes with a backslash.
-#}
{% macro spark__quote_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
