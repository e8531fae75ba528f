"""Categorical, boolean and nullable features; the hgb model; the out-of-time split.

A synthetic final_training + final_training_columns with a text attribute (with
rare values and NULLs), a nullable boolean and a nullable float, beside the
tutorial's counters. Runs are shared per module.
"""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline

from conftest_train_helpers import FEATURES, TARGET, counter_details, make_events, make_project, write_database
from prospect_model.cli import main
from prospect_model.contract import load_feature_spec
from prospect_model.profiles import resolve_target
from prospect_model.readers import open_reader
from prospect_model.reading import load_training_data
from prospect_model.splitting import make_split

EXTRA = ["first_referrer", "is_returning", "mean_gap_seconds"]
ALL_FEATURES = [*FEATURES, *EXTRA]
TYPES = {"first_referrer": "VARCHAR", "is_returning": "BOOLEAN", "mean_gap_seconds": "DOUBLE"}
DETAILS = {
    **{f: counter_details(f) for f in FEATURES},
    "first_referrer": {"data_type": "string", "feature_kind": "categorical", "aggregation": "first",
                       "signals_definition": json.dumps({"name": "first_referrer", "type": "string",
                                                         "aggregation": "first"})},
    "is_returning": {"data_type": "boolean", "feature_kind": "boolean", "aggregation": "last",
                     "default_value": "false"},
    "mean_gap_seconds": {"data_type": "float", "feature_kind": "numeric", "aggregation": "mean"},
}
REFERRERS = ["google", "direct", "newsletter", "partner", "rare-a", "rare-b"]


def rich_events(n_visitors: int = 300, seed: int = 0) -> pd.DataFrame:
    """make_events plus a text, a nullable boolean and a nullable float attribute with some signal."""
    events = make_events(n_visitors, seed=seed)
    rng = np.random.default_rng(seed + 100)
    visitors = events["domain_userid"].to_numpy()
    codes, uniques = pd.factorize(visitors)
    referrer = rng.choice(4, size=len(uniques), p=[0.4, 0.3, 0.15, 0.15])
    ref = np.array(REFERRERS, dtype=object)[referrer][codes]
    ref[rng.random(len(ref)) < 0.05] = None
    rare = rng.choice(len(ref), size=4, replace=False)  # two values of two rows each: grouped as infrequent
    ref[rare] = ["rare-a", "rare-a", "rare-b", "rare-b"]
    # The newsletter referrer converts more often.
    boost = (ref == "newsletter") & (rng.random(len(ref)) < 0.15)
    events[TARGET] = events[TARGET].to_numpy() | boost
    events["first_referrer"] = ref
    returning = pd.array(rng.random(len(events)) < 0.4, dtype="boolean")
    returning[rng.random(len(events)) < 0.1] = pd.NA
    events["is_returning"] = returning
    gaps = rng.exponential(300, size=len(events))
    gaps[events["num_page_views"].to_numpy() == 1] = np.nan  # no gap before the second event
    events["mean_gap_seconds"] = gaps
    return events


def _project(root: Path, events: pd.DataFrame, **kwargs: object) -> Path:
    project = make_project(root / "project")
    write_database(root / "warehouse.duckdb", events, features=ALL_FEATURES, feature_types=TYPES, details=DETAILS,
                   **kwargs)  # type: ignore[arg-type]
    return project


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("rich")
    events = rich_events()
    project = _project(root, events)
    runs = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DBT_PROFILES_DIR", raising=False)
        mp.delenv("DBT_TARGET", raising=False)
        mp.setenv("DBT_DUCKDB_PATH", str(root / "warehouse.duckdb"))
        for name, extra in (("logreg", []), ("hgb", ["--model", "hgb", "--cv-folds", "2"]),
                            ("time", ["--split", "time", "--cv-folds", "2"])):
            out = root / name
            runs[name] = {"rc": main(["--project-dir", str(project), "--output-dir", str(out), *extra]), "out": out}
        with open_reader(resolve_target(project_dir=project)) as reader:
            data = load_training_data(reader, load_feature_spec(reader))
    return {"events": events, "runs": runs, "data": data, "project": project, "root": root}


def _meta(run: dict) -> dict:
    return json.loads((run["out"] / "metadata.json").read_text())


def test_kinds_come_from_the_contract_and_nulls_are_kept(rich: dict) -> None:
    data = rich["data"]
    assert [data.spec.kind(f) for f in ALL_FEATURES] == ["numeric"] * 3 + ["categorical", "boolean", "numeric"]
    frame = data.frame
    assert frame["first_referrer"].isna().any() and frame["first_referrer"].dropna().isin(REFERRERS).all()
    assert frame["is_returning"].isna().any() and set(frame["is_returning"].dropna()) == {0.0, 1.0}
    assert frame["mean_gap_seconds"].isna().any()
    assert not data.dropped


def test_logreg_serves_raw_values_strings_unknown_values_and_nulls(rich: dict) -> None:
    run = rich["runs"]["logreg"]
    assert run["rc"] == 0
    meta = _meta(run)
    model = joblib.load(run["out"] / "model.joblib")
    assert isinstance(model, Pipeline) and meta["features"] == ALL_FEATURES
    serving = rich_events(40, seed=9)[ALL_FEATURES].copy()
    serving.loc[serving.index[:5], "first_referrer"] = "never-seen-before"
    serving["is_returning"] = serving["is_returning"].astype("float64")  # 0/1/NaN, as a client may send it
    prob = model.predict_proba(serving[meta["features"]])[:, 1]
    assert prob.shape == (len(serving),) and np.all((prob > 0) & (prob < 1))
    # Rare referrers are grouped; one-hot columns exist for the frequent ones only.
    names = meta["model"]["output_features"]
    assert "first_referrer_newsletter" in names and "first_referrer_rare-a" not in names
    assert any("infrequent" in n for n in names)
    contract = {c["name"]: c for c in meta["feature_contract"]}
    assert contract["first_referrer"]["feature_kind"] == "categorical"
    assert contract["first_referrer"]["signals_definition"] == {"name": "first_referrer", "type": "string",
                                                               "aggregation": "first"}
    assert contract["is_returning"]["default_value"] == "false"
    assert contract["mean_gap_seconds"]["signals_definition"] is None
    assert "NULL -> training median" in meta["model"]["preprocessing"]["mean_gap_seconds"]


def test_hgb_uses_native_categories_and_needs_no_coefficients(rich: dict) -> None:
    run = rich["runs"]["hgb"]
    assert run["rc"] == 0
    meta = _meta(run)
    model = joblib.load(run["out"] / "model.joblib")
    assert isinstance(model[-1], HistGradientBoostingClassifier)
    assert model[-1].is_categorical_ is not None and model[-1].is_categorical_.sum() == 1
    assert meta["model"]["kind"] == "hgb" and meta["coefficients"] is None and meta["intercept"] is None
    assert set(meta["permutation_importance"]) == set(ALL_FEATURES)
    names = sorted(p.name for p in run["out"].iterdir() if p.suffix == ".png")
    assert "coefficients.png" not in names and "permutation_importance.png" in names
    report = (run["out"] / "report.md").read_text()
    assert "## Coefficients" not in report and "Permutation importance" in report
    serving = rich_events(30, seed=4)[ALL_FEATURES].copy()
    serving["is_returning"] = serving["is_returning"].astype("float64")  # booleans are served as 0/1/NaN or bool
    assert model.predict_proba(serving).shape == (len(serving), 2)


def test_time_split_trains_only_on_labels_matured_before_the_cut(rich: dict) -> None:
    run = rich["runs"]["time"]
    assert run["rc"] == 0
    meta = _meta(run)
    info = meta["split_info"]
    assert meta["split"] == "time" and info["horizon_seconds"] == 3600
    data = rich["data"]
    split = make_split("time", data.y, data.groups, 0.2, 42, times=data.times, horizon_seconds=3600)
    cut = np.datetime64(info["cut_utc"].rstrip("Z"), "us").astype(np.int64)
    # No leakage: every training label's window (whole seconds: up to the end of the
    # horizon's last second) ends at or before the cut; every test row is after it.
    assert (data.times[split.train] // 10**6 * 10**6 + 3601 * 10**6 <= cut).all()
    assert (data.times[split.test] >= cut).all()
    left_out = len(data.y) - len(split.train) - len(split.test)
    assert left_out == info["rows_left_out_label_not_mature_at_cut"] > 0
    assert meta["counts"]["train"]["rows"] == len(split.train)
    assert "matured before the cut" in (run["out"] / "report.md").read_text()


def test_constant_feature_is_dropped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    events = rich_events(seed=3)
    events["first_referrer"] = "google"  # a categorical with one value
    project = _project(tmp_path, events)
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    out = tmp_path / "out"
    assert main(["--project-dir", str(project), "--output-dir", str(out), "--cv-folds", "2"]) == 0
    assert "feature first_referrer" in caplog.text and "dropped" in caplog.text
    meta = json.loads((out / "metadata.json").read_text())
    assert "first_referrer" in meta["dropped_features"] and "first_referrer" not in meta["used_features"]
    model = joblib.load(out / "model.joblib")
    # The model still takes every feature of the contract (the constant one is ignored).
    assert model.predict_proba(events[meta["features"]].head(10)).shape == (10, 2)


@pytest.mark.parametrize("legacy_contract", [False, True], ids=["contract_kind", "contract_without_kinds"])
def test_a_timestamp_attribute_is_left_out_of_the_model_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, legacy_contract: bool
) -> None:
    """An absolute time (e.g. a `max` of derived_tstamp) is no model input: the run trains on the rest and says so."""
    events = rich_events(seed=4)
    events["last_view_tstamp"] = pd.Timestamp("2024-03-01") + pd.to_timedelta(np.arange(len(events)), unit="s")
    features = [*ALL_FEATURES, "last_view_tstamp"]
    details = {**DETAILS, "last_view_tstamp": {"data_type": "timestamp", "feature_kind": "timestamp",
                                               "aggregation": "max"}}
    project = make_project(tmp_path / "project")
    write_database(tmp_path / "warehouse.duckdb", events, features=features,
                   feature_types={**TYPES, "last_view_tstamp": "TIMESTAMP"}, details=details,
                   legacy_contract=legacy_contract)
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    out = tmp_path / "out"
    assert main(["--project-dir", str(project), "--output-dir", str(out), "--cv-folds", "2"]) == 0
    assert "feature last_view_tstamp" in caplog.text and "left out of the model" in caplog.text
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["features"] == ALL_FEATURES
    assert "time_since_last" in meta["excluded_features"]["last_view_tstamp"]
    assert "Features left out of the model" in (out / "report.md").read_text()


def test_a_contract_of_timestamps_only_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = rich_events(seed=5)
    events["last_view_tstamp"] = pd.Timestamp("2024-03-01")
    project = make_project(tmp_path / "project")
    write_database(tmp_path / "warehouse.duckdb", events, features=["last_view_tstamp"],
                   feature_types={"last_view_tstamp": "TIMESTAMP"},
                   details={"last_view_tstamp": {"data_type": "timestamp", "feature_kind": "timestamp"}})
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    assert main(["--project-dir", str(project), "--output-dir", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["logreg", "hgb"])
def test_pipeline_fits_int64_columns_straight_from_duckdb(rich: dict, kind: str) -> None:
    """Regression: DuckDB ``.df()`` gives int64 counts (a float fill value) and pandas NA in nullable columns."""
    import duckdb

    from prospect_model.preprocessing import ModelOptions, build_pipeline

    data = rich["data"]
    with duckdb.connect(str(rich["root"] / "warehouse.duckdb"), read_only=True) as con:
        frame = con.sql("select * from final_training").df()
    for feature in FEATURES:
        assert frame[feature].dtype == np.int64, frame[feature].dtype
    spec = data.spec
    assert all(spec.column(f).default_value == "0" for f in FEATURES)  # a constant (float) fill value
    model = build_pipeline(spec, list(spec.features), ModelOptions(kind=kind), n_rows=len(frame))
    target = frame[TARGET].astype(bool).to_numpy()
    model.fit(frame[list(spec.features)], target)
    scores = model.predict_proba(frame[list(spec.features)])[:, 1]
    assert scores.shape == (len(frame),) and np.isfinite(scores).all()
    # Same scores as on the float64 frame the reader builds.
    floats = frame[list(spec.features)].astype({f: np.float64 for f in FEATURES})
    np.testing.assert_allclose(model.predict_proba(floats)[:, 1], scores)


def test_regularization_is_chosen_by_inner_cv_and_recorded(rich: dict) -> None:
    """Default logreg: C from the grid, chosen per fit (each CV fold's own, and the final fit's), recorded."""
    from prospect_model.modeling import C_GRID

    meta = _meta(rich["runs"]["logreg"])
    regularization = meta["model"]["regularization"]
    assert regularization["c"] in C_GRID and "inner folds" in regularization["source"]
    assert meta["model"]["params"]["C"] == regularization["c"]
    losses = regularization["inner_cv_log_loss_by_c"]
    assert len(losses) == len(C_GRID) and min(losses, key=losses.get) == f"{regularization['c']:g}"
    per_fold = meta["cross_validation"]["regularization_c_per_fold"]
    assert len(per_fold) == meta["cross_validation"]["folds"] and set(per_fold) <= set(C_GRID)
    assert f"C={regularization['c']:g}" in (rich["runs"]["logreg"]["out"] / "report.md").read_text()
    assert _meta(rich["runs"]["hgb"])["model"]["regularization"] is None


def test_inner_cv_regularizes_noise_more_than_signal(rich: dict) -> None:
    """Labels unrelated to the features get the strongest C of the grid; labels the features set, a weaker one."""
    from prospect_model.modeling import C_GRID, choose_c
    from prospect_model.preprocessing import ModelOptions

    data = rich["data"]
    frame, used = data.frame, data.used_features
    rng = np.random.default_rng(5)
    noise = rng.random(data.n_rows) < 0.3
    signal = np.arcsinh(frame["num_pricing_views"].to_numpy()) + rng.normal(0, 0.3, data.n_rows) > 0.8
    options = ModelOptions()
    c_noise = choose_c(frame, noise, data.spec, used, options, groups=data.groups).c
    c_signal = choose_c(frame, signal, data.spec, used, options, groups=data.groups).c
    assert c_noise == min(C_GRID) and c_signal > c_noise


def test_given_regularization_c_is_used(rich: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(rich["root"] / "warehouse.duckdb"))
    out = tmp_path / "out"
    assert main(["--project-dir", str(rich["project"]), "--output-dir", str(out), "--cv-folds", "2",
                 "--regularization-c", "0.5"]) == 0
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["model"]["params"]["C"] == 0.5 and meta["model"]["regularization"]["source"].startswith("given")
    assert meta["cross_validation"]["regularization_c_per_fold"] == [0.5, 0.5]


def test_small_fits_use_one_blas_thread_and_large_ones_the_default() -> None:
    """blas_threads_for: one BLAS thread below SINGLE_THREAD_BLAS_ROWS, the process's setting at or above it."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from prospect_model.modeling import SINGLE_THREAD_BLAS_ROWS, blas_threads_for

    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    with threadpool_limits(limits=2, user_api="blas"):  # as on a 2-core machine, whatever this one has
        assert blas_threads() == {2}
        with blas_threads_for(SINGLE_THREAD_BLAS_ROWS - 1):
            assert blas_threads() == {1}
        assert blas_threads() == {2}
        with blas_threads_for(SINGLE_THREAD_BLAS_ROWS):
            assert blas_threads() == {2}


def test_median_imputer_matches_scikit_learns_median_and_fills_a_column_without_values_with_0(rich: dict) -> None:
    """mean_gap_seconds (no contract default) is imputed with the median of the fitted rows, the value
    SimpleImputer(strategy="median") gives; in rows where it has no value at all it is filled with 0 (as
    strategy="median" does with keep_empty_features), and the pipeline fits and scores."""
    from sklearn.impute import SimpleImputer

    from prospect_model.preprocessing import ModelOptions, build_pipeline, empty_numeric_features

    data = rich["data"]
    frame, used, spec = data.frame, data.used_features, data.spec
    assert empty_numeric_features(frame, spec, used) == []
    model = build_pipeline(spec, used, ModelOptions(c=1.0), len(frame)).fit(frame, data.y)
    imputers = [step.named_steps["impute"] for name, step, columns in model.named_steps["preprocess"].transformers_
                if "mean_gap_seconds" in columns]
    (imputer,) = imputers
    column = list(imputer.feature_names_in_).index("mean_gap_seconds")
    reference = SimpleImputer(strategy="median", keep_empty_features=True).fit(frame[["mean_gap_seconds"]])
    assert imputer.statistics_[column] == reference.statistics_[0] and frame["mean_gap_seconds"].isna().any()

    without = frame.assign(mean_gap_seconds=np.nan)
    assert empty_numeric_features(without, spec, used) == ["mean_gap_seconds"]
    model = build_pipeline(spec, used, ModelOptions(c=1.0), len(frame),
                           empty=empty_numeric_features(without, spec, used)).fit(without, data.y)
    preprocess = model.named_steps["preprocess"]
    names = list(preprocess.get_feature_names_out())
    transformed = preprocess.transform(without)
    assert np.isfinite(transformed).all()
    assert np.unique(transformed[:, names.index("mean_gap_seconds")]).size == 1  # one fill value: 0, then scaled
    assert np.isfinite(model.predict_proba(without)[:, 1]).all()


def test_check_features_finds_constant_infinite_and_all_null_columns() -> None:
    """One value in every row (0.0 and -0.0 are one value, NULL is a value of its own) is dropped;
    an infinite value or a column without values stops the run."""
    from prospect_model.contract import FeatureColumn, FeatureSpec
    from prospect_model.errors import TrainingError
    from prospect_model.reading import check_features

    columns = {
        "zeros": ("numeric", [0.0, -0.0, 0.0]),
        "zero_or_null": ("numeric", [0.0, np.nan, 0.0]),
        "counts": ("numeric", [0.0, 1.0, 2.0]),
        "flag": ("boolean", [1.0, 1.0, 1.0]),
        "channel": ("categorical", ["a", "a", "a"]),
        "channel_or_null": ("categorical", ["a", None, "a"]),
    }

    def spec_of(names: list[str]) -> FeatureSpec:
        return FeatureSpec(features=tuple(names), target="y",
                           columns={n: FeatureColumn(n, feature_kind=columns[n][0]) for n in names})

    frame = pd.DataFrame({name: pd.Series(values, dtype=object if kind == "categorical" else np.float64)
                          for name, (kind, values) in columns.items()})
    dropped = check_features(frame, spec_of(list(columns)), "t")
    assert set(dropped) == {"zeros", "flag", "channel"}
    assert dropped["channel"] == "constant ('a' in every training row)"
    for bad, message in ((pd.Series([1.0, np.inf, np.nan]), "has infinite values"),
                         (pd.Series([-np.inf, 1.0, 2.0]), "has infinite values"),
                         (pd.Series([np.nan] * 3), "is null in all 3 training rows")):
        with pytest.raises(TrainingError, match=message):
            check_features(frame.assign(counts=bad), spec_of(list(columns)), "t")
    with pytest.raises(TrainingError, match="every feature of t is constant"):
        check_features(frame, spec_of(["zeros", "flag", "channel"]), "t")
