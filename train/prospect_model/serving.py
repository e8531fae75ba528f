"""Score one visitor with a trained model: Signals attribute values -> model input -> score.

:class:`ServingModel` loads ``model.joblib`` and ``metadata.json`` once (from the
output folder of ``train/fit.py``) and turns one visitor's attribute values, as
Signals returns them, into the model's input exactly as ``final_training`` has it:

* names may be plain (``num_pricing_views``) or qualified by the attribute group
  (``prospect_scoring_v1:num_pricing_views``, what the Signals API returns); keys
  that are not features of the model (the attribute key, other attributes) are
  ignored and reported;
* a feature that is missing or null gets the contract's ``default_value`` (what
  ``final_training`` holds for a visitor without matching earlier events, e.g. 0
  for a counter); a feature without a default stays null (NaN / None), as in
  ``final_training``;
* ``serving_transform: length`` (a ``unique_list`` attribute used by its number of
  values): the list is replaced by its length;
* types: numeric features take numbers (not booleans, not strings), boolean
  features ``true``/``false``, categorical features strings. Anything else is a
  :class:`ServingError` whose message names the feature, the expected and the
  received type.

The contract is ``metadata.json``'s ``feature_contract`` (the rows of dbt's
``final_training_columns`` that were trained on, in feature order) and the
decision threshold its ``threshold``. Only numpy, pandas and joblib are needed
here (not the Signals SDK), so the same module serves in the project's
environment and in ``.venv-signals``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

from .errors import OneLineError
from .fast_path import FastScorer

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
DEFAULT_MODEL_DIR = "artifacts"
#: train/fit.py's link to the run in use (``<output-dir>/current -> runs/<id>``).
CURRENT_RUN = "current"
#: Environment variable naming the model folder (used by the server and the CLIs).
MODEL_DIR_ENV = "PROSPECT_MODEL_DIR"

FEATURE_KINDS = ("numeric", "boolean", "categorical")
SERVING_TRANSFORMS = (None, "length")


#: The attribute key of the Signals attributes (the entity); Signals' answer carries it.
ENTITY_KEY = "domain_userid"
#: Aggregations whose value counts events or values: whole numbers >= 0.
COUNT_AGGREGATIONS: tuple[str, ...] = ("counter", "approx_count_distinct")
#: Aggregations whose value is a time since an earlier event: >= 0.
TIME_SINCE_AGGREGATIONS: tuple[str, ...] = ("time_since_first", "time_since_last")

class ServingError(OneLineError, ValueError):
    """Bad input for scoring (or an unusable model folder); ``str(error)`` is one line."""


@dataclass(frozen=True)
class FeatureContract:
    """One feature of the model, as trained (a ``feature_contract`` entry)."""

    name: str
    feature_kind: str
    data_type: str | None = None
    aggregation: str | None = None
    default: Any = None
    serving_transform: str | None = None
    signals_definition: dict[str, Any] | None = None
    description: str = ""

    @classmethod
    def from_metadata(cls, entry: Mapping[str, Any], source: str) -> FeatureContract:
        """Parse and check one entry of ``feature_contract``."""
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise ServingError(f"{source}: a feature_contract entry has no name: {entry!r}")
        kind = entry.get("feature_kind") or "numeric"
        if kind not in FEATURE_KINDS:
            raise ServingError(
                f"{source}: feature {name} has feature_kind {kind!r}; expected one of {', '.join(FEATURE_KINDS)}"
            )
        transform = entry.get("serving_transform") or None
        if transform not in SERVING_TRANSFORMS:
            raise ServingError(f"{source}: feature {name} has unknown serving_transform {transform!r}")
        if transform == "length" and kind != "numeric":
            raise ServingError(f"{source}: feature {name} has serving_transform length but kind {kind}")
        definition = entry.get("signals_definition")
        if isinstance(definition, str):
            try:
                definition = json.loads(definition)
            except json.JSONDecodeError as exc:
                raise ServingError(f"{source}: signals_definition of {name} is not JSON: {exc}") from exc
        if definition is not None and not isinstance(definition, dict):
            raise ServingError(f"{source}: signals_definition of {name} must be a JSON object")
        contract = cls(
            name=name,
            feature_kind=kind,
            data_type=entry.get("data_type"),
            aggregation=entry.get("aggregation"),
            serving_transform=transform,
            signals_definition=definition,
            description=str(entry.get("description") or ""),
        )
        default = entry.get("default_value")
        if default is not None:
            try:
                default = contract.parse_default(default)
            except ServingError as exc:
                raise ServingError(f"{source}: {exc}") from None
        return cls(**{**contract.__dict__, "default": default})

    def parse_default(self, raw: Any) -> Any:  # noqa: PLR0911 - one return per kind
        """The default in the model's type. The contract table stores it as JSON text (dbt's
        ``tojson``: ``"direct"`` with its quotes, ``5``, ``true``); plain text is taken as is."""
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                pass
            if raw is None:  # JSON null: no default
                return None
        if self.feature_kind == "numeric":
            if isinstance(raw, bool):
                raise ServingError(f"default_value of {self.name} must be a number, not {raw!r}")
            try:
                value = float(raw)
            except (TypeError, ValueError):
                raise ServingError(f"default_value of {self.name} must be a number, not {raw!r}") from None
            if not math.isfinite(value):
                raise ServingError(f"default_value of {self.name} must be finite, not {raw!r}")
            return value
        if self.feature_kind == "boolean":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("true", "1"):
                return True
            if text in ("false", "0"):
                return False
            raise ServingError(f"default_value of {self.name} must be true or false, not {raw!r}")
        if isinstance(raw, bool):  # a categorical of a boolean column is read as its text
            return "true" if raw else "false"
        return str(raw)

    def model_value(self, value: Any, *, from_signals: bool = False) -> Any:  # noqa: PLR0911 - one return per kind
        """One attribute value -> the value the model sees.

        ``None`` means missing: the default. Raises :class:`ServingError` on a wrong type. A
        caller's value must be what training computed (a whole count, a time since >= 0);
        ``from_signals``: Signals' own value is taken as Signals computes it (a time since an
        event stamped ahead of its clock is 0, a distinct count is its estimate).
        """
        if value is None:
            return self.default
        if self.serving_transform == "length":
            if not isinstance(value, (list, tuple)):
                raise ServingError(
                    f"attribute {self.name} must be a list (a unique_list, used by its length), "
                    f"not {_type_name(value)} {_short(value)}"
                )
            return float(len(value))
        if self.feature_kind == "numeric":
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise ServingError(
                    f"attribute {self.name} must be a number, not {_type_name(value)} {_short(value)}"
                )
            try:
                number = float(value)
            except OverflowError:
                raise ServingError(f"attribute {self.name} must be a finite number, not {_short(value)}") from None
            if not math.isfinite(number):
                raise ServingError(f"attribute {self.name} must be a finite number, not {value!r}")
            if number < 0 and from_signals and self.aggregation in TIME_SINCE_AGGREGATIONS:
                return 0.0
            if number < 0 and self.aggregation in COUNT_AGGREGATIONS + TIME_SINCE_AGGREGATIONS:
                raise ServingError(
                    f"attribute {self.name} is a {self.aggregation}: it cannot be negative, not {value!r}"
                )
            if self.aggregation in COUNT_AGGREGATIONS and not number.is_integer() and not from_signals:
                raise ServingError(
                    f"attribute {self.name} is a {self.aggregation}: it must be a whole number, not {value!r}"
                )
            return number
        if self.feature_kind == "boolean":
            if not isinstance(value, (bool, np.bool_)):
                raise ServingError(
                    f"attribute {self.name} must be true or false, not {_type_name(value)} {_short(value)}"
                )
            return bool(value)
        if isinstance(value, str):
            return value
        # Training reads a categorical of a boolean or integer column as its text.
        data_type = (self.data_type or "").lower()
        if isinstance(value, (bool, np.bool_)) and data_type in ("boolean", "bool"):
            return "true" if value else "false"
        if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)) and data_type in (
            "integer", "int", "int32", "int64", "bigint",
        ):
            return str(int(value))
        raise ServingError(
            f"attribute {self.name} must be a string (a category), not {_type_name(value)} {_short(value)}"
        )


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else json.dumps(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def attribute_name(key: str) -> str:
    """``group_v1:attr`` -> ``attr``; a plain name stays as it is."""
    return key.rsplit(":", 1)[-1] if ":" in key else key


@dataclass
class PreparedInput:
    """One visitor's model input and how it was obtained."""

    values: dict[str, Any]
    defaulted: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


@dataclass
class Score:
    """The model's score for one visitor."""

    score: float
    threshold: float
    is_prospect: bool
    inputs: dict[str, Any]
    defaulted: list[str]
    ignored: list[str]


class ServingModel:
    """A trained model with its feature contract, loaded once."""

    def __init__(self, model: Any, metadata: Mapping[str, Any], source: str = "metadata.json") -> None:
        self.model = model
        self.metadata = dict(metadata)
        self.source = source
        contract = metadata.get("feature_contract")
        if not isinstance(contract, list) or not contract:
            raise ServingError(
                f"{source} has no feature_contract (the features the model was trained on); "
                "retrain with this project's train/fit.py"
            )
        self.contract = [FeatureContract.from_metadata(e, source) for e in contract]
        names = [c.name for c in self.contract]
        if len(set(names)) != len(names):
            raise ServingError(f"{source}: feature_contract lists a feature more than once")
        threshold = metadata.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
            raise ServingError(f"{source}: threshold must be a number between 0 and 1, not {threshold!r}")
        self.threshold = float(threshold)
        self.features = names
        self._by_name = {c.name: c for c in self.contract}
        model_names = getattr(model, "feature_names_in_", None)
        if model_names is not None and list(model_names) != names:
            raise ServingError(
                f"{source}: the model was fitted on columns {list(model_names)}, but feature_contract "
                f"lists {names}; model.joblib and metadata.json are from different runs"
            )
        if not hasattr(model, "predict_proba"):
            raise ServingError(f"the model beside {source} (model.joblib) has no predict_proba; "
                               "it was not written by this project's train/fit.py")
        kind = metadata.get("model", {}).get("kind") if isinstance(metadata.get("model"), dict) else None
        steps = getattr(model, "named_steps", {})
        classifier = type(steps.get("classifier")).__name__ if "classifier" in steps else None
        classes = {"logreg": "LogisticRegression", "hgb": "HistGradientBoostingClassifier"}
        expected = classes.get(str(kind))
        # the project's own kinds swapped (another classifier of the same shape still scores)
        if expected and classifier in classes.values() and classifier != expected:
            raise ServingError(
                f"{source} describes a {kind} model, but model.joblib holds a {classifier}; "
                "model.joblib and metadata.json are from different runs"
            )
        self._dtypes = {c.name: _column_dtype(c) for c in self.contract}
        # one visitor per request: the pipeline's own fitted steps on numpy arrays (fast_path.py)
        self._fast = FastScorer.for_model(model, self._dtypes)

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, model_dir: str | os.PathLike[str] = DEFAULT_MODEL_DIR) -> ServingModel:
        """Load ``model.joblib`` and ``metadata.json`` from ``model_dir``.

        When ``model_dir`` is an output folder of ``train/fit.py`` (a ``current`` link
        to the run in use), both files are read from that one run, so a training run
        that switches ``current`` meanwhile cannot pair a new model with old metadata.
        """
        directory = Path(model_dir)
        current = directory / CURRENT_RUN
        if current.is_dir():  # train/fit.py's layout: both files from the one run in use
            directory = current.resolve()
        model_path, metadata_path = directory / MODEL_FILE, directory / METADATA_FILE
        for path in (model_path, metadata_path):
            if not path.is_file():
                raise ServingError(
                    f"{path} not found; train first (python train/fit.py --output-dir {directory}) "
                    "or pass the folder that holds model.joblib and metadata.json"
                )
        try:
            metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ServingError(f"cannot read {metadata_path}: {exc}") from exc
        if not isinstance(metadata, dict):
            raise ServingError(f"{metadata_path} is not a JSON object")
        try:
            model = joblib.load(model_path)
        except Exception as exc:  # unpickling errors are of many kinds
            raise ServingError(
                f"cannot load {model_path}: {type(exc).__name__}: {' '.join(str(exc).split())[:200]} "
                "(was it written by this project's train/fit.py with the pinned scikit-learn?)"
            ) from exc
        return cls(model, metadata, source=str(metadata_path))

    # ------------------------------------------------------------------ facts

    @property
    def version(self) -> dict[str, Any]:
        """What identifies the model: when it was trained, on which data, which kind."""
        metadata = self.metadata
        fingerprint = metadata.get("data_fingerprint")
        model = metadata.get("model") if isinstance(metadata.get("model"), dict) else {}
        return {
            "trained_at": metadata.get("trained_at_utc") or metadata.get("trained_at"),
            "data_fingerprint": fingerprint.get("sha256") if isinstance(fingerprint, dict) else fingerprint,
            "kind": model.get("kind"),  # type: ignore[union-attr]
            "target": metadata.get("target"),
        }

    # ------------------------------------------------------------------ input

    def prepare(self, attributes: Mapping[str, Any], *, require_known: bool = False,
                from_signals: bool = False) -> PreparedInput:
        """One visitor's attribute values -> the model's input values (see the module doc).

        ``require_known``: a mapping with names other than the entity key, none of which is a
        feature, is refused (a caller's misspellings, or another model's attributes, would be
        scored on defaults alone). ``from_signals``: the values are Signals' answer
        (:meth:`FeatureContract.model_value`).
        """
        if not isinstance(attributes, Mapping):
            raise ServingError(f"attributes must be an object of name: value, not {_type_name(attributes)}")
        raw: dict[str, Any] = {}
        seen_as: dict[str, str] = {}
        ignored: list[str] = []
        for key, value in attributes.items():
            if not isinstance(key, str):
                raise ServingError(f"attribute names must be strings, not {key!r}")
            name = attribute_name(key)
            if name not in self._by_name:
                ignored.append(key)
                continue
            if name in raw and raw[name] != value:
                raise ServingError(
                    f"attribute {name} is given twice with different values ({seen_as[name]} and {key})"
                )
            raw[name] = value
            seen_as[name] = key
        unknown = [key for key in ignored if attribute_name(key) != ENTITY_KEY]
        if require_known and unknown and not raw:
            # A request whose every name is unknown would be scored on defaults alone (a misspelling,
            # or another model's attributes); an empty object is a visitor without history.
            raise ServingError(
                f"none of the attributes given is a feature of this model (unknown: {', '.join(map(repr, unknown[:5]))}"
                f"{', ...' if len(unknown) > 5 else ''}); its features are {', '.join(c.name for c in self.contract)}"
            )
        values: dict[str, Any] = {}
        defaulted: list[str] = []
        for contract in self.contract:
            value = raw.get(contract.name)
            if value is None:
                defaulted.append(contract.name)
            values[contract.name] = contract.model_value(value, from_signals=from_signals)
        return PreparedInput(values=values, defaulted=defaulted, ignored=ignored)

    def frame(self, rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        """Model-input rows (feature -> value) as the DataFrame the pipeline was fitted on.

        The same representation as the training frame (``reading.prepare_training_data``):
        numeric and boolean features float64 (``True`` = 1.0, null = NaN), categorical
        features an object column of strings with ``None`` for null (the same on
        pandas 2 and 3, so a pipeline fitted in one environment scores alike in the other).
        """
        columns: dict[str, Any] = {}
        for name in self.features:
            column = [row.get(name) for row in rows]
            if self._dtypes[name] == "float64":
                columns[name] = np.array([np.nan if v is None else float(v) for v in column], dtype=np.float64)
            else:
                columns[name] = pd.Series(column, dtype=object)
        return pd.DataFrame(columns, columns=self.features)

    # ------------------------------------------------------------------ scoring

    def predict_frame(self, frame: pd.DataFrame) -> np.ndarray:
        """Scores (probability of the positive class) of model-input rows."""
        probabilities = self.model.predict_proba(frame[self.features])
        return np.asarray(probabilities[:, 1], dtype=np.float64)

    def predict_rows(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Scores of a few model-input rows (feature -> value): the same numbers as
        :meth:`predict_frame` of :meth:`frame`, through the fitted steps on numpy arrays when
        the model is this project's pipeline (:mod:`.fast_path`), else through ``predict_proba``."""
        if self._fast is not None:
            return self._fast.predict(rows)
        return self.predict_frame(self.frame(rows))

    def score(self, attributes: Mapping[str, Any], *, require_known: bool = False,
              from_signals: bool = False) -> Score:
        """Score one visitor's attribute values (``require_known``, ``from_signals``: as :meth:`prepare`)."""
        prepared = self.prepare(attributes, require_known=require_known, from_signals=from_signals)
        with np.errstate(invalid="ignore", divide="ignore"):
            try:
                value = float(self.predict_rows([prepared.values])[0])
            except ValueError as exc:  # e.g. NaN after the model's transform (log1p of a value below -1)
                raise ServingError(f"the model cannot score these attribute values: {exc}") from None
        if not math.isfinite(value):
            raise ServingError("the model cannot score these attribute values (a transform is undefined for one)")
        return Score(
            score=value,
            threshold=self.threshold,
            is_prospect=bool(value >= self.threshold),
            inputs=prepared.values,
            defaulted=prepared.defaulted,
            ignored=prepared.ignored,
        )


def _column_dtype(contract: FeatureContract) -> str:
    return "object" if contract.feature_kind == "categorical" else "float64"


def load_model(model_dir: str | os.PathLike[str] | None = None) -> ServingModel:
    """:meth:`ServingModel.load` of ``model_dir``, else ``$PROSPECT_MODEL_DIR``, else ``artifacts``."""
    return ServingModel.load(model_dir or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR)


__all__ = [
    "FeatureContract",
    "PreparedInput",
    "Score",
    "ServingError",
    "ServingModel",
    "attribute_name",
    "load_model",
]
