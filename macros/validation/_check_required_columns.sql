{% macro _check_required_columns(what, present_names) -%}
    {%- set missing = [] -%}
    {%- for column in prospect_scoring.required_event_columns() -%}
        {%- if column not in present_names -%}{%- do missing.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(what ~ " is missing required column(s): " ~ (missing | join(', ')) ~ " (found: " ~ (present_names | join(', ')) ~ "). Export the Snowplow atomic events with these columns (any case).") }}
    {%- endif -%}
{%- endmacro %}
