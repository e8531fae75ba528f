{#-
    `dbt run-operation check_attribute_catalogs --args '{catalogs: {mine: [...], other: web_full}}'`
    checks each catalog as a build would at its start and logs one line per
    catalog, `attribute catalog <label>: OK (<n> attributes)` or `attribute
    catalog <label>: var 'snowplow__attributes' <the message>`, without
    building anything: to try a catalog pasted from Signals (and, in the test
    suite, every bad entry's message in one dbt invocation).
-#}
{% macro check_attribute_catalogs(catalogs) -%}
    {%- for label, catalog in catalogs.items() -%}
        {%- set checked = prospect_scoring.attribute_catalog(catalog) -%}
        {%- if checked.problem is defined -%}
            {%- do log("attribute catalog " ~ label ~ ": var 'snowplow__attributes' " ~ checked.problem, info=true) -%}
        {%- else -%}
            {%- do log("attribute catalog " ~ label ~ ": OK (" ~ (checked.attributes | length) ~ " attributes)", info=true) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
