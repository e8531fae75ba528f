"""Training-set design vars on the shipped sample: neutral values change nothing,
each filter removes what it says (and the audit model accounts for it)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from conftest import SampleBuild
from dbt_harness import assert_dbt_ok, run_dbt


def _final_training(db_path: Path) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("select * from final_training order by event_id").df()


def test_defaults_keep_the_tutorial_dataset(sample_build: SampleBuild, tmp_path: Path) -> None:
    """Every filter set to a value that removes nothing gives exactly the default table."""
    neutral = {
        "snowplow__start_date": "2000-01-01", "snowplow__end_date": "2100-01-01 00:00:00",
        "snowplow__cohort_first_seen_start": "2000-01-01", "snowplow__cohort_first_seen_end": "2100-01-01",
        "snowplow__max_events_per_day": 1_000_000, "snowplow__drop_immature_labels": False,
        "snowplow__event_names": ["page_view", "submit_form"], "snowplow__app_ids": ["website"],
        "snowplow__horizon_seconds": 3600, "snowplow__conversion_event": "submit_form",
    }
    result = run_dbt(["run", "--select", "+final_training"], tmp_path / "db.duckdb", tmp_path, dbt_vars=neutral)
    assert_dbt_ok(result)
    pd.testing.assert_frame_equal(_final_training(tmp_path / "db.duckdb"), _final_training(sample_build.db_path))


def test_recommended_real_data_vars(sample_build: SampleBuild, tmp_path: Path) -> None:
    """The README's recommended set (scaled to the sample's three weeks) applies every filter."""
    recommended = {"snowplow__cohort_days_before_reference": [20, 7], "snowplow__drop_immature_labels": True,
                   "snowplow__max_events_per_day": 20}
    result = run_dbt(["build", "--select", "+training_dataset_audit",
                      "--exclude-resource-type", "unit_test"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars=recommended)
    assert_dbt_ok(result)
    filtered, default = _final_training(tmp_path / "db.duckdb"), _final_training(sample_build.db_path)
    assert 0 < len(filtered) < len(default)
    assert filtered["is_label_mature"].all()
    assert set(filtered["event_id"]) <= set(default["event_id"])
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        audit = con.execute("select step, events_remaining, events_removed from training_dataset_audit "
                            "order by step_order").df()
        visitors = con.execute("select count(*) from int_prospect__visitors where is_eligible").fetchall()[0][0]
    assert audit["events_remaining"].iloc[-1] == len(filtered)
    assert (audit["events_removed"] >= 0).all()
    assert audit.set_index("step").loc["visitor_filters", "events_removed"] > 0
    assert filtered["domain_userid"].nunique() <= visitors


def test_sample_has_immature_rows_at_the_end_of_the_data(sample_build: SampleBuild) -> None:
    frame = _final_training(sample_build.db_path)
    late = frame[~frame["is_label_mature"]]
    assert len(late) > 0
    assert (late["derived_tstamp"] >= frame["derived_tstamp"].max() - pd.Timedelta(hours=1)).all()


def test_audit_agrees_with_final_training_on_the_sample(sample_build: SampleBuild) -> None:
    """The audit counts prediction points its own way (staged events against the visitors'
    first conversions); with immature labels kept, that count is final_training's."""
    frame = _final_training(sample_build.db_path)
    with duckdb.connect(str(sample_build.db_path), read_only=True) as con:
        audit = con.execute("select step, events_remaining, visitors_remaining, events_removed "
                            "from training_dataset_audit").df().set_index("step")
        staged = con.execute("select count(*) from stg_snowplow__events").fetchall()[0][0]
    assert audit.loc["before_first_conversion", "events_remaining"] == len(frame)
    assert audit.loc["before_first_conversion", "visitors_remaining"] == frame["domain_userid"].nunique()
    assert audit.loc["label_maturity", "events_removed"] == 0
    assert audit.loc["time_range", "events_remaining"] == staged
    assert audit.loc["before_first_conversion", "events_removed"] > 0
