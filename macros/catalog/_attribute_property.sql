{#-
    The column of an atomic property {type: atomic, name: <column>} of attribute
    `attribute_name` (`where` says which property, for the message), as {column}, or
    {problem} (attribute_catalog()). Entity and
    event properties, calculated properties and date_part are not supported yet:
    the message says what to use instead.
-#}
{% macro _attribute_property(attribute_name, property, where) -%}
    {%- if property is not mapping -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a " ~ where ~ " that is not {type: atomic, name: <column>}: " ~ (property | tojson) ~ ". " ~ "Example: {type: atomic, name: page_url}."}) -}}
    {%- endif -%}
    {%- set type = property.get('type', 'atomic') -%}
    {%- if type in ['entity', 'event'] -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a " ~ where ~ " of type '" ~ type ~ "' (" ~ (property | tojson) ~ "): entity and event properties are not supported yet" ~ ". " ~ "Use an atomic column ({type: atomic, name: <column>}); flatten the field into a column of your events first."}) -}}
    {%- endif -%}
    {%- if type == 'calculated' -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a calculated " ~ where ~ ", which is not supported yet" ~ ". " ~ "Use an atomic column ({type: atomic, name: <column>}), or compute the value into a column of your events first."}) -}}
    {%- endif -%}
    {%- if type != 'atomic' -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a " ~ where ~ " of unknown type " ~ (type | tojson) ~ ". " ~ "Use {type: atomic, name: <column>}."}) -}}
    {%- endif -%}
    {%- if property.get('date_part') is not none -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a " ~ where ~ " with date_part '" ~ property.date_part ~ "', which is not supported yet" ~ ". " ~ "Remove date_part (use time_since_first / time_since_last for durations)."}) -}}
    {%- endif -%}
    {%- for key in property if key not in ['type', 'name', 'date_part'] -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a " ~ where ~ " with the unknown key '" ~ key ~ "'" ~ ". " ~ "An atomic property is {type: atomic, name: <column>}."}) -}}
    {%- endfor -%}
    {%- if not prospect_scoring._identifier_ok(property.get('name')) -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a " ~ where ~ " whose name is not a lower-case column name: " ~ (property.get('name') | tojson) ~ ". " ~ "Example: {type: atomic, name: refr_medium}."}) -}}
    {%- endif -%}
    {#- Column names reach SQL unquoted in every model, as the canonical atomic columns (none of them reserved) do. -#}
    {%- if property.name in prospect_scoring._sql_reserved_words() -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a " ~ where ~ " '" ~ property.name ~ "', a reserved word of SQL on DuckDB, BigQuery or Snowflake" ~ ". " ~ "Rename that column in the events you export (e.g. " ~ property.name ~ "_value)."}) -}}
    {%- endif -%}
    {{- return({'column': property.name}) -}}
{%- endmacro %}
