{#-
    The events source `what` (a file or a table, for the message) has the
    required columns and every column the attribute catalog reads; a missing
    catalog column is named with the attribute that reads it.
-#}
{% macro _check_required_columns(what, present_names) -%}
    {%- set missing = [] -%}
    {%- for column in prospect_scoring.required_event_columns() -%}
        {%- if column not in present_names -%}{%- do missing.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(what ~ " is missing required column(s): " ~ (missing | join(', ')) ~ " (found: " ~ (present_names | join(', ')) ~ "). Export the Snowplow atomic events with these columns (any case).") }}
    {%- endif -%}
    {%- for source_column in prospect_scoring.attribute_source_columns() -%}
        {%- if source_column.column not in present_names -%}
            {{ exceptions.raise_compiler_error(what ~ " has no column '" ~ source_column.column ~ "', which attribute '" ~ source_column.attribute ~ "' of snowplow__attributes reads (" ~ source_column.use ~ "). Export the events with that column, or leave the attribute out (the preset web_minimal needs only event_id, app_id, derived_tstamp, domain_userid, domain_sessionid, domain_sessionidx, event_name, page_url).") }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
