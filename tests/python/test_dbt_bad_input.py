"""Bad input stops dbt with a message that says what is wrong (and names the
file or var), before any model is built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dbt_harness import run_dbt

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
    ({"snowplow__counter_features": [{"name": "Bad Name", "event_name": "page_view"}]},
     "var 'snowplow__counter_features' entry 1 needs a 'name'"),
    ({"snowplow__counter_features": [{"name": "num_clicks", "event_name": "link_click"}]},
     "entry 'num_clicks' counts event_name \"link_click\", which is not among snowplow__event_names"),
    ({"snowplow__counter_features": [{"name": "is_before_first_conversion", "event_name": "page_view"}]},
     "names the column 'is_before_first_conversion' twice, reuses a reserved column name"),
]


def _output(result: Any) -> str:
    return " ".join((result.stdout + result.stderr).split())


@pytest.mark.parametrize("dbt_vars,message", BAD_VARS, ids=[next(iter(v)) for v, _ in BAD_VARS])
def test_bad_var_stops_dbt_with_a_message_naming_it(tmp_path: Path, dbt_vars: dict[str, Any], message: str) -> None:
    result = run_dbt(["run", "--select", "final_training"], tmp_path / "db.duckdb", tmp_path, dbt_vars=dbt_vars)
    assert result.returncode != 0
    assert message in _output(result)
    assert "OK created" not in result.stdout


def test_missing_events_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "events.csv"
    result = run_dbt(["build"], tmp_path / "db.duckdb", tmp_path, dbt_vars={"snowplow__events_file": str(missing)})
    assert result.returncode != 0
    assert f"snowplow__events_file '{missing}' matches no file" in _output(result)
    assert "OK created" not in result.stdout


def test_unreadable_events_file(tmp_path: Path) -> None:
    garbage = tmp_path / "events.parquet"
    garbage.write_bytes(b"this is not parquet" * 20)
    result = run_dbt(["build"], tmp_path / "db.duckdb", tmp_path, dbt_vars={"snowplow__events_file": str(garbage)})
    assert result.returncode != 0
    assert str(garbage) in _output(result)
    assert "OK created" not in result.stdout


def test_events_file_without_required_columns(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text("EVENT_ID,APP_ID,DERIVED_TSTAMP,EVENT_NAME\ne1,website,2024-03-01 10:00:00,page_view\n")
    result = run_dbt(["build"], tmp_path / "db.duckdb", tmp_path, dbt_vars={"snowplow__events_file": str(events)})
    assert result.returncode != 0
    assert (f"snowplow__events_file '{events}' is missing required column(s): domain_userid, page_url"
            in _output(result))
    assert "OK created" not in result.stdout


def test_missing_events_table(tmp_path: Path) -> None:
    result = run_dbt(["build"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars={"snowplow__atomic_schema": "atomic", "snowplow__events_table": "events"})
    assert result.returncode != 0
    assert "Events table" in _output(result) and "atomic.events not found on target 'duckdb'" in _output(result)


def test_file_and_table_together_are_contradictory(tmp_path: Path) -> None:
    result = run_dbt(["build"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars={"snowplow__events_file": "seeds/snowplow_sample_events.csv",
                               "snowplow__events_table": "events"})
    assert result.returncode != 0
    assert "var 'snowplow__events_file' and snowplow__events_table are both set" in _output(result)


def test_a_leap_day_is_a_real_date(tmp_path: Path) -> None:
    result = run_dbt(["compile", "--select", "stg_snowplow__events"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars={"snowplow__start_date": "2024-02-29"})
    assert result.returncode == 0, _output(result)


def test_epoch_millisecond_timestamps_are_refused_at_the_start(tmp_path: Path) -> None:
    events = tmp_path / "epoch.csv"
    events.write_text("event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"
                      "e1,website,1709287200000,u1,page_view,https://x.com/\n")
    result = run_dbt(["build"], tmp_path / "db.duckdb", tmp_path, dbt_vars={"snowplow__events_file": str(events)})
    assert result.returncode != 0
    assert f"snowplow__events_file '{events}': derived_tstamp is a number (bigint), epoch milliseconds" in _output(result)
    assert "OK created" not in result.stdout


HEADER = "event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"


@pytest.mark.parametrize("content,dbt_vars,message", [
    (HEADER, {}, "final_training is EMPTY: the events source has no rows."),
    (HEADER + "e1,website,2024-03-01 10:00:00,,page_view,https://x.com/\n"
              "e2,website,2024-03-01 10:00:01,,submit_form,https://x.com/\n", {},
     "final_training is EMPTY: step 'complete_keys' (event_id, derived_tstamp and domain_userid are not null) "
     "removed the last 2 events."),
    (HEADER + "e1,website,2024-03-01 10:00:00,u1,page_view,https://x.com/\n", {"snowplow__app_ids": ["web"]},
     "final_training is EMPTY: step 'app_ids' (app_id in snowplow__app_ids) removed the last 1 events."),
], ids=["header_only", "null_visitors", "no_app_matches"])
def test_an_empty_training_table_is_announced_naming_the_step(tmp_path: Path, content: str,
                                                              dbt_vars: dict[str, Any], message: str) -> None:
    events = tmp_path / "events.csv"
    events.write_text(content)
    result = run_dbt(["run"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars={"snowplow__events_file": str(events), **dbt_vars})
    assert result.returncode == 0, _output(result)
    assert message in _output(result)


def test_a_profile_without_utc_stops_the_run(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text(
        "prospect_scoring:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        "      path: \"{{ env_var('DBT_DUCKDB_PATH') }}\"\n      settings:\n        TimeZone: America/New_York\n")
    result = run_dbt(["run"], tmp_path / "db.duckdb", tmp_path, profiles_dir=profiles)
    assert result.returncode != 0
    assert "The DuckDB session time zone is 'America/New_York', not UTC" in _output(result)
    assert "OK created" not in result.stdout


def test_the_known_vars_are_the_vars_declared_in_dbt_project_yml() -> None:
    """unknown_vars() checks --vars against _known_vars(); that list must be dbt_project.yml's."""
    import re

    import yaml

    from dbt_harness import PROJECT_DIR

    declared = set(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"])
    macro = (PROJECT_DIR / "macros" / "config" / "_known_vars.sql").read_text()
    assert set(re.findall(r"'(snowplow__[a-z_]+)'", macro)) == declared


REQUIRED_HEADER = "event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"


@pytest.mark.parametrize("setup,pattern,message", [
    (lambda d: (d / "empty.csv").write_bytes(b""), "empty.csv", "is empty (0 bytes)"),
    (lambda d: (d / "corrupt.csv.gz").write_bytes(b"not gzip at all"), "corrupt.csv.gz", "Input is not a GZIP stream"),
    (lambda d: ((d / "a.csv").write_text(REQUIRED_HEADER + "e1,website,2024-03-01 10:00:00,u1,page_view,x\n"),
                (d / "b.csv").write_text("event_id,app_id,derived_tstamp,domain_userid,event_name\n"
                                         "e2,website,2024-03-01 10:00:00,u1,page_view\n")),
     "*.csv", "file '{dir}/b.csv' is missing required column(s): page_url"),
    (lambda d: (d / "folder").mkdir(), "folder", "matches no file (relative paths are relative to the directory dbt "
                                                 "runs in; a folder needs a glob"),
], ids=["zero_bytes", "corrupt_gzip", "glob_file_without_a_column", "a_folder"])
def test_a_bad_file_is_named_at_the_start(tmp_path: Path, setup: Any, pattern: str, message: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    setup(data)
    result = run_dbt(["run"], tmp_path / "db.duckdb", tmp_path, dbt_vars={"snowplow__events_file": str(data / pattern)})
    assert result.returncode != 0
    output = _output(result)
    assert message.format(dir=data) in output and str(data) in output
    assert "OK created" not in result.stdout
