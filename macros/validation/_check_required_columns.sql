{#-
    The events source `what` (a file or a table, for the message) has the
    required columns and every column the attribute catalog reads; a missing
    catalog column is named with the attribute that reads it. A column outside
    the canonical atomic schema keeps the source's type (`present_types`, in the
    order of `present_names`), so its use is checked here (_source_type_kind):
    sum / mean need a numeric column, `like` a text one, and a value an
    attribute keeps (sum, first, last, min, max, most / least frequent) a
    column of its type (an integer type a whole-number column, no rounding).
-#}
{% macro _check_required_columns(what, present_names, present_types) -%}
    {%- set missing = [] -%}
    {%- for column in prospect_scoring.required_event_columns() -%}
        {%- if column not in present_names -%}{%- do missing.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {#- A CSV whose delimiter DuckDB could not detect (a malformed line) reads as one column named by the whole header. -#}
    {%- if missing and (present_names | length) == 1 and modules.re.search('[,;\t|]', present_names[0]) -%}
        {{ exceptions.raise_compiler_error(what ~ " was read as one column (" ~ present_names[0][:80] ~ "...): its field delimiter could not be detected, most likely because of a malformed line. Check that every line has the header's number of fields (quote fields that contain the delimiter).") }}
    {%- endif -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(what ~ " is missing required column(s): " ~ (missing | join(', ')) ~ " (found: " ~ (present_names | join(', ')) ~ "). Export the Snowplow atomic events with these columns (any case).") }}
    {%- endif -%}
    {%- for source_column in prospect_scoring.attribute_source_columns() -%}
        {%- if source_column.column not in present_names -%}
            {{ exceptions.raise_compiler_error(what ~ " has no column '" ~ source_column.column ~ "', which attribute '" ~ source_column.attribute ~ "' of snowplow__attributes reads (" ~ source_column.use ~ "). Export the events with that column, or leave the attribute out (the preset web_minimal needs only event_id, app_id, derived_tstamp, domain_userid, domain_sessionid, domain_sessionidx, event_name, page_url).") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set types = {} -%}
    {%- for i in range(present_names | length) -%}{%- do types.update({present_names[i]: (present_types[i] | string | lower)}) -%}{%- endfor -%}
    {%- set allowed_by_type = {'integer': ['integer'], 'double': ['integer', 'fractional'], 'boolean': ['boolean'], 'timestamp': ['timestamp']} -%}
    {%- for attribute in prospect_scoring.attributes() -%}
        {%- set uses = [] -%}
        {%- if attribute.column is not none and attribute.aggregation in ['sum', 'mean'] -%}
            {%- do uses.append((attribute.column, attribute.aggregation, ['integer', 'fractional'], 'numeric')) -%}
        {%- endif -%}
        {#- A value the attribute keeps (not a count of values) must fit its type, without a rounding rule. -#}
        {%- if attribute.column is not none and attribute.aggregation in ['sum', 'first', 'last', 'min', 'max', 'most_frequent', 'least_frequent']
              and attribute.data_type in allowed_by_type -%}
            {%- do uses.append((attribute.column, "a " ~ attribute.aggregation ~ " of type " ~ attribute.type, allowed_by_type[attribute.data_type],
                {'integer': 'a whole-number type', 'double': 'numeric', 'boolean': 'boolean', 'timestamp': 'a timestamp'}[attribute.data_type])) -%}
        {%- endif -%}
        {%- for criterion in attribute.criteria['all'] + attribute.criteria['any'] if criterion.operator == 'like' -%}
            {%- do uses.append((criterion.column, "a criterion 'like'", ['text'], 'text')) -%}
        {%- endfor -%}
        {%- for column, use, allowed, needed in uses if prospect_scoring._atomic_column_type(column) is none and column in types -%}
            {%- if prospect_scoring._source_type_kind(types[column]) not in allowed -%}
                {{ exceptions.raise_compiler_error(what ~ ": attribute '" ~ attribute.name ~ "' of snowplow__attributes uses " ~ use ~ " on the column '" ~ column ~ "', whose type " ~ types[column] ~ " is not " ~ needed ~ ". Use a " ~ needed ~ " column (or give the attribute the column's type), or cast it to one in the events you export.") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endmacro %}
