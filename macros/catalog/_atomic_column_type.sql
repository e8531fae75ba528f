{#-
    The logical type of a column of Snowplow's canonical atomic events table
    (_canonical_atomic_columns()): integer, double, boolean, timestamp or
    string; none for any other column (the source's own type is kept). The
    staged events cast a carried canonical column to it, so every warehouse and
    every file format compares and aggregates the same values.
-#}
{% macro _atomic_column_type(column) -%}
    {%- set integers = ['domain_sessionidx', 'txn_id', 'page_urlport', 'refr_urlport', 'ti_quantity',
        'pp_xoffset_min', 'pp_xoffset_max', 'pp_yoffset_min', 'pp_yoffset_max', 'br_viewwidth', 'br_viewheight',
        'dvce_screenwidth', 'dvce_screenheight', 'doc_width', 'doc_height'] -%}
    {%- set doubles = ['geo_latitude', 'geo_longitude', 'se_value', 'tr_total', 'tr_tax', 'tr_shipping', 'ti_price',
        'tr_total_base', 'tr_tax_base', 'tr_shipping_base', 'ti_price_base'] -%}
    {%- set booleans = ['br_features_pdf', 'br_features_flash', 'br_features_java', 'br_features_director',
        'br_features_quicktime', 'br_features_realplayer', 'br_features_windowsmedia', 'br_features_gears',
        'br_features_silverlight', 'br_cookies', 'dvce_ismobile'] -%}
    {%- if column not in prospect_scoring._canonical_atomic_columns() -%}{{- return(none) -}}
    {%- elif column in integers -%}{{- return('integer') -}}
    {%- elif column in doubles -%}{{- return('double') -}}
    {%- elif column in booleans -%}{{- return('boolean') -}}
    {%- elif column.endswith('_tstamp') -%}{{- return('timestamp') -}}
    {%- else -%}{{- return('string') -}}
    {%- endif -%}
{%- endmacro %}
