{#-
    DuckDB: how counters_strictly_earlier() packs the counters' 0/1 indicators.
    One lane per distinct indicator: counters with the same events and criteria
    (attribute_condition(), e.g. a lifetime count of page views and its 30-minute
    and 1-day counts) share a lane whatever their periods; a counter of first
    occurrences (`<name>__firsts`, attribute_passes()) has its own. Up to three
    42-bit lanes per HUGEINT pack; a lane never carries into the next, as a
    running count never exceeds the visitor's events, far below 2^42. Returns {packs: [{name, peers, sql}], lanes:
    {feature name: {pack, peers, shift}}, lane_mask}; a pack's columns are
    `counters__running_<n>` and `counters__peers_<n>` (attribute names cannot
    hold `__`).
-#}
{% macro _counter_packs(features) -%}
    {%- set lanes_per_pack = 3 -%}
    {%- set lane_bits = 42 -%}
    {%- set keys = [] -%}
    {%- set hit_of_key = {} -%}
    {%- set key_of_feature = {} -%}
    {%- for feature in features -%}
        {%- set key = ('condition: ' ~ prospect_scoring.attribute_condition(feature)) if feature.get('aggregation') == 'counter' else ('own: ' ~ feature.name) -%}
        {%- if key not in hit_of_key -%}
            {%- do keys.append(key) -%}
            {%- do hit_of_key.update({key: feature.name ~ '__hit'}) -%}
        {%- endif -%}
        {%- do key_of_feature.update({feature.name: key}) -%}
    {%- endfor -%}
    {%- set packs = [] -%}
    {%- set lane_of_key = {} -%}
    {%- for start in range(0, keys | length, lanes_per_pack) -%}
        {%- set pack_name = 'counters__running_' ~ (packs | length + 1) -%}
        {%- set peers_name = 'counters__peers_' ~ (packs | length + 1) -%}
        {%- set terms = [] -%}
        {%- for key in keys[start:start + lanes_per_pack] -%}
            {%- do terms.append('(cast(' ~ hit_of_key[key] ~ ' as hugeint) << ' ~ (loop.index0 * lane_bits) ~ ')') -%}
            {%- do lane_of_key.update({key: {'pack': pack_name, 'peers': peers_name, 'shift': loop.index0 * lane_bits}}) -%}
        {%- endfor -%}
        {%- do packs.append({'name': pack_name, 'peers': peers_name, 'sql': '(' ~ (terms | join(' + ')) ~ ')'}) -%}
    {%- endfor -%}
    {%- set lanes = {} -%}
    {%- for feature in features -%}
        {%- do lanes.update({feature.name: lane_of_key[key_of_feature[feature.name]]}) -%}
    {%- endfor -%}
    {{- return({'packs': packs, 'lanes': lanes, 'lane_mask': 2 ** lane_bits - 1}) -}}
{%- endmacro %}
