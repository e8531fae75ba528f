{#-
    One criterion of attribute `attribute_name`, checked and normalised to
    {column, operator, value}: `in` takes a non-empty list of scalars,
    `is null` / `is not null` no value, the comparisons and `like` one scalar
    (`like` a string pattern). Returns {criterion} or {problem}.
-#}
{% macro _attribute_criterion(attribute_name, criterion) -%}
    {%- set operators = ['=', '!=', '<', '>', '<=', '>=', 'like', 'in', 'is null', 'is not null'] -%}
    {%- if criterion is not mapping -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion that is not {property, operator, value}: " ~ (criterion | tojson) ~ ". " ~ "Example: {property: {type: atomic, name: page_url}, operator: like, value: '%pricing%'}."}) -}}
    {%- endif -%}
    {%- for key in criterion if key not in ['property', 'operator', 'value'] -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion with the unknown key '" ~ key ~ "'" ~ ". " ~ "A criterion is {property, operator, value}."}) -}}
    {%- endfor -%}
    {%- if criterion.get('property') is none -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion without a 'property': " ~ (criterion | tojson) ~ ". " ~ "Example: {property: {type: atomic, name: page_url}, operator: like, value: '%pricing%'}."}) -}}
    {%- endif -%}
    {%- set checked = prospect_scoring._attribute_property(attribute_name, criterion.property, 'criterion property') -%}
    {%- if checked.problem is defined -%}{{- return(checked) -}}{%- endif -%}
    {%- set column = checked.column -%}
    {%- set operator = criterion.get('operator') -%}
    {%- if operator not in operators -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion with an unknown operator " ~ (operator | tojson) ~ ". " ~ "Use one of " ~ (operators | join(', ')) ~ "."}) -}}
    {%- endif -%}
    {%- set value = criterion.get('value') -%}
    {%- set is_scalar = value is string or value is number or value is boolean -%}
    {%- if operator in ['is null', 'is not null'] -%}
        {%- if value is not none -%}
            {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion '" ~ operator ~ "' with a value" ~ ". " ~ "Remove the value."}) -}}
        {%- endif -%}
    {%- elif operator == 'in' -%}
        {%- set ns = namespace(ok=(value is iterable and value is not string and value is not mapping and value | length > 0)) -%}
        {%- if ns.ok -%}
            {%- for item in value -%}
                {%- if not (item is string or item is number or item is boolean) -%}{%- set ns.ok = false -%}{%- endif -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if not ns.ok -%}
            {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion 'in' whose value is not a non-empty list of strings, numbers or booleans: " ~ (value | tojson) ~ ". " ~ "Example: {operator: in, value: [cpc, ppc]}."}) -}}
        {%- endif -%}
    {%- elif operator == 'like' and value is not string -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion 'like' whose value is not a string pattern: " ~ (value | tojson) ~ ". " ~ "Example: {operator: like, value: '%pricing%'}."}) -}}
    {%- elif not is_scalar -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion '" ~ operator ~ "' whose value is not a string, number or boolean: " ~ (value | tojson) ~ ". " ~ "Example: {operator: '=', value: search}."}) -}}
    {%- endif -%}
    {#- A number must be finite: SQL has no literal for infinity or NaN. -#}
    {%- for item in (value if operator == 'in' else [value]) if item is number and item is not boolean and (item | string | lower) in ['inf', '-inf', 'nan'] -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion '" ~ operator ~ "' with the value " ~ (item | string) ~ ", which is not a finite number" ~ ". " ~ "Give a finite number."}) -}}
    {%- endfor -%}
    {#- A canonical column's type is known: the value must be of it (a column the user added is compared as the source types it). -#}
    {%- set column_type = prospect_scoring._atomic_column_type(column) -%}
    {%- if column_type is not none and operator == 'like' and column_type != 'string' -%}
        {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion 'like' on '" ~ column ~ "' (" ~ column_type ~ "): like matches text" ~ ". " ~ "Use =, !=, <, >, <=, >= or in on it, or like on a string column."}) -}}
    {%- endif -%}
    {%- if column_type is not none and operator not in ['is null', 'is not null', 'like'] -%}
        {%- for item in (value if operator == 'in' else [value]) -%}
            {%- set kind = 'boolean' if item is boolean else ('number' if item is number else 'string') -%}
            {%- set expected = {'integer': 'number', 'double': 'number', 'boolean': 'boolean', 'string': 'string', 'timestamp': 'string'}[column_type] -%}
            {%- if kind != expected -%}
                {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion '" ~ operator ~ "' on '" ~ column ~ "' (" ~ column_type ~ ") with the " ~ kind ~ " " ~ (item | tojson) ~ ". " ~ {'number': 'Give a number, e.g. 3', 'boolean': 'Give true or false', 'string': ("Quote it, e.g. '" ~ item ~ "'" if column_type == 'string' else "Give an ISO timestamp string, e.g. '2024-03-01 10:00:00'")}[expected] ~ "."}) -}}
            {%- endif -%}
            {%- if column_type == 'timestamp' and prospect_scoring._timestamp_text(item) is none -%}
                {{- return({'problem': "attribute '" ~ attribute_name ~ "' " ~ "has a criterion '" ~ operator ~ "' on '" ~ column ~ "' (timestamp) with " ~ (item | tojson) ~ ", which is not a UTC timestamp 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]'" ~ ". " ~ "Give an ISO timestamp string, e.g. '2024-03-01 10:00:00'."}) -}}
            {%- endif -%}
        {%- endfor -%}
        {#- Timestamps as the normalised text every warehouse casts alike. -#}
        {%- if column_type == 'timestamp' -%}
            {%- if operator == 'in' -%}
                {%- set normalised = [] -%}
                {%- for item in value -%}{%- do normalised.append(prospect_scoring._timestamp_text(item)) -%}{%- endfor -%}
                {%- set value = normalised -%}
            {%- else -%}
                {%- set value = prospect_scoring._timestamp_text(value) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{- return({'criterion': {'column': column, 'operator': operator, 'value': value}}) -}}
{%- endmacro %}
