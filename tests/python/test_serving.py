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
from prospect_model.serving import FeatureContract, ServingError, ServingModel, attribute_name

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
    assert one.score == pipeline_scores[7]
    assert one.is_prospect == (one.score >= model.threshold)


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
