{#-
    Generic data test on final_training: every row has a label (the target
    column named by target_column_name()) and a maturity flag, and a true label
    is mature (a conversion seen within the horizon is known). Returns the
    offending rows.
-#}
{% test labels_are_consistent(model) %}
{%- set target = prospect_scoring.target_column_name() %}

select
    {{ target }},
    is_label_mature
from {{ model }}
where
    {{ target }} is null
    or is_label_mature is null
    or ({{ target }} and not is_label_mature)

{% endtest %}
