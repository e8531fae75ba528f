{#-
    Generic data test on a table that stores event ids with store_event_id (the
    columns of stored_event_id_columns()): every row has an id and no two rows
    share one. The storage is one-to-one (a canonical UUID or the text), so
    distinct stored columns are distinct ids. Returns each offending id with its
    number of rows: a `unique` and a `not_null` in one grouped pass.
-#}
{% test stored_event_ids_are_unique(model) %}
{%- set columns = prospect_scoring.stored_event_id_columns() %}
select
    {%- for column in columns %}
    {{ column }},
    {%- endfor %}
    count(*) as rows_with_this_id
from {{ model }}
group by {{ columns | join(', ') }}
having
    count(*) > 1
    or ({{ columns | join(' is null and ') }} is null)
{% endtest %}
