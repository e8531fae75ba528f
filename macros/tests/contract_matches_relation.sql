{#-
    Generic data test on the column contract (final_training_columns): its
    column_name / ordinal rows are exactly the columns of the model named
    `described_model` (final_training), in order. Returns each column that is
    in one but not in the other, so a contract that drifts from the table fails
    the build. The described model is looked up in the graph, not ref'd: the
    test then belongs to the contract alone, and selecting final_training
    without its contract (dbt build -s final_training) does not run it.
-#}
{% test contract_matches_relation(model, described_model) %}
{%- set actual = [] %}
{%- if execute and flags.WHICH != 'compile' %}
    {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | selectattr('name', 'equalto', described_model) | first %}
    {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) %}
    {%- set actual = adapter.get_columns_in_relation(relation) if relation is not none else [] %}
{%- endif %}

with

contract as (

    select
        lower(column_name) as column_name,
        ordinal
    from {{ model }}

),

actual as (

    {%- for column in actual %}
    select
        {{ prospect_scoring.quote_literal(column.name | lower) }} as column_name,
        {{ loop.index }} as ordinal
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_int() }}) as ordinal
    where false
    {%- endfor %}

),

only_in_contract as (

    select
        'only in the contract' as problem,
        column_name,
        ordinal
    from contract
    where not exists (
        select 1 from actual
        where actual.column_name = contract.column_name and actual.ordinal = contract.ordinal
    )

),

only_in_relation as (

    select
        'only in the table' as problem,
        column_name,
        ordinal
    from actual
    where not exists (
        select 1 from contract
        where contract.column_name = actual.column_name and contract.ordinal = actual.ordinal
    )

)

select * from only_in_contract
union all
select * from only_in_relation

{% endtest %}
