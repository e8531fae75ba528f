{#-
    A catalog (a preset name or a list of attribute definitions) checked and
    normalised: {attributes: [...]} (see attributes()), or {problem: "<what is
    wrong>. <what to do>"} for the first bad entry, naming the attribute.
    Returns instead of raising so that check_attribute_catalogs can report on
    many catalogs in one run.
-#}
{% macro attribute_catalog(given) -%}
    {%- set presets = prospect_scoring.attribute_presets() -%}
    {%- if given is string -%}
        {%- if given not in presets -%}
            {{- return({'problem': "names the preset " ~ (given | tojson) ~ ", which does not exist. Use one of " ~ (presets.keys() | list | join(', ')) ~ ", or a list of Signals attribute definitions (docs/attributes.md)."}) -}}
        {%- endif -%}
        {%- set entries = presets[given] -%}
    {%- elif given is mapping or given is not iterable or given | length == 0 -%}
        {{- return({'problem': "must be a preset name (" ~ (presets.keys() | list | join(', ')) ~ ") or a non-empty list of Signals attribute definitions, got " ~ (given | tojson) ~ ". Example: --vars '{snowplow__attributes: web_minimal}' (docs/attributes.md)."}) -}}
    {%- else -%}
        {%- set entries = given -%}
    {%- endif -%}

    {%- set aggregations = ['counter', 'sum', 'min', 'max', 'mean', 'first', 'last', 'unique_list', 'most_frequent',
        'least_frequent', 'approx_count_distinct', 'time_since_first', 'time_since_last'] -%}
    {%- set no_property = ['counter', 'time_since_first', 'time_since_last'] -%}
    {%- set zero_default = ['counter', 'sum', 'approx_count_distinct', 'unique_list'] -%}
    {%- set scalar_types = {'int32': 'integer', 'int64': 'integer', 'float': 'double', 'double': 'double',
        'string': 'string', 'bool': 'boolean', 'timestamp': 'timestamp'} -%}
    {%- set list_types = ['string_list', 'int32_list', 'int64_list', 'double_list', 'float_list', 'bool_list', 'bytes_list', 'unix_timestamp_list'] -%}
    {%- set known_keys = ['name', 'description', 'type', 'events', 'aggregation', 'property', 'criteria', 'period',
        'default_value', 'time_unit', 'ttl'] -%}
    {%- set time_units = {'s': 1, 'min': 60, 'h': 3600, 'd': 86400} -%}
    {%- set reserved = prospect_scoring._reserved_column_names() + [prospect_scoring.target_column_name()] -%}

    {%- set result = [] -%}
    {%- set seen = [] -%}
    {%- for entry in entries -%}
        {%- if entry is not mapping or not prospect_scoring._identifier_ok(entry.get('name')) or '__' in entry.get('name') -%}
            {{- return({'problem': "entry " ~ loop.index ~ " needs a 'name' of lower-case letters, digits and single underscores (a column of final_training), got " ~ (entry | tojson) ~ ". Example: {name: num_pricing_views, type: int64, events: [{name: page_view}], aggregation: counter}."}) -}}
        {%- endif -%}
        {%- set name = entry.name -%}
        {%- if name in seen -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is defined twice" ~ ". " ~ "Give each attribute a unique name."}) -}}
        {%- endif -%}
        {%- if name in reserved -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "clashes with a column final_training or its models carry (" ~ (reserved | join(', ')) ~ ")" ~ ". " ~ "Rename the attribute."}) -}}
        {%- endif -%}
        {%- if name in prospect_scoring._sql_reserved_words() -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a reserved word of SQL on DuckDB, BigQuery or Snowflake, and attribute names are column names" ~ ". " ~ "Rename the attribute, e.g. " ~ name ~ "_value."}) -}}
        {%- endif -%}
        {%- do seen.append(name) -%}
        {%- for key in entry if key not in known_keys -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has the key '" ~ key ~ "', which a Signals attribute does not have" ~ ". " ~ "Use " ~ (known_keys | join(', ')) ~ "."}) -}}
        {%- endfor -%}

        {#- aggregation -#}
        {%- set aggregation = entry.get('aggregation') -%}
        {%- if aggregation == 'category_count' -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "uses aggregation 'category_count', which is not supported yet (it is a dict, not a column)" ~ ". " ~ "Use one counter with criteria per category instead, e.g. {aggregation: counter, criteria: {all: [{property: {type: atomic, name: refr_medium}, operator: '=', value: search}]}}."}) -}}
        {%- endif -%}
        {%- if aggregation not in aggregations -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has an unknown aggregation " ~ (aggregation | tojson) ~ ". " ~ "Use one of " ~ (aggregations | join(', ')) ~ "."}) -}}
        {%- endif -%}

        {#- type -#}
        {%- set type = entry.get('type') -%}
        {%- if type in list_types and aggregation != 'unique_list' -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has the list type '" ~ type ~ "', which is not supported yet for " ~ aggregation ~ " (only unique_list's length is a column)" ~ ". " ~ "Use a scalar type (int32, int64, float, double, string, bool, timestamp)."}) -}}
        {%- endif -%}
        {%- if type in ['dict', 'bytes', 'unix_timestamp'] -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has the type '" ~ type ~ "', which is not supported yet" ~ ". " ~ "Use int32, int64, float, double, string, bool or timestamp."}) -}}
        {%- endif -%}
        {%- if type not in scalar_types and type not in list_types -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has an unknown type " ~ (type | tojson) ~ ". " ~ "Use int32, int64, float, double, string, bool or timestamp (a *_list type for unique_list)."}) -}}
        {%- endif -%}
        {%- if aggregation in ['counter', 'approx_count_distinct'] and type not in ['int32', 'int64'] -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a " ~ aggregation ~ " (a whole number) but has type '" ~ type ~ "'" ~ ". " ~ "Use type int32 or int64."}) -}}
        {%- endif -%}
        {%- if aggregation in ['mean', 'time_since_first', 'time_since_last'] and type not in ['float', 'double'] -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a " ~ aggregation ~ " (a double) but has type '" ~ type ~ "'" ~ ". " ~ "Use type double."}) -}}
        {%- endif -%}
        {%- if aggregation == 'sum' and type not in ['int32', 'int64', 'float', 'double'] -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a sum but has the non-numeric type '" ~ type ~ "'" ~ ". " ~ "Use int32, int64, float or double."}) -}}
        {%- endif -%}
        {%- if aggregation == 'unique_list' -%}
            {%- set data_type = 'integer' -%}
        {%- elif aggregation in ['counter', 'approx_count_distinct'] -%}
            {%- set data_type = 'integer' -%}
        {%- elif aggregation in ['mean', 'time_since_first', 'time_since_last'] -%}
            {%- set data_type = 'double' -%}
        {%- else -%}
            {%- set data_type = scalar_types[type] -%}
        {%- endif -%}

        {#- events -#}
        {%- set events = entry.get('events') -%}
        {%- if events is none or events is string or events is mapping or events is not iterable -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "needs 'events', a list of {name, vendor?, version?} ([] = every staged event), got " ~ (events | tojson) ~ ". " ~ "Example: events: [{name: page_view}]."}) -}}
        {%- endif -%}
        {%- set normalised_events = [] -%}
        {%- for event in events -%}
            {%- if event is not mapping -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has the event " ~ (event | tojson) ~ ", which is not {name, vendor?, version?}" ~ ". " ~ "Write each event as a mapping: events: [{name: " ~ (event if event is string else 'page_view') ~ "}]."}) -}}
            {%- endif -%}
            {%- if event.get('event_specification_id') is not none -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has the event " ~ (event | tojson) ~ ": event specifications are not supported yet" ~ ". " ~ "Name the event instead: {name: page_view, vendor?: com.snowplowanalytics.snowplow, version?: 1-0-0}."}) -}}
            {%- endif -%}
            {%- if event.get('name') is not string or not modules.re.match('^[a-zA-Z0-9_-]+$', event.get('name')) -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has an event without a valid 'name': " ~ (event | tojson) ~ ". " ~ "Example: {name: page_view} (the event_name column)."}) -}}
            {%- endif -%}
            {%- if event.get('vendor') is not none and (event.vendor is not string or not modules.re.match('^[a-zA-Z0-9_.-]+$', event.vendor)) -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has an event with a bad 'vendor': " ~ (event | tojson) ~ ". " ~ "Example: vendor: com.snowplowanalytics.snowplow (the event_vendor column)."}) -}}
            {%- endif -%}
            {%- if event.get('version') is not none and (event.version is not string or not modules.re.match('^[0-9]+-[0-9]+-[0-9]+$', event.version)) -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has an event with a bad 'version': " ~ (event | tojson) ~ ". " ~ "Example: version: 1-0-0 (the event_version column)."}) -}}
            {%- endif -%}
            {%- for key in event if key not in ['name', 'vendor', 'version', 'event_specification_id'] -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has an event with the unknown key '" ~ key ~ "'" ~ ". " ~ "An event is {name, vendor?, version?}."}) -}}
            {%- endfor -%}
            {%- set normalised = {'name': event.name} -%}
            {%- if event.get('vendor') is not none -%}{%- do normalised.update({'vendor': event.vendor}) -%}{%- endif -%}
            {%- if event.get('version') is not none -%}{%- do normalised.update({'version': event.version}) -%}{%- endif -%}
            {%- do normalised_events.append(normalised) -%}
        {%- endfor -%}

        {#- property -#}
        {%- set property = entry.get('property') -%}
        {%- if aggregation in no_property and property is not none -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a " ~ aggregation ~ ", which takes no property, but has one" ~ ". " ~ "Remove 'property' (filter the events with 'criteria' instead)."}) -}}
        {%- endif -%}
        {%- if aggregation not in no_property and property is none -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a " ~ aggregation ~ " and needs a 'property'" ~ ". " ~ "Example: property: {type: atomic, name: page_urlpath}."}) -}}
        {%- endif -%}
        {%- set column = none -%}
        {%- if property is not none -%}
            {%- set checked = prospect_scoring._attribute_property(name, property, 'property') -%}
            {%- if checked.problem is defined -%}{{- return(checked) -}}{%- endif -%}
            {%- set column = checked.column -%}
        {%- endif -%}
        {#- A canonical column's type is known here; another column's is checked at the start of the run (_check_required_columns). -#}
        {%- set column_type = prospect_scoring._atomic_column_type(column) if column is not none else none -%}
        {%- if column_type is not none and aggregation in ['sum', 'mean'] and column_type not in ['integer', 'double'] -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a " ~ aggregation ~ " of '" ~ column ~ "', which is not a numeric atomic column" ~ ". " ~ "Use a numeric column (domain_sessionidx, se_value, tr_total, ...), or counter / approx_count_distinct."}) -}}
        {%- endif -%}
        {%- set numeric = ['integer', 'double'] -%}
        {#- An integer type on a double column would need a rounding rule that the serving side may not share: refused. -#}
        {%- if column_type is not none and aggregation in ['sum', 'first', 'last', 'min', 'max', 'most_frequent', 'least_frequent']
              and ((column_type in numeric and data_type not in numeric) or (column_type not in numeric and data_type != column_type)
                   or (column_type == 'double' and data_type == 'integer')) -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a " ~ aggregation ~ " of '" ~ column ~ "' (" ~ column_type ~ ") but has type '" ~ type ~ "'" ~ ". " ~ "Give it the column's type: " ~ {'integer': 'int32, int64, float or double', 'double': 'float or double', 'string': 'string', 'boolean': 'bool', 'timestamp': 'timestamp'}[column_type] ~ "."}) -}}
        {%- endif -%}

        {#- criteria -#}
        {%- set criteria = entry.get('criteria') -%}
        {%- set normalised_criteria = {'all': [], 'any': []} -%}
        {%- if criteria is not none -%}
            {%- if criteria is not mapping -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has 'criteria' that is not {all: [...], any: [...]}" ~ ". " ~ "Example: criteria: {all: [{property: {type: atomic, name: page_url}, operator: like, value: '%pricing%'}]}."}) -}}
            {%- endif -%}
            {%- for key in criteria -%}
                {%- if key not in ['all', 'any'] -%}
                    {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has criteria '" ~ key ~ "'; only 'all' and 'any' exist" ~ ". " ~ "Use criteria: {all: [...]} and/or {any: [...]}."}) -}}
                {%- endif -%}
                {%- set group = criteria[key] -%}
                {%- if group is none -%}{%- set group = [] -%}{%- endif -%}
                {%- if group is string or group is mapping or group is not iterable -%}
                    {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has criteria '" ~ key ~ "' that is not a list" ~ ". " ~ "Example: " ~ key ~ ": [{property: {type: atomic, name: page_url}, operator: like, value: '%pricing%'}]."}) -}}
                {%- endif -%}
                {%- for criterion in group -%}
                    {%- set checked = prospect_scoring._attribute_criterion(name, criterion) -%}
                    {%- if checked.problem is defined -%}{{- return(checked) -}}{%- endif -%}
                    {%- do normalised_criteria[key].append(checked.criterion) -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endif -%}

        {#- period -#}
        {%- set period = none -%}
        {%- if entry.get('period') is not none -%}
            {%- set period = prospect_scoring._iso_duration_seconds(entry.period) -%}
            {%- if period is none -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has the period " ~ (entry.period | tojson) ~ ", which is not an ISO-8601 duration or whole seconds > 0" ~ ". " ~ "Examples: period: PT30M, PT1H, P7D, P1DT12H, or 1800."}) -}}
            {%- endif -%}
        {%- endif -%}

        {#- time unit -#}
        {%- set time_unit = entry.get('time_unit') -%}
        {%- if aggregation in ['time_since_first', 'time_since_last'] and time_unit not in time_units -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "is a " ~ aggregation ~ " and needs a 'time_unit' of s, min, h or d, got " ~ (time_unit | tojson) ~ ". " ~ "Example: time_unit: min."}) -}}
        {%- endif -%}
        {%- if aggregation not in ['time_since_first', 'time_since_last'] and time_unit is not none -%}
            {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has a 'time_unit', which only time_since_first and time_since_last take" ~ ". " ~ "Remove 'time_unit'."}) -}}
        {%- endif -%}

        {#- default value -#}
        {%- set default_value = entry.get('default_value') -%}
        {%- if default_value is not none -%}
            {%- if aggregation in zero_default and default_value != 0 and default_value != [] -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has default_value " ~ (default_value | tojson) ~ ", but a " ~ aggregation ~ " with no eligible event is 0" ~ ". " ~ "Remove 'default_value'."}) -}}
            {%- endif -%}
            {%- set kind_ok = (aggregation in zero_default and default_value == [])
                or (data_type in ['integer', 'double'] and default_value is number and default_value is not boolean
                    and (default_value | string | lower) not in ['inf', '-inf', 'nan']
                    and (data_type == 'double' or (default_value | int) == default_value))
                or (data_type == 'boolean' and default_value is boolean)
                or (data_type == 'string' and default_value is string)
                or (data_type == 'timestamp' and prospect_scoring._timestamp_text(default_value) is not none) -%}
            {%- if not kind_ok -%}
                {{- return({'problem': "attribute '" ~ name ~ "' " ~ "has default_value " ~ (default_value | tojson) ~ ", which is not a value of its column type (" ~ data_type ~ ")" ~ ". " ~ ("Give a UTC timestamp 'YYYY-MM-DD HH:MM:SS', or none." if data_type == 'timestamp' else "Give a default of the attribute's type, or none.")}) -}}
            {%- endif -%}
            {%- if data_type == 'timestamp' -%}{%- set default_value = prospect_scoring._timestamp_text(default_value) -%}{%- endif -%}
        {%- endif -%}
        {%- if aggregation in zero_default -%}{%- set default_value = 0 -%}{%- endif -%}

        {%- set definition = {} -%}
        {%- for key in known_keys if entry.get(key) is not none and key != 'description' -%}
            {%- do definition.update({key: entry[key]}) -%}
        {%- endfor -%}
        {%- do definition.update({'events': normalised_events}) -%}
        {%- if period is not none -%}{%- do definition.update({'period': prospect_scoring._iso_duration_text(period)}) -%}{%- endif -%}
        {%- if entry.get('description') is not none -%}{%- do definition.update({'description': entry.description | string}) -%}{%- endif -%}

        {%- do result.append({
            'name': name,
            'description': entry.get('description'),
            'aggregation': aggregation,
            'type': type,
            'data_type': data_type,
            'feature_kind': {'integer': 'numeric', 'double': 'numeric', 'timestamp': 'timestamp', 'boolean': 'boolean', 'string': 'categorical'}[data_type],
            'events': normalised_events,
            'column': column,
            'criteria': normalised_criteria,
            'period': period,
            'time_unit': time_unit,
            'time_unit_seconds': time_units.get(time_unit),
            'default_value': default_value,
            'serving_transform': 'length' if aggregation == 'unique_list' else none,
            'definition': definition,
        }) -%}
    {%- endfor -%}
    {{- return({'attributes': result}) -}}
{%- endmacro %}
