"""prospect_scores (dbt): attributes as of the end of the data, and the logreg score in SQL.

One dbt build of the nasty catalog events with every aggregation (categorical,
boolean, list and windowed attributes, history-only events), one logreg fit on
it (train/fit.py, which writes score_vars.yml), and one ``dbt run -s
prospect_scores --vars score_vars.yml``, shared by the module:

* the SQL score equals the pipeline's predict_proba, through ``serving``, on
  the same attribute values, for every prospect, to 1e-9;
* every attribute of every prospect is the brute-force oracle's value
  (tests/python/bruteforce.py, no shared code) as of ``as_of_tstamp``, just
  after the end of the observed data;
* a non-logreg model stops dbt with one line pointing to prospect-score.

prospect_scores is enabled only with snowplow__score_model: the plain ``dbt
build`` of the sample (conftest) does not build it (test below).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

import bruteforce
import catalogs
import nasty_events
from dbt_harness import PROJECT_DIR, assert_dbt_ok, run_dbt
from prospect_model.reading import _feature_values
from prospect_model.serving import ServingModel
from prospect_model.sql_export import SCORE_VAR, SCORE_VARS_FILE


@dataclass(frozen=True)
class ScoredBuild:
    rows: list[dict[str, Any]]
    db_path: Path
    work: Path
    model_dir: Path
    score_var: dict[str, Any]
    scores: pd.DataFrame
    base_vars: dict[str, Any]


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> ScoredBuild:
    work = tmp_path_factory.mktemp("sql_scores")
    rows = nasty_events.catalog_rows()
    events = work / "events.parquet"
    pq.write_table(nasty_events.to_catalog_table(rows), events)
    db_path = work / "db.duckdb"
    base_vars = {"snowplow__events_file": str(events), "snowplow__attributes": catalogs.EVERY_AGGREGATION,
                 "snowplow__score_active_days": 3650}
    assert_dbt_ok(run_dbt(["build", "--exclude-resource-type", "unit_test"], db_path, work, dbt_vars=base_vars))
    model_dir = work / "model"
    env = {**os.environ, "DBT_DUCKDB_PATH": str(db_path), "DBT_TARGET": "duckdb", "OMP_NUM_THREADS": "1"}
    fit = subprocess.run([sys.executable, "train/fit.py", "--output-dir", str(model_dir), "--cv-folds", "2"],
                         cwd=PROJECT_DIR, env=env, text=True, capture_output=True, timeout=300)
    assert fit.returncode == 0, fit.stderr[-3000:]
    score_var = yaml.safe_load((model_dir / SCORE_VARS_FILE).read_text())[SCORE_VAR]
    result = run_dbt(["build", "-s", "prospect_scores", "--exclude-resource-type", "unit_test"], db_path, work,
                     dbt_vars={**base_vars, SCORE_VAR: score_var})
    assert_dbt_ok(result)  # includes the data tests of prospect_scores with a model
    with duckdb.connect(str(db_path), read_only=True) as con:
        scores = con.execute("select * from prospect_scores order by domain_userid").df()
    return ScoredBuild(rows, db_path, work, model_dir, score_var, scores, base_vars)


def test_sql_score_equals_the_python_score_for_every_prospect(scored: ScoredBuild) -> None:
    kinds = {term["kind"] for term in scored.score_var["terms"]}
    assert kinds == {"numeric", "boolean", "categorical"}, kinds  # every kind of term is exercised
    assert any(term.get("values") for term in scored.score_var["terms"] if term["kind"] == "categorical")
    assert len(scored.scores) >= 20
    model = ServingModel.load(scored.model_dir)
    with duckdb.connect(str(scored.db_path), read_only=True) as con:
        table = con.sql("select * from prospect_scores order by domain_userid").to_arrow_table()
    # the table's values converted exactly as training converts final_training (what prospect-score does)
    frame = pd.DataFrame({f: _feature_values(table.column(f), model._by_name[f].feature_kind) for f in model.features})
    python = model.predict_frame(frame)
    direct = model.model.predict_proba(frame)[:, 1]
    sql = scored.scores["score"].to_numpy(dtype=np.float64)
    assert np.max(np.abs(sql - python)) <= 1e-9
    assert np.max(np.abs(sql - direct)) <= 1e-9
    assert (scored.scores["is_prospect"] == (sql >= model.threshold)).all()
    assert set(scored.scores["model_kind"]) == {"logreg"}


def _plain(value: Any) -> Any:
    """A data-frame value as plain Python (NaN, NA: None)."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return None if missing else value


def test_attributes_are_the_brute_force_values_as_of_the_end_of_the_data(scored: ScoredBuild) -> None:
    attributes = catalogs.EVERY_AGGREGATION
    staged = bruteforce.stage(scored.rows, attributes=attributes)
    history: dict[str, list[bruteforce.Event]] = defaultdict(list)
    for event in sorted(staged.events, key=lambda e: (e.derived_tstamp, e.event_id)):
        history[event.domain_userid].append(event)
    mismatches = []
    for row in scored.scores.to_dict("records"):
        at = row["as_of_tstamp"].to_pydatetime().replace(tzinfo=None)
        assert row["data_end_tstamp"].to_pydatetime().replace(tzinfo=None) == staged.data_end
        for attribute in attributes:
            expected = bruteforce.attribute_value(attribute, history[row["domain_userid"]], at)
            actual = _plain(row[attribute["name"]])
            if not bruteforce.values_equal(actual, expected):
                mismatches.append((row["domain_userid"], attribute["name"], actual, expected))
    assert not mismatches, mismatches[:10]


def test_a_non_logreg_model_stops_with_one_line(scored: ScoredBuild) -> None:
    hgb = {k: v for k, v in scored.score_var.items() if k not in ("terms", "intercept")} | {"kind": "hgb"}
    result = run_dbt(["run", "-s", "prospect_scores"], scored.db_path, scored.work,
                     dbt_vars={**scored.base_vars, SCORE_VAR: hgb})
    assert result.returncode != 0
    assert "SQL scoring needs a logreg model" in result.stdout and "prospect-score" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    json.dumps(hgb)  # the var is plain data


def test_a_build_with_other_definitions_is_not_scored(scored: ScoredBuild) -> None:
    """The score var records the label and each term's definition: a build describing others stops at its start."""
    assert scored.score_var["target"] == "target_had_submit_form_next1h"
    assert all(isinstance(term.get("definition"), dict) for term in scored.score_var["terms"])
    # a catalog reusing the name of the first term's attribute for another one (another period)
    renamed = scored.score_var["terms"][0]["feature"]
    catalog = [{**a, "period": "PT17M"} if a["name"] == renamed else a for a in catalogs.EVERY_AGGREGATION]
    result = run_dbt(["run", "-s", "prospect_scores"], scored.db_path, scored.work,
                     dbt_vars={**scored.base_vars, "snowplow__attributes": catalog, SCORE_VAR: scored.score_var})
    assert result.returncode != 0
    assert f"uses feature {renamed} as defined when the model was trained" in result.stdout, result.stdout[-2000:]
    assert "PT17M" in result.stdout
    result = run_dbt(["run", "-s", "prospect_scores"], scored.db_path, scored.work,
                     dbt_vars={**scored.base_vars, "snowplow__horizon_seconds": 1800, SCORE_VAR: scored.score_var})
    assert result.returncode != 0
    assert ("is a model trained for the label target_had_submit_form_next1h, but this build's label is "
            "target_had_submit_form_next30m") in result.stdout, result.stdout[-2000:]
    assert "Traceback" not in result.stdout + result.stderr


def test_a_bad_active_days_var_stops_at_the_start(scored: ScoredBuild) -> None:
    result = run_dbt(["run", "-s", "prospect_scores"], scored.db_path, scored.work,
                     dbt_vars={**scored.base_vars, "snowplow__score_active_days": 0})
    assert result.returncode != 0
    assert "var 'snowplow__score_active_days' must be >= 1, got 0" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_plain_build_does_not_pay_for_prospect_scores(sample_build) -> None:
    """Without snowplow__score_model, prospect_scores (a second window pass) is disabled: not built, not tested."""
    nodes = [result["unique_id"] for result in sample_build.run_results["results"]]
    assert "model.prospect_scoring.final_training" in nodes
    assert not [node for node in nodes if "prospect_scores" in node], nodes
    with duckdb.connect(str(sample_build.db_path), read_only=True) as con:
        tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    assert "final_training" in tables and "prospect_scores" not in tables
