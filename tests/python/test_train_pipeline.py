"""End-to-end runs of the training step on small contract-conforming DuckDB files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from conftest_train_helpers import (
    FEATURES,
    MATURITY,
    TARGET,
    column_rows,
    make_events,
    make_project,
    write_database,
)
from prospect_model.cli import main
from prospect_model.dataset import fingerprint_data, load_feature_spec, load_training_data
from prospect_model.profiles import resolve_target
from prospect_model.readers import open_reader
from prospect_model.splitting import make_split

METADATA_KEYS = {
    "schema_version", "trained_at_utc", "table", "columns_table", "data_source", "dbt",
    "features", "feature_descriptions", "target", "label_maturity_column", "rows_in_table",
    "rows_excluded_immature", "rows_used", "visitors_used", "split", "seed", "test_size",
    "row_order", "counts", "model", "coefficients", "intercept", "metrics", "baseline",
    "classification_report", "confusion_matrix", "data_fingerprint", "versions",
    "timings_seconds", "artifacts", "threshold", "threshold_source", "feature_contract", "used_features",
    "dropped_features", "permutation_importance", "verdict", "best_feature", "cross_validation", "split_info",
    "baselines",
}
CONTRACT_KEYS = {"name", "feature_kind", "data_type", "aggregation", "default_value", "serving_transform",
                 "signals_definition", "description"}
METRIC_KEYS = {"accuracy", "f1", "precision", "recall", "roc_auc", "pr_auc", "log_loss", "brier"}
VERSION_KEYS = {"python", "scikit-learn", "pandas", "numpy", "pyarrow", "duckdb", "joblib"}
PLOTS = ["confusion_matrix.png", "roc_curve.png", "precision_recall_curve.png", "calibration_curve.png",
         "cumulative_gains.png", "score_histogram.png", "permutation_importance.png", "coefficients.png"]
#: The flags that make the run the tutorial's: its weighting, its raw counts, its 0.5 threshold.
TUTORIAL_FLAGS = ["--split", "rows", "--class-weight", "balanced", "--numeric-transform", "none", "--threshold", "0.5"]


def _setup(directory: Path, events: pd.DataFrame | None = None, **db_options) -> Path:
    project = make_project(directory / "project")
    write_database(directory / "warehouse.duckdb", make_events() if events is None else events, **db_options)
    return project


def _read(project: Path):
    """The training data as the run reads it (no fit: the runs above cover what follows)."""
    with open_reader(resolve_target(project_dir=project)) as reader:
        return load_training_data(reader, load_feature_spec(reader))


@pytest.fixture(scope="module")
def visitor_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One default (visitor split) run through main(); shared by the tests below."""
    root = tmp_path_factory.mktemp("visitor_run")
    project = _setup(root)
    out = root / "artifacts"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DBT_PROFILES_DIR", raising=False)
        mp.delenv("DBT_TARGET", raising=False)
        mp.setenv("DBT_DUCKDB_PATH", str(root / "warehouse.duckdb"))
        rc = main(["--project-dir", str(project), "--output-dir", str(out)])
        target = resolve_target(project_dir=project)
        with open_reader(target) as reader:
            data = load_training_data(reader, load_feature_spec(reader))
    return {"rc": rc, "out": out, "root": root, "data": data}


def test_run_succeeds_and_writes_every_artifact(visitor_run: dict) -> None:
    assert visitor_run["rc"] == 0
    names = sorted(p.name for p in visitor_run["out"].iterdir())
    assert names == sorted(["model.joblib", "metadata.json", "report.md", "score_vars.yml", *PLOTS, "current", "runs"])
    for plot in PLOTS:
        assert (visitor_run["out"] / plot).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # One run directory holds them all; the top-level names go through `current`.
    runs = list((visitor_run["out"] / "runs").iterdir())
    assert len(runs) == 1 and (visitor_run["out"] / "current").resolve() == runs[0].resolve()
    in_run = ["model.joblib", "metadata.json", "report.md", "score_vars.yml", *PLOTS]
    assert sorted(p.name for p in runs[0].iterdir()) == sorted(in_run)


def test_model_serves_probabilities_for_a_dataframe(visitor_run: dict) -> None:
    model = joblib.load(visitor_run["out"] / "model.joblib")
    assert isinstance(model, Pipeline) and isinstance(model[-1], LogisticRegression)
    assert list(model.feature_names_in_) == FEATURES
    # Default: unweighted, so probabilities estimate the real rate.
    assert model[-1].class_weight is None and model[-1].random_state == 42
    frame = make_events(20, seed=5)
    prob = model.predict_proba(frame[FEATURES])[:, 1]
    assert prob.shape == (len(frame),)
    assert np.all((prob >= 0) & (prob <= 1))


def test_metadata_has_every_key(visitor_run: dict) -> None:
    meta = json.loads((visitor_run["out"] / "metadata.json").read_text())
    assert METADATA_KEYS <= set(meta)
    assert meta["features"] == FEATURES and meta["target"] == TARGET
    assert meta["split"] == "visitor" and meta["seed"] == 42 and meta["test_size"] == 0.2
    assert set(meta["metrics"]) == {"model", "baseline", "baselines"}
    assert set(meta["metrics"]["model"]) == METRIC_KEYS == set(meta["metrics"]["baseline"])
    assert set(meta["metrics"]["baselines"]) == {"prior", "best_feature", "tutorial"}
    assert meta["metrics"]["baseline"]["roc_auc"] == 0.5
    assert meta["metrics"]["model"]["roc_auc"] > 0.65  # the fixture has a real signal
    assert set(meta["coefficients"]) == set(FEATURES) and isinstance(meta["intercept"], float)
    # What the serving code relies on.
    assert isinstance(meta["threshold"], float) and 0 < meta["threshold"] < 1
    assert [c["name"] for c in meta["feature_contract"]] == FEATURES
    for entry in meta["feature_contract"]:
        assert set(entry) == CONTRACT_KEYS
        assert entry["feature_kind"] == "numeric" and entry["aggregation"] == "counter"
        assert isinstance(entry["signals_definition"], dict) and entry["default_value"] == "0"
    assert meta["model"]["kind"] == "logreg" and meta["model"]["class"] == "sklearn.pipeline.Pipeline"
    cv = meta["cross_validation"]
    assert cv["folds"] == 5 and len(cv["per_fold"]["model"]) == 5
    for name in ("model", "prior", "best_feature", "tutorial"):
        summary = cv["metrics"][name]["roc_auc"]
        assert summary["std"] >= 0 and 0 <= summary["mean"] <= 1
    assert sum(cv["rows_per_fold"]) == meta["counts"]["train"]["rows"]
    assert meta["verdict"].startswith("the model")
    assert set(meta["permutation_importance"]) == set(FEATURES)
    assert VERSION_KEYS <= set(meta["versions"])
    assert meta["dbt"]["target"] == "duckdb" and meta["dbt"]["type"] == "duckdb"
    assert meta["table"] == "main.final_training"
    assert len(meta["data_fingerprint"]["sha256"]) == 64
    for side in ("train", "test"):
        counts = meta["counts"][side]
        assert {"rows", "visitors", "positives", "negatives", "positive_rate"} <= set(counts)
        assert counts["positives"] > 0 and counts["negatives"] > 0
    assert meta["counts"]["train"]["rows"] + meta["counts"]["test"]["rows"] == meta["rows_used"]
    assert meta["trained_at_utc"].endswith("Z")


def test_report_links_plots_and_shows_metrics(visitor_run: dict) -> None:
    report = (visitor_run["out"] / "report.md").read_text()
    for plot in PLOTS:
        assert f"]({plot})" in report
    meta = json.loads((visitor_run["out"] / "metadata.json").read_text())
    assert report.splitlines()[2] == f"**Verdict:** {meta['verdict']}."
    assert f"Decision threshold: **{meta['threshold']:.4f}**" in report
    assert "| ROC AUC |" in report and "Tutorial logreg" in report and "Best feature" in report
    assert " ± " in report
    for feature in FEATURES:
        assert f"`{feature}`" in report


def test_visitor_split_is_disjoint_and_stratified(visitor_run: dict) -> None:
    data = visitor_run["data"]
    split = make_split("visitor", data.y, data.groups, 0.2, 42)
    assert not set(data.groups[split.train]) & set(data.groups[split.test])
    assert len(split.train) + len(split.test) == data.n_rows
    assert 0.12 < len(split.test) / data.n_rows < 0.28
    positives_share = data.y[split.test].sum() / data.y.sum()
    assert abs(positives_share - 0.2) < 0.03
    meta = json.loads((visitor_run["out"] / "metadata.json").read_text())
    assert meta["counts"]["test"]["rows"] == len(split.test)
    assert meta["counts"]["train"]["visitors"] + meta["counts"]["test"]["visitors"] == data.n_visitors


def test_visitor_split_is_deterministic(visitor_run: dict) -> None:
    data = visitor_run["data"]
    first = make_split("visitor", data.y, data.groups, 0.2, 42)
    second = make_split("visitor", data.y, data.groups, 0.2, 42)
    other = make_split("visitor", data.y, data.groups, 0.2, 7)
    assert np.array_equal(first.test, second.test)
    assert not np.array_equal(first.test, other.test)


def test_rows_split_reproduces_the_tutorial_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _setup(tmp_path)
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(db))
    out = tmp_path / "out"
    assert main(["--project-dir", str(project), "--output-dir", str(out), *TUTORIAL_FLAGS]) == 0

    # The tutorial, on the same rows in the documented order.
    con = duckdb.connect(str(db), read_only=True)
    db_df = con.sql(
        f"select * from main.final_training where {MATURITY} order by derived_tstamp, event_id"
    ).df()
    con.close()
    X, y = db_df[FEATURES], db_df[TARGET]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)

    with open_reader(resolve_target(project_dir=project)) as reader:
        data = load_training_data(reader, load_feature_spec(reader))
    split = make_split("rows", data.y, data.groups, 0.2, 42)
    assert np.array_equal(split.train, X_train.index.to_numpy())
    assert np.array_equal(split.test, X_test.index.to_numpy())
    assert np.array_equal(data.frame.iloc[split.train].to_numpy(), X_train.to_numpy(dtype=float))

    tutorial = LogisticRegression(random_state=42, class_weight="balanced").fit(X_train, y_train)
    model = joblib.load(out / "model.joblib")
    np.testing.assert_allclose(model[-1].coef_, tutorial.coef_, rtol=1e-12, atol=0)
    np.testing.assert_allclose(model[-1].intercept_, tutorial.intercept_, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(model.predict_proba(X_test), tutorial.predict_proba(X_test))
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["split"] == "rows" and meta["threshold"] == 0.5
    # The thresholded metrics are the tutorial's (predict() at 0.5).
    assert meta["metrics"]["model"]["f1"] == pytest.approx(f1_score(y_test, tutorial.predict(X_test)))
    assert meta["counts"]["test"]["rows"] == len(X_test)


def test_immature_rows_are_excluded_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = make_events(seed=3)
    rng = np.random.default_rng(0)
    immature = rng.random(len(events)) < 0.15
    events[MATURITY] = ~immature
    events[MATURITY] = events[MATURITY].astype(object)
    events.loc[events.index[:5], MATURITY] = None  # NULL counts as immature
    expected_excluded = int(immature.sum() + (~immature[:5]).sum())
    project = _setup(tmp_path, events)
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    data = _read(project)
    assert data.label_maturity_column == MATURITY
    assert data.rows_in_table == len(events)
    assert data.rows_excluded_immature == expected_excluded
    assert data.n_rows == len(events) - expected_excluded


def test_report_and_metadata_count_immature_rows(visitor_run: dict) -> None:
    meta = json.loads((visitor_run["out"] / "metadata.json").read_text())
    data = visitor_run["data"]
    assert meta["rows_excluded_immature"] == data.rows_excluded_immature > 0
    assert meta["rows_used"] == data.n_rows and meta["rows_in_table"] == data.rows_in_table
    report = (visitor_run["out"] / "report.md").read_text()
    assert f"Left out as immature (`{MATURITY}` not true): {data.rows_excluded_immature:,}" in report


def test_older_build_without_label_maturity_uses_all_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = make_events(seed=4).drop(columns=[MATURITY])
    project = _setup(tmp_path, events, with_maturity=False, legacy_contract=True)
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    data = _read(project)
    assert data.label_maturity_column is None
    assert data.rows_excluded_immature == 0
    assert data.n_rows == data.rows_in_table == len(events)
    # An older contract (no feature_kind): the kind follows from the column type.
    assert [data.spec.kind(f) for f in FEATURES] == ["numeric"] * 3
    assert data.spec.build_invocation_id is None and data.spec.training_row_count is None


def test_features_come_from_the_columns_table_in_ordinal_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    features = ["num_pricing_views", "num_page_views", "num_signup_views", "num_customers_views"]
    events = make_events(seed=6, features=features)
    rows = column_rows(features)
    rows = [(n, r, o, d) for n, r, o, d in rows[::-1]]  # insertion order must not matter
    project = _setup(tmp_path, events, features=features, columns=rows)
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    data = _read(project)
    assert data.features == features and list(data.frame.columns) == features


def test_fingerprint_is_stable_and_independent_of_chunking(visitor_run: dict) -> None:
    import pyarrow as pa

    data = visitor_run["data"]
    table = pa.table({"a": np.arange(10, dtype=np.int64), "b": np.arange(10) % 3 == 0})
    rechunked = pa.Table.from_batches(table.to_batches(max_chunksize=3))
    assert rechunked.column("a").num_chunks > 1
    assert fingerprint_data(table, ["a", "b"])["sha256"] == fingerprint_data(rechunked, ["a", "b"])["sha256"]
    changed = table.set_column(0, "a", pa.array(np.r_[np.arange(9), 99]))
    assert fingerprint_data(changed, ["a", "b"])["sha256"] != fingerprint_data(table, ["a", "b"])["sha256"]
    meta = json.loads((visitor_run["out"] / "metadata.json").read_text())
    assert meta["data_fingerprint"] == data.fingerprint


def test_upper_case_column_names_are_matched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Warehouses like Snowflake report upper-case names; the contract's names still apply."""
    events = make_events(seed=8)
    project = _setup(tmp_path, events)
    db = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    for table in ("final_training", "final_training_columns"):
        for name in con.sql(f"select * from main.{table} limit 0").columns:
            con.execute(f'alter table main.{table} rename column "{name}" to "{name.upper()}"')
    assert "NUM_PAGE_VIEWS" in con.sql("select * from main.final_training limit 0").columns
    con.close()
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(db))
    data = _read(project)
    assert data.features == FEATURES and list(data.frame.columns) == FEATURES
    assert data.spec.kind("num_page_views") == "numeric" and data.spec.build_invocation_id == "test-build-1"
    assert data.rows_excluded_immature == int((~events[MATURITY]).sum())
