{#-
    Every project var is read here, once, with its default, and checked.
    A wrong value stops dbt (at parse time, before anything runs) with a
    one-line message that names the var. See README "Configuration".
-#}

{% macro _var_error(name, problem, hint) -%}
    {{ exceptions.raise_compiler_error("var '" ~ name ~ "' " ~ problem ~ ". " ~ hint) }}
{%- endmacro %}

{% macro _is_string_list(value) -%}
    {%- set ns = namespace(ok=(value is iterable and value is not string and value is not mapping and value | length > 0)) -%}
    {%- if ns.ok -%}
        {%- for item in value -%}
            {%- if item is not string or item | length == 0 -%}{%- set ns.ok = false -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(ns.ok) -}}
{%- endmacro %}

{% macro _string_list_var(name, default) -%}
    {%- set value = var(name, default) -%}
    {%- if not prospect_scoring._is_string_list(value) -%}
        {{- prospect_scoring._var_error(name, "must be a non-empty list of strings, got " ~ (value | tojson), "Example: --vars '{" ~ name ~ ": " ~ (default | tojson) ~ "}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{% macro _timestamp_var(name) -%}
    {#- Optional var holding 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS[.ffffff]'. Returns the
        normalised text 'YYYY-MM-DD HH:MM:SS[.ffffff]', or none when unset. -#}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value is string and value | trim == '') -%}{{- return(none) -}}{%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set match = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2}):(\\d{2})(\\.\\d{1,6})?)?$', text) -%}
    {%- set ok = match is not none -%}
    {%- if ok -%}
        {%- set month = match.group(2) | int -%}
        {%- set day = match.group(3) | int -%}
        {%- set ok = 1 <= month <= 12 and 1 <= day <= 31
            and (match.group(4) or '0') | int <= 23
            and (match.group(5) or '0') | int <= 59
            and (match.group(6) or '0') | int <= 59 -%}
    {%- endif -%}
    {%- if not ok -%}
        {{- prospect_scoring._var_error(name, "must be a date 'YYYY-MM-DD' or a timestamp 'YYYY-MM-DD HH:MM:SS', got " ~ (value | tojson), "Fix it or leave it unset.") -}}
    {%- endif -%}
    {%- set normalised = match.group(1) ~ '-' ~ match.group(2) ~ '-' ~ match.group(3) ~ ' '
        ~ (match.group(4) or '00') ~ ':' ~ (match.group(5) or '00') ~ ':' ~ (match.group(6) or '00')
        ~ (match.group(7) or '') -%}
    {{- return(normalised) -}}
{%- endmacro %}

{% macro _non_negative_int_var(name, default, allow_none=false) -%}
    {%- set value = var(name, default) -%}
    {%- if value is none and allow_none -%}{{- return(none) -}}{%- endif -%}
    {%- if value is not number or value is boolean or (value | int) != value or value < 0 -%}
        {{- prospect_scoring._var_error(name, "must be a whole number >= 0, got " ~ (value | tojson), "Example: --vars '{" ~ name ~ ": " ~ (default if default is not none else 1000) ~ "}'") -}}
    {%- endif -%}
    {{- return(value | int) -}}
{%- endmacro %}

{% macro _identifier_ok(text) -%}
    {{- return(text is string and modules.re.match('^[a-z_][a-z0-9_]*$', text) is not none) -}}
{%- endmacro %}


{#- ---------------------------------------------------------------- source -- #}

{% macro sample_events_file() -%}
    {{- return('seeds/snowplow_sample_events.csv') -}}
{%- endmacro %}

{% macro events_file() -%}
    {#- DuckDB only: path or glob of a CSV, CSV.gz or Parquet file of atomic events,
        relative to the project directory. Default: the shipped sample, unless
        snowplow__events_table names a table to read instead. -#}
    {%- set default = prospect_scoring.sample_events_file() if target.type == 'duckdb' and var('snowplow__events_table', none) is none else none -%}
    {%- set value = var('snowplow__events_file', default) -%}
    {%- if value is none or (value is string and value | trim == '') -%}{{- return(none) -}}{%- endif -%}
    {%- if value is not string -%}
        {{- prospect_scoring._var_error('snowplow__events_file', "must be a path or glob string, got " ~ (value | tojson), "Example: --vars '{snowplow__events_file: data/events.parquet}'") -}}
    {%- endif -%}
    {%- if target.type != 'duckdb' -%}
        {{- prospect_scoring._var_error('snowplow__events_file', "is only supported on the duckdb target (target '" ~ target.name ~ "' is " ~ target.type ~ ")", "Unset it and point snowplow__atomic_schema / snowplow__events_table at the warehouse table.") -}}
    {%- endif -%}
    {%- if var('snowplow__events_table', none) is not none -%}
        {{- prospect_scoring._var_error('snowplow__events_file', "and snowplow__events_table are both set", "Set only one: a file to read in place, or a table.") -}}
    {%- endif -%}
    {{- return(value | trim) -}}
{%- endmacro %}

{#- ------------------------------------------------------------- filtering -- #}

{% macro app_ids() -%}
    {{- return(prospect_scoring._string_list_var('snowplow__app_ids', ['website'])) -}}
{%- endmacro %}

{% macro conversion_event() -%}
    {%- set value = var('snowplow__conversion_event', 'submit_form') -%}
    {%- if value is not string or value | trim == '' -%}
        {{- prospect_scoring._var_error('snowplow__conversion_event', "must be an event name, got " ~ (value | tojson), "Example: --vars '{snowplow__conversion_event: submit_form}'") -}}
    {%- endif -%}
    {%- if value not in prospect_scoring.event_names() -%}
        {{- prospect_scoring._var_error('snowplow__conversion_event', "is " ~ (value | tojson) ~ ", which is not among the kept events snowplow__event_names " ~ (prospect_scoring.event_names() | tojson), "Add it to snowplow__event_names.") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{% macro event_names() -%}
    {#- The events that enter the dataset (the tutorial keeps page views and form submissions). -#}
    {{- return(prospect_scoring._string_list_var('snowplow__event_names', ['page_view', 'submit_form'])) -}}
{%- endmacro %}

{% macro horizon_seconds() -%}
    {%- set value = prospect_scoring._non_negative_int_var('snowplow__horizon_seconds', 3600) -%}
    {%- if value == 0 -%}
        {{- prospect_scoring._var_error('snowplow__horizon_seconds', "must be > 0, got 0", "Example: --vars '{snowplow__horizon_seconds: 3600}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{% macro start_date() -%}
    {{- return(prospect_scoring._timestamp_var('snowplow__start_date')) -}}
{%- endmacro %}

{% macro end_date() -%}
    {%- set start = prospect_scoring.start_date() -%}
    {%- set end = prospect_scoring._timestamp_var('snowplow__end_date') -%}
    {%- if start is not none and end is not none and end <= start -%}
        {{- prospect_scoring._var_error('snowplow__end_date', "(" ~ end ~ ") must be later than snowplow__start_date (" ~ start ~ ")", "The time range is [start, end).") -}}
    {%- endif -%}
    {{- return(end) -}}
{%- endmacro %}

{% macro max_events_per_day() -%}
    {#- Visitors with more events than this in any one UTC day look automated and are left out. Unset: off. -#}
    {%- set value = prospect_scoring._non_negative_int_var('snowplow__max_events_per_day', none, allow_none=true) -%}
    {%- if value == 0 -%}
        {{- prospect_scoring._var_error('snowplow__max_events_per_day', "must be > 0 (or unset to turn the filter off), got 0", "Example: --vars '{snowplow__max_events_per_day: 1000}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}


{#- ---------------------------------------------------------------- cohort -- #}

{% macro reference_date() -%}
    {#- Fixed reference for the relative cohort window; unset = the end of the observed data (reproducible). -#}
    {{- return(prospect_scoring._timestamp_var('snowplow__reference_date')) -}}
{%- endmacro %}

{% macro cohort_first_seen_start() -%}
    {{- return(prospect_scoring._timestamp_var('snowplow__cohort_first_seen_start')) -}}
{%- endmacro %}

{% macro cohort_first_seen_end() -%}
    {%- set start = prospect_scoring.cohort_first_seen_start() -%}
    {%- set end = prospect_scoring._timestamp_var('snowplow__cohort_first_seen_end') -%}
    {%- if start is not none and end is not none and end <= start -%}
        {{- prospect_scoring._var_error('snowplow__cohort_first_seen_end', "(" ~ end ~ ") must be later than snowplow__cohort_first_seen_start (" ~ start ~ ")", "The cohort window is [start, end).") -}}
    {%- endif -%}
    {{- return(end) -}}
{%- endmacro %}

{% macro cohort_days_before_reference() -%}
    {#- [oldest, newest]: visitors first seen in [reference - oldest days, reference - newest days). Unset: off. -#}
    {%- set value = var('snowplow__cohort_days_before_reference', none) -%}
    {%- if value is none -%}{{- return(none) -}}{%- endif -%}
    {%- set ok = value is iterable and value is not string and value is not mapping and value | length == 2 -%}
    {%- if ok -%}
        {%- for item in value -%}
            {%- if item is not number or item is boolean or (item | int) != item or item < 0 -%}{%- set ok = false -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not ok -%}
        {{- prospect_scoring._var_error('snowplow__cohort_days_before_reference', "must be a list of two whole numbers of days [oldest, newest], got " ~ (value | tojson), "Example: --vars '{snowplow__cohort_days_before_reference: [60, 30]}'") -}}
    {%- endif -%}
    {%- if value[0] <= value[1] -%}
        {{- prospect_scoring._var_error('snowplow__cohort_days_before_reference', "is inverted: " ~ (value | tojson) ~ " (the first number, the oldest edge, must be larger than the second)", "Example: [60, 30] = first seen between 60 and 30 days before the reference date.") -}}
    {%- endif -%}
    {%- if prospect_scoring.cohort_first_seen_start() is not none or prospect_scoring.cohort_first_seen_end() is not none -%}
        {{- prospect_scoring._var_error('snowplow__cohort_days_before_reference', "cannot be combined with snowplow__cohort_first_seen_start/end", "Use either absolute dates or days before the reference date.") -}}
    {%- endif -%}
    {{- return(value | map('int') | list) -}}
{%- endmacro %}


{% macro visitor_filters_on() -%}
    {#- Any visitor-level filter (cohort window, automated activity) configured? -#}
    {{- return(prospect_scoring.max_events_per_day() is not none
        or prospect_scoring.cohort_days_before_reference() is not none
        or prospect_scoring.cohort_first_seen_start() is not none
        or prospect_scoring.cohort_first_seen_end() is not none) -}}
{%- endmacro %}


{#- --------------------------------------------------------------- labels -- #}

{% macro drop_immature_labels() -%}
    {%- set value = var('snowplow__drop_immature_labels', false) -%}
    {%- if value is not boolean -%}
        {{- prospect_scoring._var_error('snowplow__drop_immature_labels', "must be true or false, got " ~ (value | tojson), "Example: --vars '{snowplow__drop_immature_labels: true}'") -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}


{#- ------------------------------------------------------------- features -- #}

{% macro counter_features() -%}
    {#- The features, as data: each a counter of the visitor's strictly earlier events
        of `event_name`, optionally whose page_url is `like` `page_url_like`.
        Adding a feature is one line here or in --vars; the training step reads the
        list back from the final_training_columns model. -#}
    {%- set default = [
        {'name': 'num_page_views', 'event_name': 'page_view',
         'description': "The visitor's page views strictly before this event."},
        {'name': 'num_pricing_views', 'event_name': 'page_view', 'page_url_like': '%pricing%',
         'description': "The visitor's page views of URLs containing 'pricing' strictly before this event."},
        {'name': 'num_customers_views', 'event_name': 'page_view', 'page_url_like': '%customers%',
         'description': "The visitor's page views of URLs containing 'customers' strictly before this event."},
    ] -%}
    {%- set features = var('snowplow__counter_features', default) -%}
    {%- set name = 'snowplow__counter_features' -%}
    {%- if features is string or features is mapping or features is not iterable or features | length == 0 -%}
        {{- prospect_scoring._var_error(name, "must be a non-empty list of {name, event_name, page_url_like?}", "See README \"Features\".") -}}
    {%- endif -%}
    {%- set seen = [] -%}
    {%- for feature in features -%}
        {%- if feature is not mapping or not prospect_scoring._identifier_ok(feature.get('name')) -%}
            {{- prospect_scoring._var_error(name, "entry " ~ loop.index ~ " needs a 'name' of lower-case letters, digits and underscores, got " ~ (feature | tojson), "Example: {name: num_docs_views, event_name: page_view, page_url_like: '%/docs/%'}") -}}
        {%- endif -%}
        {%- if feature.get('event_name') is not string or feature.get('event_name') not in prospect_scoring.event_names() -%}
            {{- prospect_scoring._var_error(name, "entry '" ~ feature.name ~ "' counts event_name " ~ (feature.get('event_name') | tojson) ~ ", which is not among snowplow__event_names " ~ (prospect_scoring.event_names() | tojson), "Add it to snowplow__event_names or fix the entry.") -}}
        {%- endif -%}
        {%- if feature.get('page_url_like') is not none and feature.get('page_url_like') is not string -%}
            {{- prospect_scoring._var_error(name, "entry '" ~ feature.name ~ "' has a page_url_like that is not a string", "Example: page_url_like: '%pricing%'") -}}
        {%- endif -%}
        {%- if feature.name in seen or feature.name in prospect_scoring._reserved_column_names() or feature.name.endswith('__hit') -%}
            {{- prospect_scoring._var_error(name, "names the column '" ~ feature.name ~ "' twice, reuses a reserved column name (" ~ (prospect_scoring._reserved_column_names() | join(', ')) ~ ") or ends in '__hit'", "Give each feature a unique name.") -}}
        {%- endif -%}
        {%- do seen.append(feature.name) -%}
    {%- endfor -%}
    {{- return(features) -}}
{%- endmacro %}

{#- Columns of the models that carry the features: a feature may not take their names. -#}
{% macro _reserved_column_names() -%}
    {{- return(['event_id', 'app_id', 'domain_userid', 'derived_tstamp', 'event_name', 'page_url',
                'first_conversion_tstamp', 'data_end_tstamp', 'is_before_first_conversion',
                'target_had_submit_form_next1h', 'is_label_mature']) -}}
{%- endmacro %}
