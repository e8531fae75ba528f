"""Bad input stops dbt with a message that says what is wrong (and names the
file or var), before any model is built.

Every case runs on its own fresh database and folder, all in one dbt process
(the ``runs`` fixture, dbt_harness.run_dbt_many): about 70 s instead of 170 s."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import Any

import duckdb
import pytest

from dbt_harness import PROJECT_DIR, Invocation, run_dbt, run_dbt_many

BAD_VARS: list[tuple[dict[str, Any], str]] = [
    ({"snowplow__app_ids": "website"}, "var 'snowplow__app_ids' must be a non-empty list of strings"),
    ({"snowplow__app_ids": ["website", 3]}, "var 'snowplow__app_ids' must be a non-empty list of strings"),
    ({"snowplow__horizon_seconds": -5}, "var 'snowplow__horizon_seconds' must be a whole number of seconds from 1 to"),
    ({"snowplow__horizon_seconds": "1h"}, "var 'snowplow__horizon_seconds' must be a whole number of seconds from 1 to"),
    ({"snowplow__horizon_seconds": 0}, "var 'snowplow__horizon_seconds' must be a whole number of seconds from 1 to 31536000"),
    ({"snowplow__horizon_seconds": 10**12}, "var 'snowplow__horizon_seconds' must be a whole number of seconds from 1 to 31536000"),
    ({"snowplow__horizon": 1800}, "var 'snowplow__horizon' is not a var of this project (a misspelling would be ignored). "
                                   "Did you mean 'snowplow__horizon_seconds'?"),
    ({"snowplow__app_id": ["web"]}, "Did you mean 'snowplow__app_ids'?"),
    ({"snowplow__start_date": "2024-02-30"}, "var 'snowplow__start_date' must be a real calendar date"),
    ({"snowplow__end_date": "2023-02-29"}, "var 'snowplow__end_date' must be a real calendar date"),
    ({"snowplow__atomic_schema": "atomic'; drop table x; --"}, "var 'snowplow__atomic_schema' must be a plain identifier"),
    ({"snowplow__database": "my\"db"}, "var 'snowplow__database' must be a plain identifier"),
    ({"snowplow__events_table": "events.copy"}, "var 'snowplow__events_table' must be a plain identifier"),
    ({"snowplow__atomic_schema": "my schema"}, "var 'snowplow__atomic_schema' must be a plain identifier on duckdb "
                                               "(letters, digits, _, -, $; no quotes, dots or spaces)"),
    ({"snowplow__events_file": " "}, "var 'snowplow__events_file' is an empty string. Unset it (null) to read the shipped sample"),
    ({"snowplow__start_date": "2024-03-05", "snowplow__end_date": "2024-03-01"},
     "var 'snowplow__end_date' (2024-03-01 00:00:00) must be later than snowplow__start_date"),
    ({"snowplow__start_date": "March 5th"}, "var 'snowplow__start_date' must be a real calendar date"),
    ({"snowplow__conversion_event": "purchase"},
     "var 'snowplow__conversion_event' is \"purchase\", which is not among the kept events"),
    ({"snowplow__cohort_days_before_reference": [30, 60]},
     "var 'snowplow__cohort_days_before_reference' is inverted"),
    ({"snowplow__cohort_first_seen_start": "2024-03-10", "snowplow__cohort_first_seen_end": "2024-03-01"},
     "var 'snowplow__cohort_first_seen_end' (2024-03-01 00:00:00) must be later than"),
    ({"snowplow__max_events_per_day": 0}, "var 'snowplow__max_events_per_day' must be > 0"),
    ({"snowplow__drop_immature_labels": "yes"}, "var 'snowplow__drop_immature_labels' must be true or false"),
    ({"snowplow__attributes": [{"name": "Bad Name", "type": "int64", "events": [], "aggregation": "counter"}]},
     "var 'snowplow__attributes' entry 1 needs a 'name' of lower-case letters"),
    ({"snowplow__attributes": "web_maximal"},
     "var 'snowplow__attributes' names the preset \"web_maximal\", which does not exist. Use one of tutorial, "
     "web_minimal, web_full"),
    ({"snowplow__counter_features": [{"name": "num_page_views", "event_name": "page_view"}]},
     "var 'snowplow__counter_features' was replaced by snowplow__attributes, the feature catalog in Snowplow "
     "Signals' attribute shape. A counter {name, event_name, page_url_like} is {name, type: int64"),
]


def _attribute(name: str = "x", **fields: Any) -> dict[str, Any]:
    """A valid counter of page views, with ``fields`` changed (None removes a field)."""
    entry: dict[str, Any] = {"name": name, "type": "int64", "events": [{"name": "page_view"}], "aggregation": "counter"}
    entry.update(fields)
    return {key: value for key, value in entry.items() if value is not None}


def _criterion(operator: str, value: Any = None, column: str = "page_url") -> dict[str, Any]:
    criterion: dict[str, Any] = {"property": {"type": "atomic", "name": column}, "operator": operator}
    if value is not None:
        criterion["value"] = value
    return {"criteria": {"all": [criterion]}}


PAGE_URL = {"type": "atomic", "name": "page_url"}
#: A YAML infinity: JSON has none, so json.dumps writes Infinity, which the --args below turn into YAML's .inf.
INFINITY = float("inf")


def _atomic(name: str) -> dict[str, str]:
    return {"type": "atomic", "name": name}


PREFIX = "var 'snowplow__attributes' "

# Every bad catalog entry the issue lists, and the one-line message it gets at the
# start of the run (all checked in one dbt invocation, check_attribute_catalogs).
BAD_CATALOGS: dict[str, tuple[Any, str]] = {
    "not_a_list": ({"name": "x"}, "must be a preset name (tutorial, web_minimal, web_full) or a non-empty list"),
    "empty_list": ([], "must be a preset name (tutorial, web_minimal, web_full) or a non-empty list"),
    "unknown_preset": ("everything", "names the preset \"everything\", which does not exist"),
    "no_name": ([{"type": "int64", "events": [], "aggregation": "counter"}], "entry 1 needs a 'name'"),
    "upper_case_name": ([_attribute("NumViews")], "entry 1 needs a 'name' of lower-case letters"),
    "double_underscore": ([_attribute("a__hit")], "entry 1 needs a 'name' of lower-case letters, digits and single"),
    "duplicated": ([_attribute("views"), _attribute("views")], "attribute 'views' is defined twice"),
    "sql_keyword": ([_attribute("order")], "attribute 'order' is a reserved word of SQL on DuckDB, BigQuery or"),
    "sql_keyword_of_bigquery": ([_attribute("range")], "attribute 'range' is a reserved word of SQL"),
    "clashes_with_carried_column": ([_attribute("first_seen_tstamp")],
                                    "attribute 'first_seen_tstamp' clashes with a column final_training or its models"),
    "clashes_with_a_score_column": ([_attribute("score")], "attribute 'score' clashes with a column final_training or"),
    "clashes_with_the_stored_id": ([_attribute("event_uuid")], "attribute 'event_uuid' clashes with a column"),
    "clashes_with_the_label": ([_attribute("target_had_submit_form_next1h")],
                               "attribute 'target_had_submit_form_next1h' clashes with a column"),
    "unknown_key": ([_attribute(window="PT1H")], "attribute 'x' has the key 'window', which a Signals attribute does not"),
    "unknown_aggregation": ([_attribute(aggregation="median")], "attribute 'x' has an unknown aggregation \"median\""),
    "category_count": ([_attribute(aggregation="category_count", property=PAGE_URL, type="dict")],
                       "attribute 'x' uses aggregation 'category_count', which is not supported yet"),
    "unknown_type": ([_attribute(type="integer")], "attribute 'x' has an unknown type \"integer\""),
    "list_type": ([_attribute(aggregation="last", property=PAGE_URL, type="string_list")],
                  "attribute 'x' has the list type 'string_list', which is not supported yet for last"),
    "dict_type": ([_attribute(aggregation="last", property=PAGE_URL, type="dict")],
                  "attribute 'x' has the type 'dict', which is not supported yet"),
    "counter_of_strings": ([_attribute(type="string")], "attribute 'x' is a counter (a whole number) but has type"),
    "mean_as_integer": ([_attribute(aggregation="mean", property={"type": "atomic", "name": "domain_sessionidx"})],
                        "attribute 'x' is a mean (a double) but has type 'int64'"),
    "sum_of_text": ([_attribute(aggregation="sum", property=PAGE_URL)],
                    "attribute 'x' is a sum of 'page_url', which is not a numeric atomic column"),
    "events_missing": ([_attribute(events=None)], "attribute 'x' needs 'events', a list of {name, vendor?, version?}"),
    "event_without_name": ([_attribute(events=[{"vendor": "com.acme"}])], "attribute 'x' has an event without a valid"),
    "event_as_a_string": ([_attribute(events=["page_view"])],
                          "attribute 'x' has the event \"page_view\", which is not {name, vendor?, version?}. "
                          "Write each event as a mapping: events: [{name: page_view}]."),
    "event_specification": ([_attribute(events=[{"event_specification_id": "abc"}])],
                            "event specifications are not supported yet"),
    "bad_version": ([_attribute(events=[{"name": "page_view", "version": "1.0"}])],
                    "attribute 'x' has an event with a bad 'version'"),
    "property_missing": ([_attribute(aggregation="last", type="string")],
                         "attribute 'x' is a last and needs a 'property'"),
    "property_not_allowed": ([_attribute(property=PAGE_URL)],
                             "attribute 'x' is a counter, which takes no property, but has one"),
    "entity_property": ([_attribute(aggregation="last", type="string", property={
        "type": "entity", "vendor": "com.acme", "name": "user", "major_version": 1, "path": "$.plan"})],
        "attribute 'x' has a property of type 'entity'"),
    "event_property": ([_attribute(aggregation="last", type="string", property={
        "type": "event", "vendor": "com.acme", "name": "click", "major_version": 1, "path": "$.target"})],
        "attribute 'x' has a property of type 'event'"),
    "calculated_property": ([_attribute(aggregation="last", type="string", property={
        "type": "calculated", "operation": "concat", "properties": [PAGE_URL, PAGE_URL]})],
        "attribute 'x' has a calculated property, which is not supported yet"),
    "date_part": ([_attribute(aggregation="last", type="string", property={
        "type": "atomic", "name": "derived_tstamp", "date_part": "hour_of_day"})],
        "attribute 'x' has a property with date_part 'hour_of_day', which is not supported yet"),
    "property_is_a_reserved_word": ([_attribute(aggregation="last", type="string", property=_atomic("order"))],
                                    "attribute 'x' has a property 'order', a reserved word of SQL on DuckDB, BigQuery"),
    "property_name": ([_attribute(aggregation="last", type="string", property={"type": "atomic", "name": "Page URL"})],
                      "attribute 'x' has a property whose name is not a lower-case column name"),
    "like_on_a_number_column": ([_attribute(**_criterion("like", "%1%", column="domain_sessionidx"))],
                                "attribute 'x' has a criterion 'like' on 'domain_sessionidx' (integer): like matches"),
    "number_for_a_text_column": ([_attribute(**_criterion("=", 2024, column="mkt_campaign"))],
                                 "attribute 'x' has a criterion '=' on 'mkt_campaign' (string) with the number 2024. "
                                 "Quote it, e.g. '2024'."),
    "text_in_a_number_list": ([_attribute(**_criterion("in", [1, "two"], column="domain_sessionidx"))],
                              "attribute 'x' has a criterion 'in' on 'domain_sessionidx' (integer) with the string"),
    "type_is_not_the_column_type": ([_attribute(aggregation="first", type="timestamp", property=PAGE_URL)],
                                    "attribute 'x' is a first of 'page_url' (string) but has type 'timestamp'. Give it"),
    "unknown_operator": ([_attribute(**_criterion("contains", "pricing"))],
                         "attribute 'x' has a criterion with an unknown operator \"contains\""),
    "in_without_list": ([_attribute(**_criterion("in", "pricing"))],
                        "attribute 'x' has a criterion 'in' whose value is not a non-empty list"),
    "is_null_with_value": ([_attribute(**_criterion("is null", "x"))],
                           "attribute 'x' has a criterion 'is null' with a value"),
    "comparison_without_value": ([_attribute(**_criterion("="))],
                                 "attribute 'x' has a criterion '=' whose value is not a string, number or boolean"),
    "criteria_none_group": ([_attribute(criteria={"none": []})], "attribute 'x' has criteria 'none'; only 'all' and"),
    "criterion_property_entity": ([_attribute(criteria={"any": [{"property": {"type": "entity", "name": "y"},
                                                                 "operator": "=", "value": 1}]})],
                                  "attribute 'x' has a criterion property of type 'entity'"),
    "bad_period": ([_attribute(period="30 minutes")], "attribute 'x' has the period \"30 minutes\", which is not"),
    "zero_period": ([_attribute(period=0)], "attribute 'x' has the period 0, which is not"),
    "period_in_months": ([_attribute(period="P1M")], "attribute 'x' has the period \"P1M\", which is not"),
    "fractional_period": ([_attribute(period=1.5)], "attribute 'x' has the period 1.5, which is not"),
    "time_unit_missing": ([_attribute(aggregation="time_since_last", type="double")],
                          "attribute 'x' is a time_since_last and needs a 'time_unit' of s, min, h or d, got null"),
    "bad_time_unit": ([_attribute(aggregation="time_since_first", type="double", time_unit="hours")],
                      "attribute 'x' is a time_since_first and needs a 'time_unit' of s, min, h or d, got \"hours\""),
    "time_unit_not_allowed": ([_attribute(time_unit="s")],
                              "attribute 'x' has a 'time_unit', which only time_since_first and time_since_last"),
    "default_on_counter": ([_attribute(default_value=5)],
                           "attribute 'x' has default_value 5, but a counter with no eligible event is 0"),
    "default_of_wrong_type": ([_attribute(aggregation="last", type="string", property=PAGE_URL, default_value=3)],
                              "attribute 'x' has default_value 3, which is not a value of its column type (string)"),
    # An integer type on a double column would need a rounding rule the serving side may not share.
    "sum_of_a_double_as_integer": ([_attribute(aggregation="sum", property=_atomic("se_value"))],
                                   "attribute 'x' is a sum of 'se_value' (double) but has type 'int64'. "
                                   "Give it the column's type: float or double."),
    "last_of_a_double_as_integer": ([_attribute(aggregation="last", type="int32", property=_atomic("geo_latitude"))],
                                    "attribute 'x' is a last of 'geo_latitude' (double) but has type 'int32'"),
    # Values SQL would only refuse in the middle of the build.
    "timestamp_default_not_a_time": ([_attribute(aggregation="last", type="timestamp",
                                                 property=_atomic("derived_tstamp"), default_value="not a time")],
                                     "attribute 'x' has default_value \"not a time\", which is not a value of its "
                                     "column type (timestamp). Give a UTC timestamp 'YYYY-MM-DD HH:MM:SS', or none."),
    "timestamp_default_not_a_date": ([_attribute(aggregation="max", type="timestamp",
                                                 property=_atomic("derived_tstamp"), default_value="2024-02-30")],
                                     "attribute 'x' has default_value \"2024-02-30\", which is not a value of its"),
    "timestamp_criterion_not_a_time": ([_attribute(**_criterion("<", "yesterday", column="derived_tstamp"))],
                                       "attribute 'x' has a criterion '<' on 'derived_tstamp' (timestamp) with "
                                       "\"yesterday\", which is not a UTC timestamp"),
    "infinite_criterion_value": ([_attribute(**_criterion(">", INFINITY, column="domain_sessionidx"))],
                                 "attribute 'x' has a criterion '>' with the value inf, which is not a finite number"),
    "infinite_default": ([_attribute(aggregation="max", type="double", property=_atomic("domain_sessionidx"),
                                     default_value=INFINITY)],
                         "attribute 'x' has default_value Infinity, which is not a value of its column type (double)"),
}

#: Column types as DuckDB, Snowflake, BigQuery and Spark describe them -> what _source_type_kind says they hold.
SOURCE_TYPE_KINDS = {
    "BIGINT": "integer", "INTEGER": "integer", "HUGEINT": "integer", "UBIGINT": "integer", "int": "integer",
    "INT64": "integer", "NUMBER(38,0)": "integer", "decimal(18,0)": "integer",
    "DOUBLE": "fractional", "FLOAT": "fractional", "FLOAT64": "fractional", "NUMBER(18,2)": "fractional",
    "decimal(18,2)": "fractional", "NUMERIC": "fractional", "BIGNUMERIC": "fractional",
    "BOOLEAN": "boolean", "BOOL": "boolean",
    "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamp", "TIMESTAMP_NTZ(9)": "timestamp", "DATE": "timestamp",
    "VARCHAR": "text", "VARCHAR(16777216)": "text", "STRING": "text", "string": "text",
    "INTERVAL": "other", "BLOB": "other", "STRUCT(a INTEGER)": "other",
}

#: Catalogs that must pass the check (beside the presets).
GOOD_CATALOGS: dict[str, Any] = {
    # Signals writes a unique_list's default as a list; the column is its length, so [] is 0.
    "unique_list_with_an_empty_default": [_attribute(aggregation="unique_list", type="string_list",
                                                     property=PAGE_URL, default_value=[])],
    # A timestamp given with a 'T', normalised for every warehouse.
    "timestamps_in_iso_form": [_attribute(aggregation="last", type="timestamp", property=_atomic("derived_tstamp"),
                                          default_value="2024-03-01T10:00:00",
                                          **_criterion(">=", "2024-01-01", column="derived_tstamp"))],
}


HEADER = "event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"
REQUIRED_HEADER = "event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"

EMPTY_TRAINING_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "header_only": (HEADER, {}, "final_training is EMPTY: the events source has no rows."),
    "null_visitors": (HEADER + "e1,website,2024-03-01 10:00:00,,page_view,https://x.com/\n"
                               "e2,website,2024-03-01 10:00:01,,submit_form,https://x.com/\n", {},
                      "final_training is EMPTY: step 'complete_keys' (event_id, derived_tstamp and domain_userid are "
                      "not null) removed the last 2 events."),
    "no_app_matches": (HEADER + "e1,website,2024-03-01 10:00:00,u1,page_view,https://x.com/\n",
                       {"snowplow__app_ids": ["web"]},
                       "final_training is EMPTY: step 'app_ids' (app_id in snowplow__app_ids) removed the last 1 events."),
}

BAD_FILE_CASES: dict[str, tuple[Callable[[Path], Any], str, str]] = {
    "zero_bytes": (lambda d: (d / "empty.csv").write_bytes(b""), "empty.csv", "is empty (0 bytes)"),
    "corrupt_gzip": (lambda d: (d / "corrupt.csv.gz").write_bytes(b"not gzip at all"), "corrupt.csv.gz",
                     "is not a valid gzip stream"),
    "glob_file_without_a_column": (
        lambda d: ((d / "a.csv").write_text(REQUIRED_HEADER + "e1,website,2024-03-01 10:00:00,u1,page_view,x\n"),
                   (d / "b.csv").write_text("event_id,app_id,derived_tstamp,domain_userid,event_name\n"
                                            "e2,website,2024-03-01 10:00:00,u1,page_view\n")),
        "*.csv", "file '{dir}/b.csv' is missing required column(s): page_url"),
    "malformed_csv_line": (
        lambda d: (d / "ragged.csv").write_text(
            REQUIRED_HEADER + "".join(f"e{i},website,2024-03-01 10:00:{i:02d},u1,page_view,https://x.com/\n"
                                      for i in range(20)) + "a,b,c\n"),
        "ragged.csv", "was read as one column (event_id,app_id,derived_tstamp"),
    "a_folder": (lambda d: (d / "folder").mkdir(), "folder",
                 "matches no file (relative paths are relative to the directory dbt runs in; a folder needs a glob"),
}


def _cases() -> dict[str, Callable[[Path], Invocation]]:
    """Every dbt invocation of this module: case name -> builder (writes its inputs into its folder)."""
    def invocation(args: list[str], dbt_vars: dict[str, Any] | None = None,
                   profiles: Path | None = None) -> Callable[[Path], Invocation]:
        return lambda d: Invocation(args, d / "db.duckdb", d, dbt_vars, profiles or PROJECT_DIR)

    def with_file(name: str, content: str | bytes, args: list[str], dbt_vars: dict[str, Any] | None = None,
                  ) -> Callable[[Path], Invocation]:
        def build(d: Path) -> Invocation:
            path = d / name
            path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
            return Invocation(args, d / "db.duckdb", d, {"snowplow__events_file": str(path), **(dbt_vars or {})})
        return build

    def utc_less_profile(d: Path) -> Invocation:
        profiles = d / "profiles"
        profiles.mkdir()
        (profiles / "profiles.yml").write_text(
            "prospect_scoring:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
            "      path: \"{{ env_var('DBT_DUCKDB_PATH') }}\"\n      settings:\n        TimeZone: America/New_York\n")
        return Invocation(["run"], d / "db.duckdb", d, None, profiles)

    def bad_file(setup: Callable[[Path], Any], pattern: str) -> Callable[[Path], Invocation]:
        def build(d: Path) -> Invocation:
            (d / "data").mkdir()
            setup(d / "data")
            return Invocation(["run"], d / "db.duckdb", d, {"snowplow__events_file": str(d / "data" / pattern)})
        return build

    catalogs = {label: catalog for label, (catalog, _) in BAD_CATALOGS.items()}
    for preset in ("tutorial", "web_minimal", "web_full"):
        catalogs[f"every_preset_is_valid_{preset}"] = preset
    catalogs.update(GOOD_CATALOGS)
    cases: dict[str, Callable[[Path], Invocation]] = {
        "catalogs": invocation(["run-operation", "check_attribute_catalogs", "--args",
                                json.dumps({"catalogs": catalogs}).replace("Infinity", ".inf")]),
        "bad_catalog_build": invocation(["build"], {"snowplow__attributes": [_attribute("views"), _attribute("views")]}),
        "web_full_missing_column": with_file(
            "events.csv", "event_id,app_id,derived_tstamp,domain_userid,domain_sessionid,domain_sessionidx,event_name,"
                          "page_url\ne1,website,2024-03-01 10:00:00,u1,s1,1,page_view,https://x.com/\n",
            ["run"], {"snowplow__attributes": "web_full"}),
        "own_column_sum_of_text": with_file(
            "events.csv", REQUIRED_HEADER.strip() + ",plan\ne1,website,2024-03-01 10:00:00,u1,page_view,https://x.com/,pro\n",
            ["run"], {"snowplow__attributes": [_attribute("plan_total", aggregation="sum",
                                                          property={"type": "atomic", "name": "plan"})]}),
        "own_column_max": with_file(
            "events.csv", REQUIRED_HEADER.strip() + ",order_value\n"
            "e1,website,2024-03-01 10:00:00,u1,page_view,https://x.com/,9\n"
            "e2,website,2024-03-01 10:01:00,u1,page_view,https://x.com/,10\n"
            "e3,website,2024-03-01 10:02:00,u1,page_view,https://x.com/,1\n",
            ["run"], {"snowplow__attributes": [_attribute("max_order", aggregation="max", events=[],
                                                          property={"type": "atomic", "name": "order_value"})]}),
        "own_column_fraction_as_integer": with_file(
            "events.csv", REQUIRED_HEADER.strip() + ",discount\n"
            "e1,website,2024-03-01 10:00:00,u1,page_view,https://x.com/,1.5\n",
            ["run"], {"snowplow__attributes": [_attribute("last_discount", aggregation="last", events=[],
                                                          property={"type": "atomic", "name": "discount"})]}),
        "source_type_kinds": invocation(["compile", "--inline", "{% for t in " + json.dumps(list(SOURCE_TYPE_KINDS))
                                         + " %}[{{ t }}={{ prospect_scoring._source_type_kind(t) }}]{% endfor %}"]),
        "source_identifiers": invocation(["compile", "--inline", "{% for v, a in " + json.dumps(SOURCE_IDENTIFIERS)
                                          + " %}[{{ v }}@{{ a }}={{ prospect_scoring._source_identifier_ok(v, a)[0] }}]"
                                          "{% endfor %}"]),
        "source_reads_configured_file": invocation(
            ["compile", "--inline", "{% for l, f in " + json.dumps(SOURCE_LOCATIONS).replace("null", "none")
             + " %}[{{ loop.index }}={{ prospect_scoring._source_reads_configured_file(l, f) }}]{% endfor %}"]),
        "missing_events_file": lambda d: Invocation(["build"], d / "db.duckdb", d,
                                                    {"snowplow__events_file": str(d / "nowhere" / "events.csv")}),
        "unreadable_events_file": with_file("events.parquet", b"this is not parquet" * 20, ["build"]),
        "file_without_required_columns": with_file(
            "events.csv", "EVENT_ID,APP_ID,DERIVED_TSTAMP,EVENT_NAME\ne1,website,2024-03-01 10:00:00,page_view\n",
            ["build"]),
        "missing_events_table": invocation(["build"], {"snowplow__atomic_schema": "atomic",
                                                       "snowplow__events_table": "events"}),
        "file_and_table": invocation(["build"], {"snowplow__events_file": "seeds/snowplow_sample_events.csv",
                                                 "snowplow__events_table": "events"}),
        "leap_day": invocation(["compile", "--select", "stg_snowplow__events"], {"snowplow__start_date": "2024-02-29"}),
        "epoch_milliseconds": with_file("epoch.csv", "event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"
                                                     "e1,website,1709287200000,u1,page_view,https://x.com/\n", ["build"]),
        "profile_without_utc": utc_less_profile,
    }
    for index, (dbt_vars, _) in enumerate(BAD_VARS):
        cases[f"bad_var_{index}"] = invocation(["run", "--select", "final_training"], dbt_vars)
    for name, (content, dbt_vars, _) in EMPTY_TRAINING_CASES.items():
        cases[f"empty_{name}"] = with_file("events.csv", content, ["run"], dbt_vars)
    for name, (setup, pattern, _) in BAD_FILE_CASES.items():
        cases[f"bad_file_{name}"] = bad_file(setup, pattern)
    return cases


@dataclass(frozen=True)
class Run:
    """One case's dbt result and the folder its inputs were written to."""

    result: subprocess.CompletedProcess[str]
    folder: Path

    @property
    def output(self) -> str:
        return _output(self.result)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every case of this module, each with its own fresh database and folder, in one dbt process
    (run_dbt_many: the start-up is paid once; about 1.5-2 s per case instead of 3-5 s)."""
    folders, invocations = {}, []
    for name, build in _cases().items():
        folders[name] = tmp_path_factory.mktemp(name)
        invocations.append(build(folders[name]))
    results = run_dbt_many(invocations)
    return {name: Run(result, folders[name]) for name, result in zip(folders, results, strict=True)}


def _output(result: Any) -> str:
    return " ".join((result.stdout + result.stderr).split())


def test_every_bad_catalog_entry_gets_its_one_line_message(runs: dict[str, Run]) -> None:
    """One dbt invocation checks every catalog (check_attribute_catalogs, as a build's start does)."""
    result = runs["catalogs"].result
    assert result.returncode == 0, _output(result)
    lines = {}
    for line in result.stdout.splitlines():
        match = re.search(r"attribute catalog (\w+): (.*)$", line)
        if match:
            lines[match.group(1)] = match.group(2)
    for label, (_, message) in BAD_CATALOGS.items():
        assert label in lines, label
        assert lines[label].startswith(PREFIX), (label, lines[label])
        assert message in lines[label], (label, lines[label])
        assert lines[label].count(". ") >= 1  # what is wrong, then what to do
    for label in [f"every_preset_is_valid_{preset}" for preset in ("tutorial", "web_minimal", "web_full")] + list(GOOD_CATALOGS):
        assert lines[label].startswith("OK ("), (label, lines[label])


def test_a_bad_catalog_stops_the_build_at_its_start(runs: dict[str, Run]) -> None:
    """The same check runs when a build starts: one line, non-zero exit, nothing built."""
    result = runs["bad_catalog_build"].result
    assert result.returncode != 0
    assert "var 'snowplow__attributes' attribute 'views' is defined twice. Give each attribute a unique name." \
        in _output(result)
    assert "OK created" not in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_a_column_the_catalog_reads_is_missing_from_the_events(runs: dict[str, Run]) -> None:
    """web_full reads refr_medium: an export without it stops the run at its start, naming attribute and column."""
    run = runs["web_full_missing_column"]
    events = run.folder / "events.csv"
    assert run.result.returncode != 0
    assert (f"snowplow__events_file '{events}' has no column 'refr_medium', which attribute 'first_refr_medium' of "
            "snowplow__attributes reads (property)") in run.output
    assert "OK created" not in run.result.stdout


def test_a_column_outside_the_atomic_schema_is_checked_against_the_source_type(runs: dict[str, Run]) -> None:
    """A user's own column keeps the source's type, so a sum of a text column stops at the start."""
    run = runs["own_column_sum_of_text"]
    assert run.result.returncode != 0
    assert ("attribute 'plan_total' of snowplow__attributes uses sum on the column 'plan', whose type varchar is "
            "not numeric. Use a numeric column") in run.output
    assert "OK created" not in run.result.stdout and "Traceback" not in run.output


def test_an_integer_attribute_of_a_fractional_column_outside_the_atomic_schema_stops_at_the_start(
        runs: dict[str, Run]) -> None:
    """discount holds 1.5: an int64 `last` of it would need a rounding rule, so the run stops before building."""
    run = runs["own_column_fraction_as_integer"]
    assert run.result.returncode != 0
    assert ("attribute 'last_discount' of snowplow__attributes uses a last of type int64 on the column 'discount', "
            "whose type double is not a whole-number type.") in run.output
    assert "OK created" not in run.result.stdout and "Traceback" not in run.output


def test_source_column_types_are_read_as_each_warehouse_writes_them(runs: dict[str, Run]) -> None:
    """The start-of-run check reads a user's own column's type from any adapter's spelling of it."""
    result = runs["source_type_kinds"].result
    assert result.returncode == 0, _output(result)
    found = dict(re.findall(r"\[([^\[\]=\n]+)=(\w+)\]", result.stdout))
    assert found == SOURCE_TYPE_KINDS


#: (value, adapter) -> whether it is a plain source identifier there.
SOURCE_IDENTIFIER_CASES: dict[tuple[str, str], bool] = {
    ("atomic", "duckdb"): True, ("_raw_2", "snowflake"): True, ("Atomic", "bigquery"): True,
    # quoted by dbt there: DuckDB (its database is the file's stem), BigQuery, Databricks
    ("my-project", "bigquery"): True, ("my-db", "duckdb"): True, ("my-catalog", "databricks"): True,
    ("events$1", "duckdb"): True, ("my-project", "snowflake"): False, ("my-project", "spark"): False,
    ("events$1", "snowflake"): True, ("$events", "snowflake"): False, ("events$1", "databricks"): False,
    ("events$1", "bigquery"): False, ("1events", "bigquery"): False, ("-x", "duckdb"): False,
    ("a.b", "bigquery"): False, ("a b", "snowflake"): False, ("a`b", "bigquery"): False, ('a"b', "duckdb"): False,
    ("-x", "bigquery"): False,
}
SOURCE_IDENTIFIERS = [list(case) for case in SOURCE_IDENTIFIER_CASES]


def test_source_identifiers_follow_each_adapters_plain_names(runs: dict[str, Run]) -> None:
    """`-` only on BigQuery (quoted with backticks), `$` (not first) only on Snowflake."""
    result = runs["source_identifiers"].result
    assert result.returncode == 0, _output(result)
    found = {(v, a): ok == "True" for v, a, ok in re.findall(r"\[([^\[\]@\n]+)@(\w+)=(\w+)\]", result.stdout)}
    assert found == SOURCE_IDENTIFIER_CASES


#: (the source's rendered external_location, snowplow__events_file or None) -> whether they agree.
SOURCE_LOCATION_CASES: list[tuple[str | None, str | None, bool]] = [
    ("'seeds/snowplow_sample_events.csv'", "seeds/snowplow_sample_events.csv", True),
    (" 'data/it''s.parquet' ", "data/it's.parquet", True),
    ("'seeds/other.csv'", "seeds/snowplow_sample_events.csv", False),  # the two sample paths drifted
    ("'seeds/snowplow_sample_events.csv'", None, False),  # the source reads a file, the checks a table
    ('(select * from "db"."atomic"."events")', None, True),  # a table
    (None, None, True),
    ("read_parquet('s3://bucket/events/*.parquet', hive_partitioning = true)", None, True),  # a user's override
    ("read_parquet('s3://bucket/*.parquet')", "data/events.parquet", False),
]
SOURCE_LOCATIONS = [[location, file] for location, file, _ in SOURCE_LOCATION_CASES]


def test_the_source_must_read_the_configured_file(runs: dict[str, Run]) -> None:
    """The start-of-run check of the source's external_location against snowplow__events_file."""
    result = runs["source_reads_configured_file"].result
    assert result.returncode == 0, _output(result)
    found = re.findall(r"\[(\d+)=(\w+)\]", result.stdout)
    assert [ok == "True" for _, ok in found] == [agrees for _, _, agrees in SOURCE_LOCATION_CASES]


def test_a_numeric_column_outside_the_atomic_schema_aggregates_as_a_number(runs: dict[str, Run]) -> None:
    """order_value (9, 10) keeps the file's integer type: its max is 10, not the text maximum '9'."""
    run = runs["own_column_max"]
    assert run.result.returncode == 0, run.output
    with duckdb.connect(str(run.folder / "db.duckdb"), read_only=True) as con:
        assert con.execute("select max_order from final_training where event_id = 'e3'").fetchall() == [(10,)]


@pytest.mark.parametrize("index", range(len(BAD_VARS)), ids=[next(iter(v)) for v, _ in BAD_VARS])
def test_bad_var_stops_dbt_with_a_message_naming_it(runs: dict[str, Run], index: int) -> None:
    result = runs[f"bad_var_{index}"].result
    assert result.returncode != 0
    assert BAD_VARS[index][1] in _output(result)
    assert "OK created" not in result.stdout


def test_a_database_file_in_use_is_one_line(tmp_path: Path) -> None:
    """Plain `dbt build` while another process (here this one) holds the DuckDB file: the
    project's plugin names the file and what to do, instead of DuckDB's traceback."""
    db_path = tmp_path / "busy.duckdb"
    with duckdb.connect(str(db_path)) as holder:
        holder.execute("create table t as select 1 as x")
        result = run_dbt(["build", "--select", "stg_snowplow__events"], db_path, tmp_path)
    output = _output(result)
    assert result.returncode != 0
    assert f"The DuckDB file {db_path} is in use by another process (PID {os.getpid()}): close it" in output
    assert "Traceback" not in output


def test_missing_events_file(runs: dict[str, Run]) -> None:
    run = runs["missing_events_file"]
    missing = run.folder / "nowhere" / "events.csv"
    assert run.result.returncode != 0
    assert f"snowplow__events_file '{missing}' matches no file" in run.output
    assert "OK created" not in run.result.stdout


def test_unreadable_events_file(runs: dict[str, Run]) -> None:
    run = runs["unreadable_events_file"]
    assert run.result.returncode != 0
    assert str(run.folder / "events.parquet") in run.output
    assert "OK created" not in run.result.stdout


def test_events_file_without_required_columns(runs: dict[str, Run]) -> None:
    run = runs["file_without_required_columns"]
    events = run.folder / "events.csv"
    assert run.result.returncode != 0
    assert (f"snowplow__events_file '{events}' is missing required column(s): domain_userid, page_url"
            in run.output)
    assert "OK created" not in run.result.stdout


def test_missing_events_table(runs: dict[str, Run]) -> None:
    run = runs["missing_events_table"]
    assert run.result.returncode != 0
    assert "Events table" in run.output and "atomic.events not found on target 'duckdb'" in run.output


def test_file_and_table_together_are_contradictory(runs: dict[str, Run]) -> None:
    run = runs["file_and_table"]
    assert run.result.returncode != 0
    assert "var 'snowplow__events_file' and snowplow__events_table are both set" in run.output


def test_a_leap_day_is_a_real_date(runs: dict[str, Run]) -> None:
    run = runs["leap_day"]
    assert run.result.returncode == 0, run.output


def test_epoch_millisecond_timestamps_are_refused_at_the_start(runs: dict[str, Run]) -> None:
    run = runs["epoch_milliseconds"]
    events = run.folder / "epoch.csv"
    assert run.result.returncode != 0
    assert f"snowplow__events_file '{events}': derived_tstamp is a number (bigint), epoch milliseconds" in run.output
    assert "OK created" not in run.result.stdout


@pytest.mark.parametrize("name", EMPTY_TRAINING_CASES)
def test_an_empty_training_table_is_announced_naming_the_step(runs: dict[str, Run], name: str) -> None:
    run = runs[f"empty_{name}"]
    assert run.result.returncode == 0, run.output
    assert EMPTY_TRAINING_CASES[name][2] in run.output


def test_a_profile_without_utc_stops_the_run(runs: dict[str, Run]) -> None:
    run = runs["profile_without_utc"]
    assert run.result.returncode != 0
    assert "The DuckDB session time zone is 'America/New_York', not UTC" in run.output
    assert "OK created" not in run.result.stdout


def test_the_known_vars_are_the_vars_declared_in_dbt_project_yml() -> None:
    """unknown_vars() checks --vars against _known_vars(); that list must be dbt_project.yml's."""
    import yaml

    declared = set(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"])
    macro = (PROJECT_DIR / "macros" / "config" / "_known_vars.sql").read_text()
    assert set(re.findall(r"'(snowplow__[a-z_]+)'", macro)) == declared


@pytest.mark.parametrize("name", BAD_FILE_CASES)
def test_a_bad_file_is_named_at_the_start(runs: dict[str, Run], name: str) -> None:
    run = runs[f"bad_file_{name}"]
    data = run.folder / "data"
    assert run.result.returncode != 0
    assert BAD_FILE_CASES[name][2].format(dir=data) in run.output and str(data) in run.output
    assert "OK created" not in run.result.stdout


def test_the_batch_reports_each_invocation_as_the_dbt_command_would(tmp_path: Path) -> None:
    """run_dbt_many (the runner of this module) gives the exit code and output of a lone `dbt` command."""
    bad = {"snowplow__horizon_seconds": 0}
    alone = run_dbt(["run", "--select", "final_training"], tmp_path / "a.duckdb", tmp_path / "a", dbt_vars=bad)
    (batched,) = run_dbt_many([Invocation(["run", "--select", "final_training"], tmp_path / "b.duckdb",
                                          tmp_path / "b", bad)])
    assert alone.returncode == batched.returncode == 2
    message = "var 'snowplow__horizon_seconds' must be a whole number of seconds from 1 to 31536000"
    assert message in _output(alone) and message in _output(batched)
