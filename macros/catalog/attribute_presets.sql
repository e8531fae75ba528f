{#-
    The shipped catalogs, by preset name, in the Signals SDK's JSON shape (what
    `Attribute(...).model_dump(mode="json", exclude_none=True)` gives; the
    descriptions are ours). `snowplow__attributes: <name>` selects one;
    docs/attributes.md lists them.
      * tutorial (the default): the tutorial's three counters, exactly.
      * web_minimal: reads only event_id, app_id, derived_tstamp, domain_userid,
        domain_sessionid, domain_sessionidx, event_name and page_url.
      * web_full: web_minimal plus traffic source and context from standard
        atomic columns (refr_*, mkt_*, geo_country, page_urlpath).
-#}
{% macro attribute_presets() -%}
    {%- set page_view = [{'name': 'page_view'}] -%}
    {%- set pricing = {'all': [{'property': {'type': 'atomic', 'name': 'page_url'}, 'operator': 'like', 'value': '%pricing%'}]} -%}
    {%- set customers = {'all': [{'property': {'type': 'atomic', 'name': 'page_url'}, 'operator': 'like', 'value': '%customers%'}]} -%}
    {%- set tutorial = [
        {'name': 'num_page_views', 'type': 'int64', 'events': page_view, 'aggregation': 'counter',
         'description': "The visitor's page views strictly before this event."},
        {'name': 'num_pricing_views', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'criteria': pricing,
         'description': "The visitor's page views of URLs containing 'pricing' strictly before this event."},
        {'name': 'num_customers_views', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'criteria': customers,
         'description': "The visitor's page views of URLs containing 'customers' strictly before this event."},
    ] -%}
    {%- set web_minimal = tutorial + [
        {'name': 'page_views_last_30m', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'period': 'PT30M',
         'description': 'Page views in the 30 minutes before this event.'},
        {'name': 'page_views_last_1h', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'period': 'PT1H',
         'description': 'Page views in the hour before this event.'},
        {'name': 'page_views_last_1d', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'period': 'P1D',
         'description': 'Page views in the day before this event.'},
        {'name': 'page_views_last_7d', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'period': 'P7D',
         'description': 'Page views in the 7 days before this event.'},
        {'name': 'pricing_views_last_1h', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'criteria': pricing, 'period': 'PT1H',
         'description': "Page views of URLs containing 'pricing' in the hour before this event."},
        {'name': 'pricing_views_last_1d', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'criteria': pricing, 'period': 'P1D',
         'description': "Page views of URLs containing 'pricing' in the day before this event."},
        {'name': 'pricing_views_last_7d', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'criteria': pricing, 'period': 'P7D',
         'description': "Page views of URLs containing 'pricing' in the 7 days before this event."},
        {'name': 'customers_views_last_1d', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'criteria': customers, 'period': 'P1D',
         'description': "Page views of URLs containing 'customers' in the day before this event."},
        {'name': 'num_sessions', 'type': 'int64', 'events': [], 'aggregation': 'approx_count_distinct',
         'property': {'type': 'atomic', 'name': 'domain_sessionid'},
         'description': 'Sessions so far: distinct domain_sessionid of the earlier events.'},
        {'name': 'num_distinct_pages', 'type': 'int64', 'events': page_view, 'aggregation': 'approx_count_distinct',
         'property': {'type': 'atomic', 'name': 'page_url'},
         'description': 'Distinct page URLs viewed so far.'},
        {'name': 'latest_session_index', 'type': 'int64', 'events': [], 'aggregation': 'max',
         'property': {'type': 'atomic', 'name': 'domain_sessionidx'},
         'description': 'The highest session index (domain_sessionidx) of the earlier events.'},
        {'name': 'hours_since_first_event', 'type': 'double', 'events': [], 'aggregation': 'time_since_first', 'time_unit': 'h',
         'description': "Hours since the visitor's first event."},
        {'name': 'minutes_since_last_event', 'type': 'double', 'events': [], 'aggregation': 'time_since_last', 'time_unit': 'min',
         'description': "Minutes since the visitor's latest earlier event."},
        {'name': 'minutes_since_last_pricing_view', 'type': 'double', 'events': page_view, 'aggregation': 'time_since_last', 'time_unit': 'min',
         'criteria': pricing, 'description': "Minutes since the visitor's latest earlier view of a pricing page."},
    ] -%}
    {%- set external = {'all': [{'property': {'type': 'atomic', 'name': 'refr_medium'}, 'operator': '!=', 'value': 'internal'}]} -%}
    {%- set web_full = web_minimal + [
        {'name': 'first_refr_medium', 'type': 'string', 'events': page_view, 'aggregation': 'first', 'criteria': external,
         'property': {'type': 'atomic', 'name': 'refr_medium'}, 'description': 'Referrer medium of the first page view from outside the site (search, social, email, unknown).'},
        {'name': 'last_refr_medium', 'type': 'string', 'events': page_view, 'aggregation': 'last', 'criteria': external,
         'property': {'type': 'atomic', 'name': 'refr_medium'}, 'description': 'Referrer medium of the latest earlier page view from outside the site.'},
        {'name': 'first_refr_source', 'type': 'string', 'events': page_view, 'aggregation': 'first', 'criteria': external,
         'property': {'type': 'atomic', 'name': 'refr_source'}, 'description': 'Referrer source of the first page view from outside the site (Google, Bing, ...).'},
        {'name': 'first_mkt_medium', 'type': 'string', 'events': page_view, 'aggregation': 'first',
         'property': {'type': 'atomic', 'name': 'mkt_medium'}, 'description': 'Marketing medium (utm_medium) of the first page view with one.'},
        {'name': 'last_mkt_medium', 'type': 'string', 'events': page_view, 'aggregation': 'last',
         'property': {'type': 'atomic', 'name': 'mkt_medium'}, 'description': 'Marketing medium (utm_medium) of the latest earlier page view with one.'},
        {'name': 'first_mkt_source', 'type': 'string', 'events': page_view, 'aggregation': 'first',
         'property': {'type': 'atomic', 'name': 'mkt_source'}, 'description': 'Marketing source (utm_source) of the first page view with one.'},
        {'name': 'last_mkt_campaign', 'type': 'string', 'events': page_view, 'aggregation': 'last',
         'property': {'type': 'atomic', 'name': 'mkt_campaign'}, 'description': 'Marketing campaign (utm_campaign) of the latest earlier page view with one.'},
        {'name': 'most_frequent_geo_country', 'type': 'string', 'events': [], 'aggregation': 'most_frequent',
         'property': {'type': 'atomic', 'name': 'geo_country'}, 'description': 'The country of most of the earlier events (ties: the first alphabetically).'},
        {'name': 'most_frequent_page_urlpath', 'type': 'string', 'events': page_view, 'aggregation': 'most_frequent',
         'property': {'type': 'atomic', 'name': 'page_urlpath'}, 'description': 'The page path viewed most often so far (ties: the first alphabetically).'},
        {'name': 'num_distinct_urlpaths', 'type': 'string_list', 'events': page_view, 'aggregation': 'unique_list',
         'property': {'type': 'atomic', 'name': 'page_urlpath'}, 'description': "Length of Signals' unique list of page paths viewed so far (at most 100)."},
        {'name': 'num_search_referrals', 'type': 'int64', 'events': page_view, 'aggregation': 'counter',
         'criteria': {'all': [{'property': {'type': 'atomic', 'name': 'refr_medium'}, 'operator': '=', 'value': 'search'}]},
         'description': 'Earlier page views referred by a search engine.'},
        {'name': 'num_paid_views', 'type': 'int64', 'events': page_view, 'aggregation': 'counter',
         'criteria': {'any': [{'property': {'type': 'atomic', 'name': 'mkt_medium'}, 'operator': 'in', 'value': ['cpc', 'ppc', 'paid_social', 'paidsearch', 'display']}]},
         'description': 'Earlier page views from paid marketing (mkt_medium cpc, ppc, paid_social, paidsearch or display).'},
        {'name': 'campaign_views_last_7d', 'type': 'int64', 'events': page_view, 'aggregation': 'counter', 'period': 'P7D',
         'criteria': {'all': [{'property': {'type': 'atomic', 'name': 'mkt_campaign'}, 'operator': 'is not null'}]},
         'description': 'Page views with a marketing campaign in the 7 days before this event.'},
    ] -%}
    {{- return({'tutorial': tutorial, 'web_minimal': web_minimal, 'web_full': web_full}) -}}
{%- endmacro %}
