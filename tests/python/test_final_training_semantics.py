"""final_training equals an independent brute-force implementation on generated
data full of nasty cases, and equals the tutorial's query where the tutorial is right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import bruteforce
import nasty_events
from dbt_harness import assert_dbt_ok, run_dbt

TUTORIAL_QUERY = (Path(__file__).parent / "tutorial_query.sql").read_text()


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One dbt build over generated + handmade nasty rows (a lower-case Parquet file)."""
    work = tmp_path_factory.mktemp("mixed")
    mixed = nasty_events.mixed_rows()
    clean = nasty_events.clean_rows()
    events_file = work / "events.parquet"
    pq.write_table(nasty_events.to_table(mixed + clean, upper=False), events_file)
    clean_file = work / "clean.csv"
    pacsv.write_csv(nasty_events.to_table(clean, upper=True), clean_file)
    db_path = work / "mixed.duckdb"
    result = run_dbt(["build", "--exclude-resource-type", "unit_test"], db_path, work,
                     dbt_vars={"snowplow__events_file": str(events_file)})
    assert_dbt_ok(result)
    with duckdb.connect(str(db_path), read_only=True) as con:
        built = con.execute("select * from final_training").df()
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_name = 'final_training'").fetchall())
    return {"rows": mixed + clean, "clean_file": clean_file, "built": built, "types": types}


def _built_by_event_id(built: Any) -> dict[str, dict[str, Any]]:
    records = built.to_dict("records")
    out = {}
    for record in records:
        event_id = record.pop("event_id")
        record["derived_tstamp"] = record["derived_tstamp"].to_pydatetime()
        out[event_id] = {k: (v.item() if hasattr(v, "item") else v) for k, v in record.items()}
    return out


def test_one_row_per_distinct_event_id(mixed_build: dict[str, Any]) -> None:
    built = mixed_build["built"]
    assert built["event_id"].is_unique
    assert len(built) > 1000


def test_equals_brute_force_on_nasty_data(mixed_build: dict[str, Any]) -> None:
    expected = bruteforce.final_training(bruteforce.stage(mixed_build["rows"]))
    actual = _built_by_event_id(mixed_build["built"])
    assert set(actual) == set(expected), (
        f"missing: {sorted(set(expected) - set(actual))[:10]}, extra: {sorted(set(actual) - set(expected))[:10]}")
    mismatches = [(k, actual[k], expected[k]) for k in expected if actual[k] != expected[k]]
    assert not mismatches, f"{len(mismatches)} rows differ, e.g. {mismatches[:3]}"


def test_handmade_edge_cases(mixed_build: dict[str, Any]) -> None:
    rows = _built_by_event_id(mixed_build["built"])
    # Equal timestamps do not see each other; the event one millisecond later sees all three.
    assert [rows[f"tie-{i}"]["num_page_views"] for i in (1, 2, 3, 4)] == [0, 0, 0, 3]
    assert rows["tie-4"]["num_pricing_views"] == 2 and rows["tie-4"]["num_customers_views"] == 1
    assert "tie-conv" not in rows and "conv-tie-pv" not in rows
    # Whole-second boundaries.
    assert rows["b-3600"]["target_had_submit_form_next1h"] is True
    assert rows["b-3600-frac"]["target_had_submit_form_next1h"] is True
    assert rows["b-3601"]["target_had_submit_form_next1h"] is False
    assert not {"b-conv", "b-after", "b-conv-2"} & set(rows)
    # Duplicates: the earliest copy of each event_id; other apps do not win the deduplication.
    assert rows["dup-late"]["derived_tstamp"] == nasty_events.T0 + dt.timedelta(seconds=5)
    assert rows["dup-probe"]["num_page_views"] == 3  # dup-same once, dup-app, dup-late once
    assert rows["dup-app"]["derived_tstamp"] == nasty_events.T0 + dt.timedelta(seconds=2)
    # Other apps, noise events and null ids neither become rows nor count as history.
    assert rows["apps-pv"]["num_page_views"] == 0 and rows["apps-pv"]["target_had_submit_form_next1h"] is False
    assert not {"other-app-pv", "null-user-pv", "null-tstamp", "noise-click"} & set(rows)
    # Never converting: every event is a row, with a false target.
    assert rows["never-1"]["target_had_submit_form_next1h"] is False and "never-2" in rows
    assert "first-conv" not in rows and "first-conv-pv" not in rows
    # The observed data ends at the latest copy, even a duplicate that deduplication drops.
    # Mature only beyond the horizon: at exactly 3600 whole seconds a conversion later in
    # the horizon's last second would still make the label true.
    end_mature, end_horizon, end_pv = rows["end-mature"], rows["end-horizon"], rows["end-pv"]
    assert end_horizon["derived_tstamp"] - end_mature["derived_tstamp"] == dt.timedelta(seconds=1)
    assert end_pv["derived_tstamp"] - end_horizon["derived_tstamp"] == dt.timedelta(minutes=30)
    assert end_mature["is_label_mature"] is True
    assert end_horizon["is_label_mature"] is False and end_pv["is_label_mature"] is False
    # Ids in every form come back unchanged (DuckDB stores the canonical UUIDs as UUIDs);
    # the duplicated canonical id is one row, its earliest copy.
    edge_ids = {k: v for k, v in rows.items() if v["domain_userid"] == "edge-ids"}
    assert set(edge_ids) == {"5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f60", "5F0C4A2E-9B1D-4C3E-8F7A-1B2C3D4E5F61",
                             "{5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f62}", "5f0c4a2e9b1d4c3e8f7a1b2c3d4e5f63",
                             "5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f6"}
    assert edge_ids["5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f60"]["derived_tstamp"] == nasty_events.T0


def test_column_types(mixed_build: dict[str, Any]) -> None:
    types = mixed_build["types"]
    assert types["derived_tstamp"].startswith("TIMESTAMP")
    assert types["target_had_submit_form_next1h"] == "BOOLEAN"
    assert types["is_label_mature"] == "BOOLEAN"
    for name, _, _ in bruteforce.FEATURES:
        assert types[name] in ("BIGINT", "INTEGER", "HUGEINT"), (name, types[name])


def test_equals_the_tutorial_query_where_it_is_right(mixed_build: dict[str, Any]) -> None:
    """Unique event_ids, no two events of a visitor at one instant: row for row equal (7 columns)."""
    clean_ids = {r["domain_userid"] for r in nasty_events.clean_rows()}
    with duckdb.connect() as con:
        tutorial = con.execute(TUTORIAL_QUERY.replace("{csv_filename}", str(mixed_build["clean_file"]))).df()
    tutorial.columns = [c.lower() for c in tutorial.columns]
    columns = ["domain_userid", "derived_tstamp", "event_name", "num_page_views", "num_pricing_views",
               "num_customers_views", "target_had_submit_form_next1h"]
    built = mixed_build["built"]
    ours = built[built["domain_userid"].isin(clean_ids)][columns]

    def normalise(frame: Any) -> list[tuple[Any, ...]]:
        frame = frame.astype({c: "int64" for c in columns[3:6]}).astype({columns[6]: bool})
        return sorted(map(tuple, frame[columns].itertuples(index=False, name=None)))

    assert len(tutorial) > 500
    assert normalise(ours) == normalise(tutorial)


def test_equals_brute_force_outside_utc_from_timestamptz(tmp_path: Path) -> None:
    """The same nasty data as a Parquet TIMESTAMPTZ column (as BigQuery exports it), built on
    a machine whose zone is New York: every timestamp is still read as UTC."""
    rows = nasty_events.mixed_rows() + nasty_events.clean_rows()
    table = nasty_events.to_table(rows, upper=False)
    index = table.schema.get_field_index("derived_tstamp")
    table = table.set_column(index, "derived_tstamp", table.column(index).cast(pa.timestamp("ms", tz="UTC")))
    events_file = tmp_path / "events_tz.parquet"
    pq.write_table(table, events_file)
    result = run_dbt(["run"], tmp_path / "tz.duckdb", tmp_path, dbt_vars={"snowplow__events_file": str(events_file)},
                     extra_env={"TZ": "America/New_York"})
    assert_dbt_ok(result)
    with duckdb.connect(str(tmp_path / "tz.duckdb"), read_only=True) as con:
        built = con.execute("select * from final_training").df()
    expected = bruteforce.final_training(bruteforce.stage(rows))
    actual = _built_by_event_id(built)
    assert set(actual) == set(expected)
    mismatches = [(k, actual[k], expected[k]) for k in expected if actual[k] != expected[k]]
    assert not mismatches, f"{len(mismatches)} rows differ, e.g. {mismatches[:3]}"


def test_offsets_z_and_naive_text_timestamps_are_utc_whatever_the_machine_zone(tmp_path: Path) -> None:
    """Text timestamps with an offset, with Z and naive (UTC) give one table in every zone; a
    conversion 40 minutes after a page view across New York's DST change is within the hour."""
    events = tmp_path / "events.csv"
    events.write_text(
        "event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"
        "a1,website,2024-03-10T01:50:00-05:00,a,page_view,https://x.com/pricing\n"
        "a2,website,2024-03-10T03:30:00-04:00,a,submit_form,https://x.com/contact\n"
        "b1,website,2024-03-10T06:50:00Z,b,page_view,https://x.com/\n"
        "b2,website,2024-03-10 07:30:00+00:00,b,page_view,https://x.com/pricing\n"
        "c1,website,2024-03-10 06:55:00,c,page_view,https://x.com/\n")
    tables = {}
    for zone in ("UTC", "America/New_York", "Asia/Kolkata"):
        result = run_dbt(["run"], tmp_path / f"{zone.replace('/', '_')}.duckdb", tmp_path / zone.replace("/", "_"),
                         dbt_vars={"snowplow__events_file": str(events)}, extra_env={"TZ": zone})
        assert_dbt_ok(result)
        with duckdb.connect(str(tmp_path / f"{zone.replace('/', '_')}.duckdb"), read_only=True) as con:
            tables[zone] = con.execute("select event_id, derived_tstamp, num_page_views, num_pricing_views, "
                                       "target_had_submit_form_next1h from final_training order by event_id").fetchall()
    assert tables["UTC"] == tables["America/New_York"] == tables["Asia/Kolkata"]
    rows = {r[0]: r for r in tables["UTC"]}
    assert rows["a1"][1] == dt.datetime(2024, 3, 10, 6, 50) and rows["a1"][4] is True
    assert rows["b1"][1] == dt.datetime(2024, 3, 10, 6, 50) and rows["b2"][1] == dt.datetime(2024, 3, 10, 7, 30)
    assert rows["b2"][2] == 1 and rows["c1"][1] == dt.datetime(2024, 3, 10, 6, 55)
