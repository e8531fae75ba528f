{#-
    BigQuery: a lifetime most_frequent of a string property reads the smallest
    running-count key over the frame (see _running_mode_key); every other
    most_frequent / least_frequent collects the frame's values
    (_bigquery_window_values) for window_reduce to count.
-#}
{% macro bigquery__window_frequency(value, aggregation, window, attribute=none) -%}
    {%- if attribute is not none and prospect_scoring._running_mode_applies(attribute) -%}
    {{ prospect_scoring._running_mode(value, aggregation, window, attribute) }}
    {%- else -%}
    {{ prospect_scoring._bigquery_window_values(value, window) }}
    {%- endif -%}
{%- endmacro %}
