{#-
    on-run-end: when this run built training_dataset_audit and final_training came
    out empty, says so loudly, naming the step that removed the last events and
    what it keeps, so the user knows which var or input to look at. (A warning, not
    an error: the build and its tests did what they were asked; train/fit.py
    refuses an empty table with the same explanation.)
-#}
{% macro warn_if_training_data_is_empty(results) -%}
    {%- if execute -%}
        {%- set built = results | selectattr('node.name', 'equalto', 'training_dataset_audit') | selectattr('status', 'equalto', 'success') | list -%}
        {%- if built -%}
            {%- set steps = run_query("select step, reason, events_remaining from " ~ built[0].node.relation_name ~ " order by step_order") -%}
            {%- set ns = namespace(before=none, empty_at=none) -%}
            {%- for row in steps.rows -%}
                {%- if ns.empty_at is none and row[2] == 0 -%}{%- set ns.empty_at = row -%}{%- endif -%}
                {%- if ns.empty_at is none -%}{%- set ns.before = row[2] -%}{%- endif -%}
            {%- endfor -%}
            {%- if ns.empty_at is not none -%}
                {%- if ns.before is none -%}
                    {%- do exceptions.warn("final_training is EMPTY: the events source has no rows. Point snowplow__events_file or snowplow__events_table at your Snowplow events.") -%}
                {%- else -%}
                    {%- do exceptions.warn("final_training is EMPTY: step '" ~ ns.empty_at[0] ~ "' (" ~ ns.empty_at[1] ~ ") removed the last " ~ ns.before ~ " events. Check that step's vars against your data; training_dataset_audit lists every step.") -%}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
