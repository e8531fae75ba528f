"""prospect_model.serving: Signals attribute values -> the model's input, exactly as training built it.

The models are trained by train/fit.py (logreg and hgb) on a contract-conforming
database with every feature kind (counters, a unique_list used by its length, a
boolean, a categorical with nulls). Every training row is turned into the dict
Signals would return for it (lists for unique_list, booleans, qualified names for
some), and the serving frame must equal the training step's own frame of that
table, cell for cell, and score the same to the last bit.
"""

from __future__ import annotations

import json
import math
import shutil
import socket
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

import conftest_train_helpers as helpers
import serving_helpers as sh
from prospect_model.contract import load_feature_spec
from prospect_model.profiles import resolve_target
from prospect_model.readers import open_reader
from prospect_model.reading import prepare_training_data, read_training_table
from prospect_model.server import main as serve_main
from prospect_model.serving import MODEL_DIR_ENV, FeatureContract, ServingError, ServingModel, attribute_name

GROUP = "prospect_scoring_v1"


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("rich")
    db = sh.rich_database(work / "rich.duckdb")
    project = helpers.make_project(work / "project")
    models = {
        "logreg": sh.fit(db, work / "logreg"),
        "hgb": sh.fit(db, work / "hgb", "--model", "hgb", "--cv-folds", "2"),
    }
    return {"db": db, "project": project, "models": models}


def training_frame(db: Path, project: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """The training step's own frame of final_training (mature rows, in its read order)."""
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(db))
    target = resolve_target(project_dir=project, profiles_dir=project, target=None)
    with open_reader(target) as reader:
        spec = load_feature_spec(reader)
        raw = read_training_table(reader, spec)
    return prepare_training_data(raw).frame.reset_index(drop=True)


def signals_answer(row: dict[str, Any], qualify: bool) -> dict[str, Any]:
    """What Signals returns for a visitor whose attributes have this row's values."""
    answer: dict[str, Any] = {"domain_userid": "some-visitor"}
    for name, value in row.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            value = None
        elif name == "num_sessions":  # a unique_list: the sessions themselves
            value = [f"session-{i}" for i in range(int(value))]
        elif name == "is_mobile":
            value = bool(value)
        elif name.startswith("num_"):
            value = int(value)
        answer[f"{GROUP}:{name}" if qualify else name] = value
    return answer


def mature_rows(db: Path, features: list[str]) -> list[dict[str, Any]]:
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.execute(
            f"select {', '.join(features)} from final_training where is_label_mature "
            "order by derived_tstamp, event_id"
        ).df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@pytest.mark.parametrize("kind", ["logreg", "hgb"])
def test_every_training_row_served_equals_the_training_frame_and_score(
    rich: dict[str, Any], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ServingModel.load(rich["models"][kind])
    assert model.features == sh.RICH_FEATURES and model.version["kind"] == kind
    expected = training_frame(rich["db"], rich["project"], monkeypatch)
    rows = mature_rows(rich["db"], model.features)
    assert len(rows) == len(expected) > 1000
    prepared = [model.prepare(signals_answer(row, qualify=i % 2 == 0)) for i, row in enumerate(rows)]
    assert all(p.ignored == ["domain_userid"] for p in prepared)
    served = model.frame([p.values for p in prepared])
    pd.testing.assert_frame_equal(served, expected, check_exact=True)
    assert served["first_refr_medium"].isna().sum() > 0  # nulls stay nulls (their own category)
    pipeline_scores = model.model.predict_proba(expected)[:, 1]
    np.testing.assert_array_equal(model.predict_frame(served), pipeline_scores)
    one = model.score(signals_answer(rows[7], qualify=True))
    # Bit for bit against the pipeline on the same one row; against the batch's score to the last few bits
    # only: BLAS sums a batch of rows in another order than one row (the fast path's test below).
    assert one.score == model.model.predict_proba(expected.iloc[[7]])[:, 1][0]
    assert one.score == pytest.approx(pipeline_scores[7], rel=1e-12, abs=0.0)
    assert one.is_prospect == (one.score >= model.threshold)


@pytest.mark.parametrize("kind", ["logreg", "hgb"])
def test_the_saved_pipeline_scores_a_duckdb_frame_as_the_training_frame(
    rich: dict[str, Any], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README: joblib.load(p).predict_proba(df[features]) on final_training read with DuckDB's .df(),
    whose text columns hold NULL as NaN (pandas' str dtype), scores as training's None does."""
    model = ServingModel.load(rich["models"][kind])
    expected = training_frame(rich["db"], rich["project"], monkeypatch)
    with duckdb.connect(str(rich["db"]), read_only=True) as con:
        raw = con.execute("select * from final_training where is_label_mature").df()
    assert len(raw) == len(expected) and raw["first_refr_medium"].isna().sum() > 0
    # The same rows in another order: the sorted scores agree row for row.
    np.testing.assert_allclose(np.sort(model.model.predict_proba(raw[model.features])[:, 1]),
                               np.sort(model.model.predict_proba(expected)[:, 1]), rtol=1e-12, atol=0)


@pytest.mark.parametrize("kind", ["logreg", "hgb"])
def test_the_fast_path_scores_every_row_exactly_as_the_pipeline(
    rich: dict[str, Any], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """score() / predict_rows() call the pipeline's fitted steps on numpy arrays (fast_path.py): the same
    numbers, bit for bit, as predict_proba on the one-row DataFrame, for every row (and for all rows at once)."""
    model = ServingModel.load(rich["models"][kind])
    assert model._fast is not None  # this project's pipeline: the fast path is the one in use
    expected = training_frame(rich["db"], rich["project"], monkeypatch)
    rows = mature_rows(rich["db"], model.features)
    prepared = [model.prepare(signals_answer(row, qualify=False)).values for row in rows]
    np.testing.assert_array_equal(model.predict_rows(prepared), model.model.predict_proba(expected)[:, 1])
    for index in range(0, len(rows), 7):
        one_row = model.model.predict_proba(expected.iloc[[index]])[:, 1][0]
        assert model.predict_rows([prepared[index]])[0] == one_row, index
        assert model.score(signals_answer(rows[index], qualify=True)).score == one_row, index


def _fitted_pipeline(encoder: Any, classifier: Any) -> tuple[Any, pd.DataFrame]:
    """A preprocess -> classifier pipeline over generated data: two numeric groups (median and
    constant fill, asinh, scaling), one boolean, two categorical columns with rare values and nulls."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    rng = np.random.default_rng(7)
    n = 600
    frame = pd.DataFrame({
        "a": np.where(rng.random(n) < 0.2, np.nan, rng.exponential(3, n)),
        "b": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 50, n).astype(float)),
        "flag": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 2, n).astype(float)),
        "c1": pd.Series(rng.choice(["x", "y", "z", "rare1", "rare2", None], n, p=[.4, .3, .2, .02, .02, .06]),
                        dtype=object),
        "c2": pd.Series(rng.choice(["p", "q", "r"], n), dtype=object),
    })
    target = (rng.random(n) < 0.3 + 0.1 * (frame["c2"] == "p")).astype(int)
    numeric = [("impute", SimpleImputer(strategy="median")), ("asinh", FunctionTransformer(np.arcsinh)),
               ("scale", StandardScaler())]
    preprocess = ColumnTransformer([
        ("numeric_0", Pipeline(numeric), ["a"]),
        ("numeric_1", Pipeline([("impute", SimpleImputer(strategy="constant", fill_value=0.0)),
                                ("scale", StandardScaler())]), ["b"]),
        ("boolean_0", SimpleImputer(strategy="most_frequent"), ["flag"]),
        ("categorical", encoder, ["c1", "c2"]),
    ], remainder="drop", sparse_threshold=0.0)
    pipeline = Pipeline([("preprocess", preprocess), ("classifier", classifier)]).fit(frame, target)
    return pipeline, frame


@pytest.mark.parametrize("case", ["onehot_infrequent", "onehot_ignore", "onehot_error", "ordinal_hgb"])
def test_the_fast_path_equals_the_pipeline_on_unknown_null_and_odd_values(case: str) -> None:
    """Known, infrequent, unknown and null categories, non-text values, NaN and None numbers: the fast
    path gives predict_proba's numbers bit for bit, and an encoder that refuses unknown values refuses
    them the same way."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    from prospect_model.fast_path import FastScorer

    encoder: Any = {
        "onehot_infrequent": OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=30,
                                           sparse_output=False),
        "onehot_ignore": OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        "onehot_error": OneHotEncoder(handle_unknown="error", sparse_output=False),
        "ordinal_hgb": OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan,
                                      encoded_missing_value=np.nan, min_frequency=30),
    }[case]
    classifier: Any = HistGradientBoostingClassifier(random_state=0) if case == "ordinal_hgb" \
        else LogisticRegression(max_iter=500)
    pipeline, frame = _fitted_pipeline(encoder, classifier)
    dtypes = {"a": "float64", "b": "float64", "flag": "float64", "c1": "object", "c2": "object"}
    scorer = FastScorer.for_model(pipeline, dtypes)
    assert scorer is not None
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    odd = [
        {"a": None, "b": None, "flag": None, "c1": None, "c2": "p"},
        {"a": 0.0, "b": 1e9, "flag": 1.0, "c1": "rare1", "c2": "q"},
        {"a": -3.5, "b": 2.0, "flag": 0.0, "c1": "rare2", "c2": "r"},
        {"a": 1.0, "b": 2.0, "flag": 1.0, "c1": "x", "c2": None},  # None never seen in c2
    ]
    unknown = [
        {"a": 1.0, "b": 2.0, "flag": 1.0, "c1": "never-seen", "c2": "p"},
        {"a": 1.0, "b": 2.0, "flag": 1.0, "c1": "x", "c2": "also-new"},
        {"a": 1.0, "b": 2.0, "flag": 0.0, "c1": 5, "c2": "p"},  # not text
    ]

    def pipeline_scores(batch: list[dict[str, Any]]) -> np.ndarray:
        columns = {c: (pd.Series([r[c] for r in batch], dtype=object) if dtypes[c] == "object"
                       else np.array([np.nan if r[c] is None else r[c] for r in batch], dtype=float))
                   for c in dtypes}
        return pipeline.predict_proba(pd.DataFrame(columns))[:, 1]

    batch = [*rows, *odd] if case != "onehot_error" else [*rows, *odd[:3]]
    np.testing.assert_array_equal(scorer.predict(batch), pipeline_scores(batch))
    for row in batch[::37]:
        assert scorer.predict([row])[0] == pipeline_scores([row])[0]
    for row in (unknown if case != "onehot_error" else unknown + odd[3:]):
        if case == "onehot_error":
            with pytest.raises(ValueError, match="unknown categor"):
                pipeline_scores([row])
            with pytest.raises(ValueError, match="unknown categor"):
                scorer.predict([row])
        else:
            assert scorer.predict([row])[0] == pipeline_scores([row])[0], row


def test_a_model_of_another_shape_is_scored_through_predict_proba(rich: dict[str, Any]) -> None:
    """A model that is not this project's preprocess -> classifier pipeline gets no fast path, and still scores."""
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import Pipeline

    served = ServingModel.load(rich["models"]["logreg"])
    frame = served.frame([served.prepare({}).values] * 3)
    other = Pipeline([("classifier", DummyClassifier(strategy="prior"))]).fit(frame, [0, 1, 1])
    model = ServingModel(other, served.metadata)
    assert model._fast is None
    assert model.score({}).score == pytest.approx(2 / 3)


def test_missing_and_null_attributes_get_the_contract_defaults(rich: dict[str, Any]) -> None:
    model = ServingModel.load(rich["models"]["logreg"])
    nothing = model.score({})
    assert nothing.inputs == {"num_page_views": 0.0, "num_pricing_views": 0.0, "num_customers_views": 0.0,
                              "num_sessions": 0.0, "is_mobile": False, "first_refr_medium": None}
    assert nothing.defaulted == model.features
    nulls = model.score({name: None for name in model.features})
    explicit = model.score({"num_page_views": 0, "num_pricing_views": 0, "num_customers_views": 0,
                            "num_sessions": [], "is_mobile": False, "first_refr_medium": None})
    assert nothing.score == nulls.score == explicit.score
    assert explicit.defaulted == ["first_refr_medium"]


def test_unknown_keys_are_ignored_and_reported(rich: dict[str, Any]) -> None:
    model = ServingModel.load(rich["models"]["logreg"])
    base = {"num_page_views": 5, "first_refr_medium": "search"}
    noisy = {**base, "domain_userid": "abc", "other_group_v3:num_page_viewz": "text", "latest_app_id": ["x"]}
    assert model.score(noisy).score == model.score(base).score
    assert model.score(noisy).ignored == ["domain_userid", "other_group_v3:num_page_viewz", "latest_app_id"]


def test_qualified_and_plain_names_are_the_same_attribute(rich: dict[str, Any]) -> None:
    model = ServingModel.load(rich["models"]["logreg"])
    assert attribute_name("prospect_scoring_v2:num_page_views") == "num_page_views"
    assert model.score({"g_v1:num_page_views": 4}).score == model.score({"num_page_views": 4}).score
    assert model.score({"g_v1:num_page_views": 4, "num_page_views": 4}).inputs["num_page_views"] == 4.0
    with pytest.raises(ServingError, match="num_page_views is given twice with different values"):
        model.score({"g_v1:num_page_views": 4, "num_page_views": 5})


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"num_page_views": "3"}, 'attribute num_page_views must be a number, not a string "3"'),
        ({"num_page_views": True}, "attribute num_page_views must be a number, not a boolean true"),
        ({"num_page_views": [1, 2]}, "attribute num_page_views must be a number, not a list"),
        ({"num_page_views": float("inf")}, "attribute num_page_views must be a finite number"),
        ({"num_page_views": 10**400}, "attribute num_page_views must be a finite number"),
        ({"num_page_views": -5}, "attribute num_page_views is a counter: it cannot be negative"),
        ({"num_page_views": 2.5}, "attribute num_page_views is a counter: it must be a whole number, not 2.5"),
        ({"num_sessions": 3}, "attribute num_sessions must be a list (a unique_list, used by its length), not a number 3"),
        ({"is_mobile": 1}, "attribute is_mobile must be true or false, not a number 1"),
        ({"is_mobile": "true"}, 'attribute is_mobile must be true or false, not a string "true"'),
        ({"first_refr_medium": 7}, "attribute first_refr_medium must be a string (a category), not a number 7"),
        ({"first_refr_medium": {"a": 1}}, "attribute first_refr_medium must be a string (a category), not an object"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_clear_error(rich: dict[str, Any], attributes: dict, message: str) -> None:
    model = ServingModel.load(rich["models"]["hgb"])
    with pytest.raises(ServingError) as error:
        model.score(attributes)
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


def test_counts_and_times_since_are_checked_by_their_aggregation(rich: dict[str, Any]) -> None:
    """A whole float counts (Signals may send 3.0); a time since an earlier event is never negative."""
    model = ServingModel.load(rich["models"]["logreg"])
    assert model.score({"num_page_views": 3.0}).score == model.score({"num_page_views": 3}).score
    since = FeatureContract.from_metadata({"name": "t", "feature_kind": "numeric", "aggregation": "time_since_last"},
                                          "m")
    assert since.model_value(0.5) == 0.5 and since.model_value(0) == 0.0
    with pytest.raises(ServingError, match="attribute t is a time_since_last: it cannot be negative, not -1.5"):
        since.model_value(-1.5)
    # Signals' own answer: an event stamped ahead of its clock is no time ago; a distinct count is its estimate
    assert since.model_value(-1.5, from_signals=True) == 0.0
    distinct = FeatureContract.from_metadata({"name": "d", "feature_kind": "numeric",
                                              "aggregation": "approx_count_distinct"}, "m")
    assert distinct.model_value(2.5, from_signals=True) == 2.5
    with pytest.raises(ServingError, match="attribute d is a approx_count_distinct: it must be a whole number"):
        distinct.model_value(2.5)
    with pytest.raises(ServingError, match="attribute d is a approx_count_distinct: it cannot be negative"):
        distinct.model_value(-1, from_signals=True)


def test_a_request_of_unknown_names_only_is_refused_when_asked(rich: dict[str, Any]) -> None:
    """The API's callers: misspelled names alone would be scored on defaults. An empty object (no
    history) and Signals' answer for an unseen visitor (its key only) are scored on defaults."""
    model = ServingModel.load(rich["models"]["logreg"])
    with pytest.raises(ServingError, match=r"none of the attributes given is a feature of this model \(unknown: "
                                           r"'num_page_view', 'pricing_views'\); its features are num_page_views"):
        model.score({"num_page_view": 3, "pricing_views": 1}, require_known=True)
    assert model.score({}, require_known=True).defaulted == model.features
    # Signals' answer for a visitor it has not seen (the entity key only), posted by a caller: defaults
    assert model.score({"domain_userid": "abc"}, require_known=True).ignored == ["domain_userid"]
    with pytest.raises(ServingError, match=r"\(unknown: 'num_page_view'\)"):
        model.score({"domain_userid": "abc", "num_page_view": 3}, require_known=True)
    assert model.score({"num_page_view": 3, "num_page_views": 3}, require_known=True).ignored == ["num_page_view"]


def test_attributes_must_be_an_object(rich: dict[str, Any]) -> None:
    model = ServingModel.load(rich["models"]["logreg"])
    with pytest.raises(ServingError, match="attributes must be an object"):
        model.score([1, 2, 3])  # type: ignore[arg-type]


def test_unseen_category_scores_like_other_unseen_values(rich: dict[str, Any]) -> None:
    model = ServingModel.load(rich["models"]["logreg"])
    one, other = model.score({"first_refr_medium": "never-seen-1"}), model.score({"first_refr_medium": "never-seen-2"})
    assert one.score == other.score and one.inputs["first_refr_medium"] == "never-seen-1"


def test_categorical_of_a_boolean_or_integer_column_is_its_text() -> None:
    as_bool = FeatureContract.from_metadata({"name": "b", "feature_kind": "categorical", "data_type": "boolean"}, "m")
    as_int = FeatureContract.from_metadata({"name": "i", "feature_kind": "categorical", "data_type": "integer"}, "m")
    assert as_bool.model_value(True) == "true" and as_bool.model_value(False) == "false"
    assert as_int.model_value(3) == "3"
    with pytest.raises(ServingError):
        as_int.model_value(3.5)
    with pytest.raises(ServingError):
        as_bool.model_value(1)


def test_contract_defaults_are_parsed_by_kind() -> None:
    def default(kind: str, raw: Any) -> Any:
        return FeatureContract.from_metadata({"name": "f", "feature_kind": kind, "default_value": raw}, "m").default
    assert default("numeric", "0") == 0.0 and default("numeric", "2.5") == 2.5
    assert default("boolean", "false") is False and default("boolean", "TRUE") is True
    assert default("categorical", "direct") == "direct" and default("categorical", None) is None
    # final_training_columns stores defaults as JSON (dbt's tojson): the quotes are not part of the value,
    # which must equal what training saw (the SQL fills NULL with the plain value).
    assert default("categorical", '"direct"') == "direct" and default("categorical", '"42"') == "42"
    assert default("numeric", "5") == 5.0 and default("boolean", "true") is True
    assert default("categorical", "null") is None  # JSON null is no default, not the text "None"
    with pytest.raises(ServingError, match="default_value of f must be a number"):
        default("numeric", "zero")
    with pytest.raises(ServingError, match="default_value of f must be true or false"):
        default("boolean", "maybe")


def _copy_run(source: Path, destination: Path) -> Path:
    run = (source / "current").resolve()
    shutil.copytree(run, destination)
    return destination


def test_loads_both_files_from_the_current_run(rich: dict[str, Any]) -> None:
    model = ServingModel.load(rich["models"]["logreg"])
    assert "/runs/" in model.source and model.source.endswith("metadata.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.pop("feature_contract"), "has no feature_contract"),
        (lambda m: m.update(threshold=1.5), "threshold must be a number between 0 and 1"),
        (lambda m: m.update(threshold=None), "threshold must be a number between 0 and 1"),
        (lambda m: m["feature_contract"].reverse(), "model.joblib and metadata.json are from different runs"),
        (lambda m: m["feature_contract"][0].update(feature_kind="text"), "feature_kind 'text'"),
        (lambda m: m["feature_contract"][3].update(serving_transform="sqrt"), "unknown serving_transform 'sqrt'"),
        # an hgb run's metadata beside a logreg model.joblib
        (lambda m: m["model"].update(kind="hgb"),
         "describes a hgb model, but model.joblib holds a LogisticRegression; model.joblib and metadata.json are"),
    ],
)
def test_an_unusable_model_folder_is_one_clear_error(rich: dict[str, Any], tmp_path: Path, change, message: str) -> None:
    folder = _copy_run(rich["models"]["logreg"], tmp_path / "model")
    metadata = json.loads((folder / "metadata.json").read_text())
    change(metadata)
    (folder / "metadata.json").write_text(json.dumps(metadata))
    with pytest.raises(ServingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ServingModel.load(folder)


def test_missing_or_broken_files_are_one_clear_error(rich: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ServingError, match="model.joblib not found; train first"):
        ServingModel.load(tmp_path / "nowhere")
    folder = _copy_run(rich["models"]["logreg"], tmp_path / "model")
    (folder / "model.joblib").write_bytes(b"not a pickle")
    with pytest.raises(ServingError, match="cannot load .*model.joblib"):
        ServingModel.load(folder)
    (folder / "metadata.json").write_text("{broken")
    with pytest.raises(ServingError, match="cannot read .*metadata.json"):
        ServingModel.load(folder)


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_a_bad_port_is_one_line_before_anything_starts(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_main(["--port", port]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: argument --port: ") and len(err.strip().splitlines()) == 1



def test_a_port_in_use_is_one_line_before_uvicorn_starts(rich: dict[str, Any], capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_DIR_ENV, "unset-by-the-test")  # main() sets it; restored afterwards
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        rc = serve_main(["--model-dir", str(rich["models"]["logreg"]), "--host", "127.0.0.1", "--port", str(port)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.strip() == f"error: cannot listen on 127.0.0.1:{port}: the port is in use (another prospect-serve?); " \
                          "choose another with --port"


def test_the_port_check_binds_as_the_server_does() -> None:
    """IPv4 and IPv6 are separate sockets (IPv6-only, as asyncio binds them): a port taken on
    0.0.0.0 is in use for 0.0.0.0, 127.0.0.1 and localhost, and free for `::`."""
    from prospect_model.server import _cannot_listen  # noqa: PLC0415

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104 - a test socket
        taken.listen()
        port = taken.getsockname()[1]
        for host in ("0.0.0.0", "127.0.0.1", "localhost"):  # noqa: S104
            assert _cannot_listen(host, port) == "the port is in use (another prospect-serve?); choose another " \
                                                 "with --port", host
        assert _cannot_listen("::", port) is None
    assert _cannot_listen("127.0.0.1", port) is None
    assert (_cannot_listen("no.such.host.invalid", port) or "").startswith("unknown host")
