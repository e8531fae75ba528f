{#-
    The column contract of final_training, rendered from the one feature
    definition (counter_features() in macros/config): train/fit.py reads its
    features and target from here instead of a second hand-typed list.
-#}
{%- set columns = [
    ('event_id', 'identifier', 'Unique identifier of the event (the prediction point).'),
    ('domain_userid', 'identifier', 'Snowplow first-party cookie id of the visitor.'),
    ('derived_tstamp', 'identifier', 'When the event happened.'),
    ('event_name', 'identifier', 'Snowplow event name.'),
] -%}
{%- for feature in prospect_scoring.counter_features() -%}
    {%- do columns.append((feature.name, 'feature', feature.get('description') or ('Counter of strictly earlier ' ~ feature.event_name ~ ' events' ~ (" whose page_url is like '" ~ feature.page_url_like ~ "'" if feature.get('page_url_like') else '') ~ '.'))) -%}
{%- endfor -%}
{%- do columns.append(('target_had_submit_form_next1h', 'target', 'The visitor converts (' ~ prospect_scoring.conversion_event() ~ ') within ' ~ prospect_scoring.horizon_seconds() ~ ' whole seconds after this event.')) -%}
{%- do columns.append(('is_label_mature', 'label_maturity', 'The target is known: positive, or the observed data covers the whole horizon.')) -%}

with

column_contract as (

    {%- for name, role, description in columns %}
    select
        cast({{ prospect_scoring.quote_literal(name) }} as {{ dbt.type_string() }}) as column_name,
        cast({{ prospect_scoring.quote_literal(role) }} as {{ dbt.type_string() }}) as column_role,
        cast({{ loop.index }} as {{ dbt.type_int() }}) as ordinal,
        cast({{ prospect_scoring.quote_literal(description) }} as {{ dbt.type_string() }}) as description
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from column_contract
