"""A user's own configuration: plain `dbt build` (models, seeds, data tests and unit
tests) on a fresh database must pass for every valid set of vars, and the graph of
final_training must not change with vars (issue: the project's own tests broke user
builds, and a conditional ref raced on a fresh database)."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dbt_harness import PROJECT_DIR, run_dbt


def _like(pattern: str) -> dict[str, Any]:
    return {"all": [{"property": {"type": "atomic", "name": "page_url"}, "operator": "like", "value": pattern}]}


FOUR_COUNTERS = [
    {"name": "num_page_views", "type": "int64", "events": [{"name": "page_view"}], "aggregation": "counter"},
    {"name": "num_pricing_views", "type": "int64", "events": [{"name": "page_view"}], "aggregation": "counter",
     "criteria": _like("%pricing%")},
    {"name": "num_forms", "type": "int64", "events": [{"name": "submit_form"}], "aggregation": "counter"},
    {"name": "num_docs_views", "type": "int32", "events": [{"name": "page_view"}], "aggregation": "counter",
     "criteria": _like("%/docs/%")},
]

# A catalog of the user's own: windows, a history-only event (link_click feeds
# attributes but is not a row), categoricals, a default value, vendor/version.
CUSTOM_CATALOG = [
    {"name": "clicks_last_1h", "type": "int32", "events": [{"name": "link_click"}], "aggregation": "counter",
     "period": "PT1H"},
    {"name": "pricing_views_last_2d", "type": "int64", "events": [{"name": "page_view", "vendor":
     "com.snowplowanalytics.snowplow", "version": "1-0-0"}], "aggregation": "counter", "criteria": _like("%pricing%"),
     "period": 172800},
    {"name": "last_page", "type": "string", "events": [{"name": "page_view"}], "aggregation": "last",
     "property": {"type": "atomic", "name": "page_url"}, "default_value": "none"},
    {"name": "most_viewed_page", "type": "string", "events": [{"name": "page_view"}], "aggregation": "most_frequent",
     "property": {"type": "atomic", "name": "page_url"}},
    {"name": "mean_session_index_1d", "type": "double", "events": [], "aggregation": "mean",
     "property": {"type": "atomic", "name": "domain_sessionidx"}, "period": "P1D"},
    {"name": "sessions_list", "type": "string_list", "events": [], "aggregation": "unique_list",
     "property": {"type": "atomic", "name": "domain_sessionid"}},
]

CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "defaults": {},
    # The README's "recommended for real data" vars, verbatim: on the three-week
    # sample no visitor is first seen 60 to 30 days before the end, so final_training
    # is empty, and the build (its tests included) must still pass.
    "readme_recommended": {"snowplow__cohort_days_before_reference": [60, 30],
                           "snowplow__drop_immature_labels": True, "snowplow__max_events_per_day": 1000,
                           "snowplow__start_date": "2024-01-01"},
    "own_site": {"snowplow__app_ids": ["website", "docs-site"],
                 "snowplow__event_names": ["page_view", "link_click"],
                 "snowplow__conversion_event": "link_click", "snowplow__horizon_seconds": 1800},
    "four_counters": {"snowplow__attributes": FOUR_COUNTERS},
    "one_counter": {"snowplow__attributes": [{"name": "views_so_far", "type": "int64",
                                              "events": [{"name": "page_view"}], "aggregation": "counter"}],
                    "snowplow__horizon_seconds": 86400},
    "web_minimal": {"snowplow__attributes": "web_minimal"},
    "custom_catalog": {"snowplow__attributes": CUSTOM_CATALOG},
    "visitor_filter": {"snowplow__max_events_per_day": 20, "snowplow__cohort_first_seen_start": "2024-03-03"},
    # The same filters, with a catalog that also stages three history-only events: the
    # rows, labels and filters must not change (they count row events only).
    "visitor_filter_history_only": {
        "snowplow__max_events_per_day": 20, "snowplow__cohort_first_seen_start": "2024-03-03",
        "snowplow__attributes": [
            *({"name": n, "type": "int64", "events": [{"name": "page_view"}], "aggregation": "counter",
               **({"criteria": _like(f"%{p}%")} if p else {})}
              for n, p in (("num_page_views", None), ("num_pricing_views", "pricing"),
                           ("num_customers_views", "customers"))),
            {"name": "other_events", "type": "int64", "aggregation": "counter",
             "events": [{"name": "application_error"}, {"name": "web_vitals"}, {"name": "link_click"}]}]},
}


@dataclass(frozen=True)
class Build:
    returncode: int
    output: str
    db_path: Path
    ancestors: frozenset[str]
    unit_tests: frozenset[str]  # the project's enabled unit tests (manifest)
    unit_test_statuses: dict[str, str]  # what the build ran, by unique_id
    data_tests: frozenset[str]  # the data tests the build ran


def _ancestors(manifest: dict[str, Any], node: str) -> frozenset[str]:
    parents = manifest["parent_map"]
    seen: set[str] = set()
    todo = [node]
    while todo:
        for parent in parents.get(todo.pop(), []):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


def _build(work: Path, dbt_vars: dict[str, Any]) -> Build:
    db_path = work / "fresh.duckdb"
    result = run_dbt(["build"], db_path, work, dbt_vars=dbt_vars)
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    run_results = json.loads((work / "target" / "run_results.json").read_text())
    return Build(result.returncode, result.stdout[-6000:] + result.stderr[-2000:], db_path,
                 _ancestors(manifest, "model.prospect_scoring.final_training"),
                 frozenset(u for u, t in manifest["unit_tests"].items() if t["config"].get("enabled", True)),
                 {r["unique_id"]: r["status"] for r in run_results["results"]
                  if r["unique_id"].startswith("unit_test.")},
                 frozenset(r["unique_id"] for r in run_results["results"] if r["unique_id"].startswith("test.")))


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """One fresh-database `dbt build` per configuration, two at a time (each its own
    database, target/ and logs/ folder, so the builds are independent; two processes
    suit the 2-core CI runner and roughly halve this fixture's time)."""
    works = {name: tmp_path_factory.mktemp(f"matrix_{name}") for name in CONFIGURATIONS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_build, works[name], dbt_vars) for name, dbt_vars in CONFIGURATIONS.items()}
        return {name: future.result() for name, future in futures.items()}


def _contract(db_path: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("select column_name, column_role from final_training_columns order by ordinal").fetchall()


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
def test_fresh_build_passes_for_the_configuration(matrix: dict[str, Build], name: str) -> None:
    build = matrix[name]
    assert build.returncode == 0, f"dbt build with {CONFIGURATIONS[name]} failed:\n{build.output}"
    assert "ERROR=0" in build.output and "SKIP=0" in build.output
    with duckdb.connect(str(build.db_path), read_only=True) as con:
        table_columns = [r[0] for r in con.execute("select column_name from (describe final_training)").fetchall()]
        rows = con.execute("select count(*) from final_training").fetchall()[0][0]
    assert [c for c, _ in _contract(build.db_path)] == table_columns
    if name != "readme_recommended":
        assert rows > 0


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
def test_every_unit_test_ran_and_passed_under_the_configuration(matrix: dict[str, Build], name: str) -> None:
    """Unit tests pin the vars they depend on (overrides: vars), so under a user's vars every one
    of them still runs (none skipped, none disabled) and passes."""
    build = matrix[name]
    assert len(build.unit_tests) >= 29
    assert set(build.unit_test_statuses) == build.unit_tests
    assert {u: s for u, s in build.unit_test_statuses.items() if s != "pass"} == {}


def test_is_eligible_is_tested_only_where_it_can_be_null(matrix: dict[str, Build]) -> None:
    """Off, is_eligible is the literal true: its not_null test is not built (it could not fail)."""
    def built(name: str) -> bool:
        return any("not_null_int_prospect__targets_as_of_event_is_eligible" in t for t in matrix[name].data_tests)
    assert built("visitor_filter") and built("readme_recommended") and built("visitor_filter_history_only")
    assert not built("defaults") and not built("own_site") and not built("web_minimal")


def test_the_configuration_shapes_features_and_label(matrix: dict[str, Build]) -> None:
    assert _contract(matrix["four_counters"].db_path)[4:8] == [(f["name"], "feature") for f in FOUR_COUNTERS]
    assert ("views_so_far", "feature") in _contract(matrix["one_counter"].db_path)
    assert ("target_had_submit_form_next1d", "target") in _contract(matrix["one_counter"].db_path)
    assert ("target_had_link_click_next30m", "target") in _contract(matrix["own_site"].db_path)
    assert ("target_had_submit_form_next1h", "target") in _contract(matrix["defaults"].db_path)
    assert [c for c, role in _contract(matrix["custom_catalog"].db_path) if role == "feature"] == [
        a["name"] for a in CUSTOM_CATALOG]


def test_history_only_events_feed_attributes_but_are_not_rows(matrix: dict[str, Build]) -> None:
    """link_click is named only by an attribute: it is counted, and no row of final_training is one."""
    with duckdb.connect(str(matrix["custom_catalog"].db_path), read_only=True) as con:
        names = {r[0] for r in con.execute("select distinct event_name from final_training").fetchall()}
        clicks = con.execute("select max(clicks_last_1h) from final_training").fetchall()[0][0]
        staged_clicks = con.execute("select count(*) from int_prospect__targets_as_of_event "
                                    "where event_name = 'link_click'").fetchall()[0][0]
    assert names <= {"page_view", "submit_form"}
    assert staged_clicks > 0 and clicks > 0


def test_history_only_events_do_not_change_rows_labels_or_filters(matrix: dict[str, Build]) -> None:
    """An attribute naming other events adds its feature and nothing else: the cohort, the
    automated-activity filter, the end of the data (maturity) count row events only."""
    def rows(build: Build) -> set[tuple[Any, ...]]:
        with duckdb.connect(str(build.db_path), read_only=True) as con:
            return set(con.execute("select event_id, num_page_views, target_had_submit_form_next1h, is_label_mature "
                                   "from final_training").fetchall())

    def visitors(build: Build) -> set[tuple[Any, ...]]:
        with duckdb.connect(str(build.db_path), read_only=True) as con:
            return set(con.execute("select domain_userid, first_seen_tstamp, last_seen_tstamp, is_automated, "
                                   "is_in_cohort from int_prospect__visitors where is_eligible").fetchall())

    plain, with_history = matrix["visitor_filter"], matrix["visitor_filter_history_only"]
    assert rows(with_history) == rows(plain) and len(rows(plain)) > 0
    assert visitors(with_history) == visitors(plain)
    with duckdb.connect(str(plain.db_path), read_only=True) as con:
        automated = con.execute("select count(*) from int_prospect__visitors where is_automated").fetchall()[0][0]
    assert automated > 0  # the filter is on and removes someone


def test_the_targets_table_stores_what_its_readers_read(matrix: dict[str, Build]) -> None:
    """The visitor-level inputs are not stored on every row; the filter flags only with a filter on.
    The visitors model has the same columns either way (constants when the filters are off)."""
    def columns(build: Build, table: str) -> list[str]:
        with duckdb.connect(str(build.db_path), read_only=True) as con:
            return [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table]).fetchall()]

    filter_columns = {"max_events_in_one_day", "is_in_cohort", "is_automated"}
    visitor_level = {"first_seen_tstamp", "first_conversion_tstamp"}
    off, on = matrix["defaults"], matrix["visitor_filter"]
    targets_off, targets_on = set(columns(off, "int_prospect__targets_as_of_event")), \
        set(columns(on, "int_prospect__targets_as_of_event"))
    assert not (filter_columns | visitor_level) & targets_off
    assert filter_columns <= targets_on and not visitor_level & targets_on
    assert {"is_eligible", "is_before_first_conversion", "data_end_tstamp"} <= targets_off & targets_on
    assert columns(off, "int_prospect__visitors") == columns(on, "int_prospect__visitors")
    with duckdb.connect(str(off.db_path), read_only=True) as con:
        constants = con.execute("select count(*), count(max_events_in_one_day), bool_and(is_in_cohort), "
                                "bool_or(is_automated), bool_and(is_eligible) "
                                "from int_prospect__visitors").fetchall()[0]
    assert constants[0] > 0 and constants[1:] == (0, True, False, True)


def test_the_graph_of_final_training_does_not_change_with_vars(matrix: dict[str, Build]) -> None:
    graphs = {name: build.ancestors for name, build in matrix.items()}
    assert len(set(graphs.values())) == 1, graphs
    assert "model.prospect_scoring.int_prospect__targets_as_of_event" in graphs["defaults"]


def test_fresh_build_of_a_million_events(tmp_path: Path) -> None:
    """Slow models on a fresh database: the order of unit tests and their parents holds."""
    events = tmp_path / "events.parquet"
    subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "generate_events.py"), "--events", "1000000",
                    "--output", str(events)], check=True, capture_output=True, timeout=300)
    result = run_dbt(["build"], tmp_path / "fresh.duckdb", tmp_path, dbt_vars={"snowplow__events_file": str(events)},
                     timeout=900)
    assert result.returncode == 0, result.stdout[-6000:]
    with duckdb.connect(str(tmp_path / "fresh.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from final_training").fetchall()[0][0] > 500_000
