{#-
    Spark 4's datediff(second, ...) (timestampdiff) counts whole elapsed seconds,
    not the second boundaries crossed that the project's horizon arithmetic uses
    (00:00:00.9 -> 01:00:00.1 is 3600): unix_seconds floors each side to its
    second first. BIGINT; null when either side is null.
-#}
{% macro spark__whole_seconds_between(start_tstamp, end_tstamp) -%}
    (unix_seconds({{ end_tstamp }}) - unix_seconds({{ start_tstamp }}))
{%- endmacro %}
