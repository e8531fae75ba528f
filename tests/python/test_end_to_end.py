"""The README's path on the shipped sample: dbt build, then train/fit.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import joblib
import numpy as np
import pyarrow.csv as pacsv
import pytest

import bruteforce
import nasty_events
from conftest import SampleBuild
from dbt_harness import PROJECT_DIR, run_dbt


def test_dbt_build_on_the_sample_passes_every_test(sample_build: SampleBuild) -> None:
    results = sample_build.run_results["results"]
    statuses = {r["unique_id"]: r["status"] for r in results}
    unit_tests = [u for u in statuses if u.startswith("unit_test.")]
    data_tests = [u for u in statuses if u.startswith("test.")]
    assert len(unit_tests) >= 29 and len(data_tests) >= 6
    not_passing = {u: s for u, s in statuses.items() if s not in ("pass", "success")}
    # The sample's 3 events with a null derived_tstamp are counted by the audit, not by a warning.
    assert not_passing == {}


def test_sample_final_training_equals_brute_force(sample_build: SampleBuild) -> None:
    table = pacsv.read_csv(PROJECT_DIR / "seeds" / "snowplow_sample_events.csv",
                           convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    rows = nasty_events.as_rows(table.select(["APP_ID", "DERIVED_TSTAMP", "EVENT_ID", "DOMAIN_USERID",
                                              "EVENT_NAME", "PAGE_URL"]))
    expected = bruteforce.final_training(bruteforce.stage(rows))
    with duckdb.connect(str(sample_build.db_path), read_only=True) as con:
        built = con.execute("select * from final_training").df()
    assert len(built) == len(expected) and built["event_id"].is_unique
    assert set(built["event_id"]) == set(expected)
    built_rows = {r.pop("event_id"): r for r in built.to_dict("records")}
    for event_id, row in expected.items():
        got = built_rows[event_id]
        assert [got[k] for k in ("num_page_views", "num_pricing_views", "num_customers_views",
                                 "target_had_submit_form_next1h", "is_label_mature")] == \
            [row[k] for k in ("num_page_views", "num_pricing_views", "num_customers_views",
                              "target_had_submit_form_next1h", "is_label_mature")], event_id
    positives = int(built["target_had_submit_form_next1h"].sum())
    assert positives == sum(r["target_had_submit_form_next1h"] for r in expected.values()) and positives > 100


def test_the_data_tests_fail_on_broken_tables(sample_build: SampleBuild, tmp_path: Path) -> None:
    """The invariants can fail: on a copy of the sample's tables with a repeated event, an
    event without an id, a counter that goes down and a true label marked immature, each
    data test on the targets table and final_training reports it (and nothing else does)."""
    db_path = tmp_path / "broken.duckdb"
    shutil.copy(sample_build.db_path, db_path)
    targets = "int_prospect__targets_as_of_event"
    with duckdb.connect(str(db_path)) as con:
        # a visitor's last row, after at least two page views: its lifetime counter goes down
        visitor, tstamp = con.execute(
            f"select domain_userid, max(derived_tstamp) from {targets} group by 1 "
            "having max(num_page_views) >= 2 order by 1 limit 1").fetchall()[0]
        con.execute(f"update {targets} set num_page_views = 0 where domain_userid = ? and derived_tstamp = ?",
                    [visitor, tstamp])
        con.execute(f"insert into {targets} select * from {targets} where domain_userid = ? "
                    "and derived_tstamp = ?", [visitor, tstamp])
        con.execute(f"update {targets} set event_id = null, event_uuid = null where event_uuid = "
                    f"(select min(event_uuid) from {targets} where domain_userid <> ?)", [visitor])
        con.execute(f"update {targets} set target_had_submit_form_next1h = true, is_label_mature = false "
                    f"where event_uuid = (select max(event_uuid) from {targets} where is_row_event "
                    "and is_before_first_conversion and is_eligible)")
        # two visitors with one event each (no earlier event, nothing to step from): one counts
        # a pricing view it cannot have seen, the other has no customers-views count at all
        single, other_single = (r[0] for r in con.execute(
            f"select domain_userid from {targets} where domain_userid <> ? group by 1 having count(*) = 1 "
            "order by 1 limit 2", [visitor]).fetchall())
        con.execute(f"update {targets} set num_pricing_views = 1 where domain_userid = ?", [single])
        con.execute(f"update {targets} set num_customers_views = null where domain_userid = ?", [other_single])
    result = run_dbt(["test", "--exclude-resource-type", "unit_test", "--store-failures", "--select",
                      f"{targets} final_training"], db_path, tmp_path)
    assert result.returncode != 0
    run_results = json.loads((tmp_path / "target" / "run_results.json").read_text())
    failed = {r["unique_id"].split(".")[2].split("_int_prospect")[0].split("_final_training")[0]: r
              for r in run_results["results"] if r["status"] == "fail"}
    assert set(failed) == {"prospect_scoring_counters_are_consistent", "prospect_scoring_stored_event_ids_are_unique",
                           "prospect_scoring_labels_are_consistent"}, set(failed)
    # Each rule of the counters' test is what caught its row (the stored failures):
    # the decrease, the count above the earlier events, the null.
    with duckdb.connect(str(db_path), read_only=True) as con:
        offending = con.execute(
            "select num_page_views, num_page_views__step, num_pricing_views, num_customers_views, "
            f"timeline__earlier_events from {failed['prospect_scoring_counters_are_consistent']['relation_name']} "
            "order by all").fetchall()
    assert len(offending) == 3, offending
    decrease = [r for r in offending if r[1] is not None and r[1] < 0]
    exceeds = [r for r in offending if r[2] is not None and r[2] > r[4]]
    missing = [r for r in offending if r[3] is None]
    assert len(decrease) == 1 and decrease[0][0] == 0 and decrease[0][4] >= 2, offending
    assert exceeds == [(0, None, 1, 0, 0)], offending
    assert len(missing) == 1 and missing[0][4] == 0 and missing[0][1] is None, offending


@pytest.fixture(scope="module")
def trained(sample_build: SampleBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("artifacts")
    env = {**os.environ, "DBT_DUCKDB_PATH": str(sample_build.db_path), "DBT_TARGET": "duckdb"}
    result = subprocess.run([sys.executable, "train/fit.py", "--output-dir", str(out)], cwd=PROJECT_DIR,
                            env=env, text=True, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_fit_writes_every_artifact(trained: Path) -> None:
    names = {p.name for p in trained.iterdir()}
    assert {"model.joblib", "metadata.json", "report.md"} <= names
    assert len([n for n in names if n.endswith(".png")]) >= 4
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")]
    report = (trained / "report.md").read_text()
    for name in names - {"report.md"}:
        if name.endswith(".png"):
            assert name in report


def test_model_serves_like_the_tutorial(trained: Path, sample_build: SampleBuild) -> None:
    metadata = json.loads((trained / "metadata.json").read_text())
    features = metadata["features"]
    assert features == ["num_page_views", "num_pricing_views", "num_customers_views"]
    with duckdb.connect(str(sample_build.db_path), read_only=True) as con:
        frame = con.execute("select * from final_training limit 200").df()
    model = joblib.load(trained / "model.joblib")
    proba = model.predict_proba(frame[features])[:, 1]
    assert proba.shape == (200,) and np.all((proba >= 0) & (proba <= 1))
    # More pricing views than the average visitor should not lower the score (the sample's signal).
    assert metadata["coefficients"]["num_pricing_views"] > 0


def test_metadata_describes_the_run(trained: Path) -> None:
    metadata = json.loads((trained / "metadata.json").read_text())
    for key in ("features", "target", "split", "seed", "test_size", "counts", "metrics", "coefficients",
                "versions", "dbt", "table", "data_fingerprint", "trained_at_utc", "rows_excluded_immature"):
        assert key in metadata, key
    assert metadata["split"] == "visitor" and metadata["seed"] == 42
    assert metadata["dbt"]["target"] == "duckdb"
    for side in ("model", "baseline"):
        assert {"accuracy", "f1", "roc_auc", "log_loss", "pr_auc"} <= set(metadata["metrics"][side])
    assert metadata["metrics"]["model"]["roc_auc"] > metadata["metrics"]["baseline"]["roc_auc"]
