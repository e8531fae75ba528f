{#-
    The column contract of final_training, rendered from the one feature
    definition (snowplow__attributes, attributes()): train/fit.py reads the features,
    their kind and defaults and the target from here instead of a second
    hand-typed list. Built right after final_training (it reads it), so a build
    that fails before final_training leaves both as they were; every row records
    the build (build_invocation_id) and the number of final_training rows it saw
    (training_row_count), which fit.py checks against the table it reads.
-#}
{#- The identifiers' and is_label_mature's descriptions are final_training's own (its yml's doc
    blocks, read from the graph when the model runs), not a second copy. -#}
{%- set documented = {} -%}
{%- if execute -%}
    {%- for node in (graph.get('nodes') or {}).values()
        if node.resource_type == 'model' and node.package_name == 'prospect_scoring' and node.name == 'final_training' -%}
        {%- for name, column in node.columns.items() -%}
            {%- do documented.update({name: column.description | trim | replace('\n', ' ')}) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}
{%- set columns = [
    {'name': 'event_id', 'role': 'identifier', 'data_type': 'string', 'description': documented.get('event_id', '')},
    {'name': 'domain_userid', 'role': 'identifier', 'data_type': 'string', 'description': documented.get('domain_userid', '')},
    {'name': 'derived_tstamp', 'role': 'identifier', 'data_type': 'timestamp', 'description': documented.get('derived_tstamp', '')},
    {'name': 'event_name', 'role': 'identifier', 'data_type': 'string', 'description': documented.get('event_name', '')},
] -%}
{%- for attribute in prospect_scoring.attributes() -%}
    {%- do columns.append({
        'name': attribute.name, 'role': 'feature', 'data_type': attribute.data_type, 'feature_kind': attribute.feature_kind,
        'aggregation': attribute.aggregation,
        'default_value': (attribute.default_value | tojson) if attribute.default_value is not none else none,
        'serving_transform': attribute.serving_transform,
        'signals_definition': attribute.definition | tojson,
        'description': attribute.description or prospect_scoring.attribute_description(attribute)}) -%}
{%- endfor -%}
{%- do columns.append({'name': prospect_scoring.target_column_name(), 'role': 'target', 'data_type': 'boolean',
    'description': 'The visitor converts (' ~ prospect_scoring.conversion_event() ~ ') within ' ~ prospect_scoring.horizon_seconds() ~ ' whole seconds after this event.'}) -%}
{%- do columns.append({'name': 'is_label_mature', 'role': 'label_maturity', 'data_type': 'boolean',
    'description': documented.get('is_label_mature', '')}) -%}
{%- set string_type = dbt.type_string() -%}

with

final_training as (

    select * from {{ ref('final_training') }}

),

built as (

    select count(*) as training_row_count
    from final_training

),

column_contract as (

    {%- for column in columns %}
    select
        cast({{ prospect_scoring.quote_literal(column.name) }} as {{ string_type }}) as column_name,
        cast({{ prospect_scoring.quote_literal(column.role) }} as {{ string_type }}) as column_role,
        cast({{ loop.index }} as {{ dbt.type_int() }}) as ordinal,
        cast({{ prospect_scoring.quote_literal(column.description) }} as {{ string_type }}) as description,
        cast({{ prospect_scoring.quote_literal(column.data_type) }} as {{ string_type }}) as data_type,
        {%- for key in ['feature_kind', 'aggregation', 'default_value', 'serving_transform', 'signals_definition'] %}
        cast({{ prospect_scoring.quote_literal(column[key]) if column.get(key) is not none else 'null' }} as {{ string_type }}) as {{ key }},
        {%- endfor %}
        cast(built.training_row_count as {{ dbt.type_bigint() }}) as training_row_count,
        cast({{ prospect_scoring.quote_literal(invocation_id) }} as {{ string_type }}) as build_invocation_id
    from built
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from column_contract
