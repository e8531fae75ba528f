"""Attribute catalogs for the tests, in the Signals SDK's JSON shape.

Each catalog is a list of dicts exactly as ``snowplow_signals.Attribute(...)
.model_dump(mode="json", exclude_none=True)`` writes them (field names and enums
from snowplow_signals/models/model.py, SDK 0.4.10): ``name``, ``type``, ``events``
(``[{vendor, name, version}]``, ``[]`` = every event), ``aggregation``,
``property`` (``{type: atomic, name}``), ``criteria`` (``{all: [...], any: [...]}`` of
``{property, operator, value}``), ``period`` (ISO-8601 duration, or seconds),
``default_value``, ``time_unit``.

EVERY_AGGREGATION uses every aggregation, every operator, every time unit, periods
(minutes, hours, days, days + hours, plain seconds), vendor/version matching,
``events: []``, history-only events (``page_ping``, ``link_click``), and default
values; the columns it reads are in nasty_events.CATALOG_COLUMNS.
"""

from __future__ import annotations

from typing import Any

VENDOR = "com.snowplowanalytics.snowplow"
PAGE_VIEW = [{"name": "page_view"}]
PAGE_PING = [{"name": "page_ping"}]


def _atomic(name: str) -> dict[str, str]:
    return {"type": "atomic", "name": name}


def _where(name: str, operator: str, value: Any = None) -> dict[str, Any]:
    criterion: dict[str, Any] = {"property": _atomic(name), "operator": operator}
    if value is not None:
        criterion["value"] = value
    return criterion


EVERY_AGGREGATION: list[dict[str, Any]] = [
    # counter: events [] (every staged event), vendor/version matching, history-only events.
    {"name": "n_any_events", "type": "int64", "events": [], "aggregation": "counter"},
    {"name": "n_snowplow_page_views", "type": "int64", "aggregation": "counter",
     "events": [{"vendor": VENDOR, "name": "page_view", "version": "1-0-0"}]},
    {"name": "n_page_views_v2", "type": "int64", "aggregation": "counter",
     "events": [{"vendor": VENDOR, "name": "page_view", "version": "2-0-0"}]},
    {"name": "n_acme_page_views", "type": "int32", "aggregation": "counter",
     "events": [{"vendor": "com.acme", "name": "page_view"}]},
    {"name": "n_pings_or_clicks", "type": "int64", "aggregation": "counter",
     "events": [{"name": "page_ping"}, {"name": "link_click"}]},
    {"name": "n_pings_last_30m", "type": "int64", "events": PAGE_PING, "aggregation": "counter",
     "period": "PT30M"},
    # every operator
    {"name": "n_search_or_email", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"any": [_where("refr_medium", "=", "search"), _where("refr_medium", "=", "email")]}},
    {"name": "n_external_referrals", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"all": [_where("refr_medium", "!=", "internal")]}},
    {"name": "n_returning_paid_or_unknown", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"all": [_where("domain_sessionidx", ">", 1)],
                  "any": [_where("mkt_medium", "in", ["cpc", "paid_social"]), _where("refr_medium", "=", "unknown")]}},
    {"name": "n_first_two_sessions_90m", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("domain_sessionidx", "<=", 2)]}, "period": 5400},
    {"name": "n_second_session", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("domain_sessionidx", "<", 3), _where("domain_sessionidx", ">=", 2)]}},
    {"name": "n_pricing_last_1h", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"all": [_where("page_url", "like", "%pricing%")]}, "period": "PT1H"},
    {"name": "n_titled_case_studies", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"all": [_where("page_title", "like", "_cme%| Example")]}},
    {"name": "n_without_campaign_1h", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"all": [_where("mkt_medium", "is null")]}, "period": "PT1H"},
    {"name": "n_campaign_views_7d", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"all": [_where("mkt_campaign", "is not null")]}, "period": "P7D"},
    {"name": "n_mobile_events", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("dvce_ismobile", "=", True)]}},
    {"name": "n_outside_us", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("geo_country", "!=", "US")]}},
    {"name": "n_us_or_gb_1d12h", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("geo_country", "in", ["US", "GB"])]}, "period": "P1DT12H"},
    {"name": "n_deep_pings", "type": "int64", "events": PAGE_PING, "aggregation": "counter",
     "criteria": {"all": [_where("pp_yoffset_max", ">", 500)]}},
    # sum, min, max, mean (integer and double properties, nulls, periods, defaults)
    {"name": "sum_scroll_last_1h", "type": "int64", "events": PAGE_PING, "aggregation": "sum",
     "property": _atomic("pp_yoffset_max"), "period": "PT1H"},
    {"name": "sum_se_value_1d12h", "type": "double", "events": [], "aggregation": "sum",
     "property": _atomic("se_value"), "period": "P1DT12H"},
    {"name": "min_scroll", "type": "int64", "events": PAGE_PING, "aggregation": "min",
     "property": _atomic("pp_yoffset_max")},
    {"name": "min_se_value_default", "type": "double", "events": [], "aggregation": "min",
     "property": _atomic("se_value"), "default_value": -1.5},
    {"name": "max_scroll_last_7d", "type": "int64", "events": PAGE_PING, "aggregation": "max",
     "property": _atomic("pp_yoffset_max"), "period": "P7D", "default_value": -1},
    {"name": "max_session_index_pv_or_ping", "type": "int64", "events": [{"name": "page_view"}, {"name": "page_ping"}],
     "aggregation": "max", "property": _atomic("domain_sessionidx")},
    {"name": "mean_se_value", "type": "double", "events": [], "aggregation": "mean", "property": _atomic("se_value")},
    {"name": "mean_scroll_last_30m", "type": "double", "events": PAGE_PING, "aggregation": "mean",
     "property": _atomic("pp_yoffset_max"), "period": "PT30M"},
    # first, last (strings, integers, booleans; criteria; defaults)
    {"name": "first_external_medium", "type": "string", "events": PAGE_VIEW, "aggregation": "first",
     "property": _atomic("refr_medium"), "criteria": {"all": [_where("refr_medium", "!=", "internal")]},
     "default_value": "none"},
    {"name": "first_scroll", "type": "int64", "events": PAGE_PING, "aggregation": "first",
     "property": _atomic("pp_yoffset_max"), "default_value": 0},
    {"name": "last_urlpath", "type": "string", "events": PAGE_VIEW, "aggregation": "last",
     "property": _atomic("page_urlpath")},
    {"name": "last_mkt_source_1d", "type": "string", "events": PAGE_VIEW, "aggregation": "last",
     "property": _atomic("mkt_source"), "period": "P1D"},
    {"name": "last_is_mobile", "type": "bool", "events": [], "aggregation": "last",
     "property": _atomic("dvce_ismobile")},
    # most_frequent, least_frequent (ties to the smallest value)
    {"name": "most_frequent_country", "type": "string", "events": [], "aggregation": "most_frequent",
     "property": _atomic("geo_country")},
    {"name": "most_frequent_urlpath_1h", "type": "string", "events": PAGE_VIEW, "aggregation": "most_frequent",
     "property": _atomic("page_urlpath"), "period": "PT1H", "default_value": "(none)"},
    {"name": "least_frequent_urlpath", "type": "string", "events": PAGE_VIEW, "aggregation": "least_frequent",
     "property": _atomic("page_urlpath")},
    {"name": "most_frequent_scroll", "type": "int64", "events": PAGE_PING, "aggregation": "most_frequent",
     "property": _atomic("pp_yoffset_max")},
    # approx_count_distinct (exact), unique_list (its length)
    {"name": "n_sessions", "type": "int64", "events": [], "aggregation": "approx_count_distinct",
     "property": _atomic("domain_sessionid")},
    {"name": "n_distinct_sources_7d", "type": "int64", "events": PAGE_VIEW, "aggregation": "approx_count_distinct",
     "property": _atomic("refr_source"), "period": "P7D"},
    {"name": "n_unique_urlpaths", "type": "string_list", "events": PAGE_VIEW, "aggregation": "unique_list",
     "property": _atomic("page_urlpath")},
    {"name": "n_unique_scrolls_1h", "type": "int64_list", "events": PAGE_PING, "aggregation": "unique_list",
     "property": _atomic("pp_yoffset_max"), "period": "PT1H"},
    # time_since_first / time_since_last in every unit
    {"name": "seconds_since_first_event", "type": "double", "events": [], "aggregation": "time_since_first",
     "time_unit": "s"},
    {"name": "minutes_since_last_page_view", "type": "double", "events": PAGE_VIEW, "aggregation": "time_since_last",
     "time_unit": "min"},
    {"name": "hours_since_last_pricing", "type": "double", "events": PAGE_VIEW, "aggregation": "time_since_last",
     "time_unit": "h", "criteria": {"all": [_where("page_url", "like", "%pricing%")]}, "default_value": -1.0},
    {"name": "days_since_first_campaign", "type": "double", "events": PAGE_VIEW, "aggregation": "time_since_first",
     "time_unit": "d", "criteria": {"all": [_where("mkt_campaign", "is not null")]}},
    {"name": "minutes_since_last_ping_30m", "type": "double", "events": PAGE_PING, "aggregation": "time_since_last",
     "time_unit": "min", "period": "PT30M"},
    # The windowed forms of the aggregations whose lifetime form takes another path, and more types
    {"name": "first_external_medium_1d", "type": "string", "events": PAGE_VIEW, "aggregation": "first",
     "property": _atomic("refr_medium"), "criteria": {"all": [_where("refr_medium", "!=", "internal")]},
     "period": "P1D"},
    {"name": "first_urlpath_1h", "type": "string", "events": [], "aggregation": "first",
     "property": _atomic("page_urlpath"), "period": "PT1H"},
    {"name": "seconds_since_first_ping_1h", "type": "double", "events": PAGE_PING, "aggregation": "time_since_first",
     "time_unit": "s", "period": "PT1H", "default_value": -2.0},
    {"name": "least_frequent_urlpath_1d", "type": "string", "events": PAGE_VIEW, "aggregation": "least_frequent",
     "property": _atomic("page_urlpath"), "period": "P1D"},
    {"name": "min_scroll_1h", "type": "int64", "events": PAGE_PING, "aggregation": "min",
     "property": _atomic("pp_yoffset_max"), "period": "PT1H"},
    {"name": "sum_se_value", "type": "double", "events": [], "aggregation": "sum", "property": _atomic("se_value")},
    {"name": "last_se_value", "type": "float", "events": [], "aggregation": "last", "property": _atomic("se_value")},
    {"name": "most_frequent_se_value", "type": "double", "events": [], "aggregation": "most_frequent",
     "property": _atomic("se_value")},
    {"name": "last_page_view_tstamp", "type": "timestamp", "events": PAGE_VIEW, "aggregation": "max",
     "property": _atomic("derived_tstamp")},
    {"name": "first_ping_tstamp", "type": "timestamp", "events": PAGE_PING, "aggregation": "first",
     "property": _atomic("derived_tstamp"), "default_value": "2000-01-01T00:00:00"},
    {"name": "min_country", "type": "string", "events": [], "aggregation": "min", "property": _atomic("geo_country")},
    {"name": "max_country_1d", "type": "string", "events": [], "aggregation": "max",
     "property": _atomic("geo_country"), "period": "P1D"},
    {"name": "most_frequent_mobile", "type": "bool", "events": [], "aggregation": "most_frequent",
     "property": _atomic("dvce_ismobile")},
    {"name": "n_session_2_or_4", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("domain_sessionidx", "in", [2, 4])]}},
    {"name": "n_not_mobile", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("dvce_ismobile", "!=", True)]}},
    {"name": "n_countries_from_gb", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("geo_country", ">=", "GB")]}},
    {"name": "n_se_value_4", "type": "int64", "events": [], "aggregation": "counter",
     "criteria": {"all": [_where("se_value", "=", 4.0)]}},
    {"name": "n_capitalised_pricing", "type": "int64", "events": PAGE_VIEW, "aggregation": "counter",
     "criteria": {"all": [_where("page_url", "like", "%Pricing%")]}},
    {"name": "n_countries_search_or_direct", "type": "int32", "events": PAGE_VIEW,
     "aggregation": "approx_count_distinct", "property": _atomic("geo_country"),
     "criteria": {"any": [_where("refr_medium", "is null"), _where("refr_medium", "=", "search")]}},
]

#: A logreg snowplow__score_model over EVERY_AGGREGATION (a term of each kind: numeric with each transform,
#: boolean, categorical), for compiling prospect_scores with that catalog (as `make lint` does with web_full).
EVERY_AGGREGATION_SCORE_MODEL: dict[str, Any] = {"kind": "logreg", "intercept": -1.5, "threshold": 0.5, "terms": [
    {"feature": "n_any_events", "kind": "numeric", "transform": "asinh", "weight": 0.5, "fill": 0.0, "mean": 1.0,
     "scale": 2.0},
    {"feature": "n_sessions", "kind": "numeric", "transform": "log1p", "weight": 0.25, "fill": 0.0, "mean": 1.0,
     "scale": 1.5},
    {"feature": "mean_se_value", "kind": "numeric", "transform": "none", "weight": 0.1, "fill": 0.0, "mean": 0.0,
     "scale": 1.0},
    {"feature": "last_is_mobile", "kind": "boolean", "weight": 0.125, "fill": 0.0, "mean": 0.1, "scale": 0.3},
    {"feature": "first_external_medium", "kind": "categorical", "null_weight": 0.1, "other_weight": 0.0,
     "values": [{"value": "search", "weight": 0.3}]},
]}

#: Columns of the atomic events that EVERY_AGGREGATION reads (besides the required ones).
EVERY_AGGREGATION_COLUMNS = sorted({
    name
    for attribute in EVERY_AGGREGATION
    for name in [(attribute.get("property") or {}).get("name")]
    + [c["property"]["name"] for key in ("all", "any") for c in (attribute.get("criteria") or {}).get(key, [])]
    if name
})

AGGREGATIONS = {"counter", "sum", "min", "max", "mean", "first", "last", "most_frequent", "least_frequent",
                "approx_count_distinct", "unique_list", "time_since_first", "time_since_last"}
OPERATORS = {"=", "!=", "<", ">", "<=", ">=", "like", "in", "is null", "is not null"}
TIME_UNITS = {"s", "min", "h", "d"}
PRESETS = ("tutorial", "web_minimal", "web_full")


def attributes_var(name: str) -> Any:
    """The value of snowplow__attributes for a catalog name: a preset's name as it is, or the
    every-aggregation catalog itself for "every_aggregation"."""
    return EVERY_AGGREGATION if name == "every_aggregation" else name


def definitions(name: str, recorded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The attribute definitions of a built catalog: the every-aggregation catalog's own, or for a
    preset the ones the build recorded (final_training_columns.signals_definition)."""
    return EVERY_AGGREGATION if name == "every_aggregation" else recorded
