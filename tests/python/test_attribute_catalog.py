"""final_training built with each attribute catalog equals the brute-force oracle, value by value.

One dbt build per catalog (the presets tutorial, web_minimal, web_full, and the
every-aggregation catalog of catalogs.py) over generated nasty data with every
column the catalogs read; builds are shared by the tests of this module. The
presets' definitions are read back from final_training_columns.signals_definition,
so the test does not hard-code them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import duckdb
import pyarrow.parquet as pq
import pytest

import bruteforce
import catalogs
import nasty_events
from dbt_harness import assert_dbt_ok, run_dbt

CATALOG_NAMES = (*catalogs.PRESETS, "every_aggregation")


@dataclass(frozen=True)
class CatalogBuild:
    """final_training of one catalog, and the attribute definitions it was built from."""

    rows: dict[str, dict[str, Any]]
    types: dict[str, str]
    definitions: list[dict[str, Any]]


@pytest.fixture(scope="session")
def catalog_events(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], Path]:
    """The nasty rows and the Parquet file (lower-case columns) every build reads."""
    rows = nasty_events.catalog_rows()
    path = tmp_path_factory.mktemp("catalog_events") / "events.parquet"
    pq.write_table(nasty_events.to_catalog_table(rows), path)
    return rows, path


@pytest.fixture(scope="session")
def catalog_build(tmp_path_factory: pytest.TempPathFactory,
                  catalog_events: tuple[list[dict[str, Any]], Path]) -> Callable[[str], CatalogBuild]:
    """Build (once per catalog, on a fresh DuckDB file) and read final_training."""
    cache: dict[str, CatalogBuild] = {}

    def build(name: str) -> CatalogBuild:
        if name not in cache:
            work = tmp_path_factory.mktemp(f"catalog_{name}")
            attributes: Any = catalogs.attributes_var(name)
            result = run_dbt(["build", "--exclude-resource-type", "unit_test"], work / "db.duckdb", work,
                             dbt_vars={"snowplow__events_file": str(catalog_events[1]),
                                       "snowplow__attributes": attributes})
            assert_dbt_ok(result)
            with duckdb.connect(str(work / "db.duckdb"), read_only=True) as con:
                frame = con.execute("select * from final_training").df()
                types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                         "where table_name = 'final_training'").fetchall())
                contract = con.execute("select signals_definition from final_training_columns "
                                       "where column_role = 'feature' order by ordinal").fetchall()
            cache[name] = CatalogBuild(bruteforce.rows_by_event_id(frame), types, [json.loads(d) for (d,) in contract])
        return cache[name]

    return build


def _oracle(rows: list[dict[str, Any]], attributes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return bruteforce.final_training(bruteforce.stage(rows, attributes=attributes), attributes=attributes)


def _attributes(name: str, build: CatalogBuild) -> list[dict[str, Any]]:
    return catalogs.definitions(name, build.definitions)


@pytest.mark.parametrize("name", CATALOG_NAMES)
def test_final_training_equals_brute_force(name: str, catalog_build: Callable[[str], CatalogBuild],
                                           catalog_events: tuple[list[dict[str, Any]], Path]) -> None:
    build = catalog_build(name)
    attributes = _attributes(name, build)
    assert [a["name"] for a in build.definitions] == [a["name"] for a in attributes]
    expected = _oracle(catalog_events[0], attributes)
    actual = build.rows
    assert set(actual) == set(expected), (
        f"missing: {sorted(set(expected) - set(actual))[:10]}, extra: {sorted(set(actual) - set(expected))[:10]}")
    columns = list(next(iter(expected.values())))
    assert set(columns) <= set(next(iter(actual.values())))
    mismatches = [
        (event_id, column, actual[event_id][column], expected[event_id][column])
        for event_id in sorted(expected)
        for column in columns
        if not bruteforce.values_equal(actual[event_id][column], expected[event_id][column])
    ]
    by_column: dict[str, int] = {}
    for _, column, _, _ in mismatches:
        by_column[column] = by_column.get(column, 0) + 1
    assert not mismatches, (f"{len(mismatches)} values differ, per column {by_column}; "
                            f"(event_id, column, built, brute force), e.g. {mismatches[:8]}")


def test_the_rows_and_labels_do_not_depend_on_the_catalog(catalog_build: Callable[[str], CatalogBuild]) -> None:
    """Catalogs that stage history-only events (page pings, one after the last row event)
    have the tutorial's rows, labels and maturity: the end of the data counts row events."""
    def labels(build: CatalogBuild) -> dict[str, tuple[Any, Any]]:
        return {k: (r["target_had_submit_form_next1h"], r["is_label_mature"]) for k, r in build.rows.items()}

    tutorial = labels(catalog_build("tutorial"))
    assert tutorial["end-mature"] == (False, True) and tutorial["end-horizon"] == (False, False)
    for name in CATALOG_NAMES:
        assert labels(catalog_build(name)) == tutorial, name


def test_the_catalog_covers_every_aggregation_operator_and_unit() -> None:
    attributes = catalogs.EVERY_AGGREGATION
    assert {a["aggregation"] for a in attributes} == catalogs.AGGREGATIONS
    operators = {c["operator"] for a in attributes for key in ("all", "any")
                 for c in (a.get("criteria") or {}).get(key, [])}
    assert operators == catalogs.OPERATORS
    assert {a["time_unit"] for a in attributes if "time_unit" in a} == catalogs.TIME_UNITS
    periods = {a["period"] for a in attributes if "period" in a}
    assert {"PT30M", "PT1H", "P7D", "P1DT12H", 5400} <= periods
    assert any(a["events"] == [] for a in attributes)
    assert any(spec.get("version") for a in attributes for spec in a["events"])


def test_presets_resolve_and_the_tutorial_is_unchanged(catalog_build: Callable[[str], CatalogBuild]) -> None:
    tutorial = catalog_build("tutorial").definitions
    assert [a["name"] for a in tutorial] == [name for name, _, _ in bruteforce.FEATURES]
    minimal = [a["name"] for a in catalog_build("web_minimal").definitions]
    full = [a["name"] for a in catalog_build("web_full").definitions]
    assert minimal[:3] == [a["name"] for a in tutorial] and full[: len(minimal)] == minimal
    assert len(full) > len(minimal) >= 10
    read = {c["property"]["name"] for a in catalog_build("web_full").definitions
            for c in (a.get("criteria") or {}).get("all", []) + (a.get("criteria") or {}).get("any", [])}
    read |= {(a.get("property") or {}).get("name") for a in catalog_build("web_full").definitions}
    assert {"refr_medium", "mkt_medium", "geo_country"} <= read


def test_column_types_follow_the_attribute_types(catalog_build: Callable[[str], CatalogBuild]) -> None:
    types = catalog_build("every_aggregation").types
    expected = {"int32": ("INTEGER", "BIGINT"), "int64": ("BIGINT", "INTEGER", "HUGEINT"), "double": ("DOUBLE",),
                "float": ("DOUBLE", "FLOAT"), "string": ("VARCHAR",), "bool": ("BOOLEAN",),
                "timestamp": ("TIMESTAMP",)}
    for attribute in catalogs.EVERY_AGGREGATION:
        if attribute["aggregation"] in ("counter", "approx_count_distinct", "unique_list"):
            allowed = ("BIGINT", "INTEGER", "HUGEINT")
        elif attribute["aggregation"] in ("time_since_first", "time_since_last", "mean"):
            allowed = ("DOUBLE",)
        else:
            allowed = expected[attribute["type"]]
        assert types[attribute["name"]] in allowed, (attribute["name"], types[attribute["name"]])


def test_handmade_catalog_cases(catalog_build: Callable[[str], CatalogBuild]) -> None:
    """Values worked out by hand from nasty_events.catalog_edge_rows (not by the oracle)."""
    rows = catalog_build("every_aggregation").rows
    r, nxt = rows["cat-r"], rows["cat-r-next"]
    # Boundaries: exactly P before the row is in, one millisecond more is out.
    assert r["n_pings_last_30m"] == 5  # 30m-in, two tied pings, the null one, the dup once
    assert r["n_pricing_last_1h"] == 1  # cat-1h-in only
    assert r["n_campaign_views_7d"] == 1  # cat-7d-in, not cat-7d-out
    assert r["sum_se_value_1d12h"] == pytest.approx(12.5)  # 2.5 (36h-in) + 10 (click); -3.25 is out
    assert r["sum_scroll_last_1h"] == 700 + 300 + 300 + 700 + 1500 + 900  # 1h-in .. dup, 30m-out too
    # Ties at one instant: first/last by event_id; frequencies tie to the smallest value.
    assert r["most_frequent_country"] == "DE"  # DE, GB, US three each
    assert r["least_frequent_urlpath"] == "/a"
    # the tie's ids by text: 0a... (False) < FF... (null) < cat-tie-2 (null): nulls are skipped
    assert r["last_is_mobile"] is False
    # Events at the row's instant are not seen; one millisecond later they are.
    assert nxt["n_any_events"] == r["n_any_events"] + 2  # cat-r and the ping at T1
    assert nxt["min_scroll"] == 100 and r["min_scroll"] == 300
    assert nxt["minutes_since_last_ping_30m"] == pytest.approx(1 / 60_000)
    # Vendor/version: the acme page view and the 2-0-0 one are page views by name only.
    assert (r["n_acme_page_views"], r["n_page_views_v2"]) == (1, 1)
    assert r["n_snowplow_page_views"] == 13
    # Defaults: nothing eligible.
    empty = rows["cat-empty-r"]
    assert (empty["n_snowplow_page_views"], empty["n_pings_or_clicks"], empty["n_unique_urlpaths"]) == (0, 1, 0)
    assert empty["first_external_medium"] == "none" and empty["max_scroll_last_7d"] == -1
    assert empty["min_scroll"] is None and empty["mean_se_value"] is None
    assert empty["hours_since_last_pricing"] == -1.0 and empty["most_frequent_urlpath_1h"] == "(none)"
    # unique_list's length is capped at 100; approx_count_distinct is exact.
    assert rows["cat-many-r"]["n_unique_urlpaths"] == 100
    assert rows["cat-many-r"]["least_frequent_urlpath"] == "/p/000"
    # History-only events, other apps and events at or after the conversion are not rows.
    assert not {"cat-ping-at-r", "cat-click", "cat-ping-app", "cat-r-30m", "cat-after-conversion"} & set(rows)
    assert r["derived_tstamp"] == nasty_events.T1 and nxt["derived_tstamp"] == nasty_events.T1 + dt.timedelta(
        milliseconds=1)
