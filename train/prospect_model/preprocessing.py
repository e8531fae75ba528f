"""The model: a scikit-learn Pipeline whose preprocessing is built from the column contract.

Only scikit-learn classes and numpy functions go into the pipeline, so
``joblib.load(path)`` needs scikit-learn, not this package, and
``model.predict_proba(df[features])[:, 1]`` works on raw attribute values:

* numeric features: NULL -> the contract's ``default_value`` (else the training
  median); then, for ``logreg``, a count-friendly transform (``asinh``, the
  default: like ``log`` for large counts, 0 at 0, defined for negatives; or
  ``log1p``; or ``none``) and standard scaling (``none`` skips both: the
  tutorial's raw counts). Trees (``hgb``) see the imputed values.
* boolean features: 0/1 (True/False); NULL -> the default, else the most frequent value.
* categorical features: text; values seen in fewer than ``min_frequency``
  training rows are grouped into one "infrequent" value, values never seen in
  training go to the infrequent group when there is one, else are ignored
  (all-zero one-hot for ``logreg``; "missing" for ``hgb``), NULL (None, NaN or
  pd.NA alike) is a value of its own. ``logreg`` one-hot encodes them, ``hgb`` uses its
  native categorical support (ordinal codes).

Constant features (see :func:`.reading.check_features`) are dropped by the
column transformer, so the model still takes every feature of the contract.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

from . import defaults as _defaults
from .contract import FeatureSpec
from .errors import TrainingError

MODEL_KINDS = _defaults.MODEL_KINDS
NUMERIC_TRANSFORMS = _defaults.NUMERIC_TRANSFORMS
CLASS_WEIGHTS = _defaults.CLASS_WEIGHTS
#: Most one-hot columns per categorical feature (the rest grouped as infrequent).
MAX_CATEGORIES = 50
#: HistGradientBoosting handles at most 255 categories per feature (one is kept for unknown/missing).
HGB_MAX_CATEGORIES = 254
#: LogisticRegression's iteration limit (lbfgs); the tutorial's default is 100.
LOGREG_MAX_ITER = 1000


@dataclass(frozen=True)
class ModelOptions:
    """How the model is built."""

    kind: str = "logreg"
    numeric_transform: str = "asinh"
    class_weight: str = "none"
    seed: int = 42
    #: logreg's inverse regularisation strength C; None: chosen by an inner CV (:func:`.modeling.choose_c`).
    c: float | None = None

    def __post_init__(self) -> None:
        for value, allowed, option in (
            (self.kind, MODEL_KINDS, "--model"),
            (self.numeric_transform, NUMERIC_TRANSFORMS, "--numeric-transform"),
            (self.class_weight, CLASS_WEIGHTS, "--class-weight"),
        ):
            if value not in allowed:
                raise TrainingError(f"{option} must be one of {', '.join(allowed)}, not {value!r}")
        if self.c is not None and not (math.isfinite(self.c) and self.c > 0):
            raise TrainingError(f"--regularization-c must be a positive number, not {self.c!r}")

    @property
    def tutorial_estimator(self) -> bool:
        """The tutorial's exact estimator (raw counts, lbfgs defaults)."""
        return self.kind == "logreg" and self.numeric_transform == "none"


def numeric_default(spec: FeatureSpec, feature: str) -> float | None:
    """The contract's default of a numeric/boolean feature as a number (None if absent or not a number)."""
    text = spec.column(feature).default_value
    if text is None:
        return None
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return 1.0 if lowered == "true" else 0.0
    try:
        value = float(lowered)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def min_frequency(n_rows: int) -> int:
    """Rows a categorical value needs in training to get its own column: 0.5% of the rows, 5 to 200."""
    return int(min(200, max(5, math.ceil(0.005 * n_rows))))


def _as_float() -> FunctionTransformer:
    """Cast served values (int, bool, float, NaN) to float64 first, whatever dtype the caller's frame has.

    ``astype`` (a stdlib ``methodcaller``, so the pickle needs nothing of this package) and not
    ``np.asarray``: DuckDB's ``.df()`` gives nullable columns pandas' ``Int64``/``boolean`` dtypes, whose
    ``pd.NA`` numpy cannot cast, while ``DataFrame.astype`` turns it into NaN (then imputed). Int64 input
    becomes float64 before the imputer, whose float fill value int64 data would refuse.
    """
    return FunctionTransformer(operator.methodcaller("astype", np.float64), feature_names_out="one-to-one")


def _nulls_as_none() -> FunctionTransformer:
    """Every missing value of a categorical column (None, NaN, pd.NA) as ``None``, the one NULL
    category the encoder learnt: training reads NULL as None, but a frame from DuckDB's ``.df()``
    (pandas' ``str`` columns) holds NaN, which the encoder would take for an unseen value. A
    ``DataFrame.where`` with ``pandas.notna`` (so the pickle needs pandas, not this package)."""
    return FunctionTransformer(operator.methodcaller("where", pd.notna, None), feature_names_out="one-to-one")


def _c_order() -> FunctionTransformer:
    """Hand the group's columns on in row-major (C) order. A DataFrame's block reaches the imputer
    column-major, and when one group is the whole ColumnTransformer (the tutorial's three counters)
    nothing re-stacks it: LogisticRegression's dot product over a column-major matrix rounds in
    another order, one ulp away from the same model scored on the tutorial's own frame. A no-op
    when the array is already row-major."""
    return FunctionTransformer(np.ascontiguousarray, feature_names_out="one-to-one")


def _imputer(default: float | None, fallback: str) -> SimpleImputer:
    """Fill with ``default`` when the contract gives one, else with the training rows' ``fallback``.

    The median is ``strategy=np.median`` (scikit-learn calls it on each column's observed values):
    the same statistic as ``strategy="median"``, whose masked-array sort took 25 s and 2.6 GB more
    memory for 8M rows x 10 columns, where this takes 4 s. A column without observed values would get
    NaN from it: callers put such columns in a constant group instead (``build_pipeline(empty=...)``),
    with the 0 ``strategy="median"`` gives them.
    """
    if default is None:
        strategy: Any = np.median if fallback == "median" else fallback
        return SimpleImputer(strategy=strategy, keep_empty_features=True)
    return SimpleImputer(strategy="constant", fill_value=default, keep_empty_features=True)


def _fill_key(default: float | None) -> str:
    return "median" if default is None else repr(default)


def empty_numeric_features(frame: pd.DataFrame, spec: FeatureSpec, used: Sequence[str]) -> list[str]:
    """The used numeric features imputed by the median that have no observed value in ``frame``."""
    return [
        feature for feature in used
        if spec.kind(feature) == "numeric" and numeric_default(spec, feature) is None
        and not frame[feature].notna().any()
    ]


def build_pipeline(
    spec: FeatureSpec, used: Sequence[str], options: ModelOptions, n_rows: int, *, empty: Collection[str] = ()
) -> Pipeline:
    """The unfitted Pipeline ``preprocess -> classifier`` over ``spec.features`` (only ``used`` ones kept).

    Features that get the same treatment share one transformer of the ColumnTransformer (numeric ones
    by fill rule, boolean ones by fill rule, all categorical ones): every step works column by column
    (per-column medians, scaling, one-hot categories), so grouping changes no value, and a one-row
    ``predict_proba`` (serving) pays scikit-learn's per-step checks a few times, not once per feature.
    Groups keep the contract's feature order inside them. ``empty``: numeric features without a value in
    the rows to be fitted (:func:`empty_numeric_features`), filled with 0 as ``strategy="median"`` would.
    """
    numeric: dict[str, list[str]] = {}
    boolean: dict[str, list[str]] = {}
    categorical: list[str] = []
    defaults: dict[str, float | None] = {}
    for feature in spec.features:
        if feature not in used:
            continue
        kind = spec.kind(feature)
        default = numeric_default(spec, feature)
        if kind == "numeric" and default is None and feature in empty:
            default = 0.0
        if kind == "numeric":
            numeric.setdefault(_fill_key(default), []).append(feature)
        elif kind == "boolean":
            boolean.setdefault(_fill_key(default), []).append(feature)
        else:
            categorical.append(feature)
        defaults[_fill_key(default)] = default
    transformers: list[tuple[str, object, list[str]]] = []
    for index, (key, columns) in enumerate(numeric.items()):
        steps: list[tuple[str, object]] = [("as_float", _as_float()), ("impute", _imputer(defaults[key], "median"))]
        if options.kind == "logreg" and options.numeric_transform != "none":
            function = np.arcsinh if options.numeric_transform == "asinh" else np.log1p
            steps += [
                ("transform", FunctionTransformer(function, feature_names_out="one-to-one")),
                ("scale", StandardScaler()),
            ]
        transformers.append((f"numeric_{index}", Pipeline([*steps, ("c_order", _c_order())]), columns))
    for index, (key, columns) in enumerate(boolean.items()):
        transformers.append((
            f"boolean_{index}",
            Pipeline([
                ("as_float", _as_float()), ("impute", _imputer(defaults[key], "most_frequent")),
                ("c_order", _c_order()),
            ]),
            columns,
        ))
    categorical_positions: list[int] = []
    if categorical:
        if options.kind == "logreg":
            encoder: object = OneHotEncoder(
                handle_unknown="infrequent_if_exist", min_frequency=min_frequency(n_rows),
                max_categories=MAX_CATEGORIES, sparse_output=False, dtype=np.float64,
            )
        else:
            encoder = OrdinalEncoder(
                handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan,
                min_frequency=min_frequency(n_rows), max_categories=HGB_MAX_CATEGORIES, dtype=np.float64,
            )
            first = sum(len(columns) for _, _, columns in transformers)
            categorical_positions = list(range(first, first + len(categorical)))
        transformers.append(("categorical", Pipeline([
            ("as_object", FunctionTransformer(operator.methodcaller("astype", object), feature_names_out="one-to-one")),
            ("nulls_as_none", _nulls_as_none()),
            ("encode", encoder),
        ]), categorical))
    preprocess = ColumnTransformer(
        transformers, remainder="drop", verbose_feature_names_out=False, sparse_threshold=0.0
    )
    classifier: object
    if options.kind == "logreg":
        classifier = LogisticRegression(
            random_state=options.seed,
            C=1.0 if options.c is None else options.c,
            class_weight="balanced" if options.class_weight == "balanced" else None,
            **({} if options.tutorial_estimator else {"max_iter": LOGREG_MAX_ITER}),
        )
    else:
        classifier = HistGradientBoostingClassifier(
            categorical_features=categorical_positions or None,
            class_weight="balanced" if options.class_weight == "balanced" else None,
            early_stopping="auto",
            max_iter=200,
            learning_rate=0.1,
            random_state=options.seed,
        )
    return Pipeline([("preprocess", preprocess), ("classifier", classifier)])


def output_feature_names(model: Pipeline) -> list[str]:
    """Names of the columns the classifier sees (e.g. ``plan_free`` for a one-hot value)."""
    return [str(name) for name in model.named_steps["preprocess"].get_feature_names_out()]


def describe_preprocessing(spec: FeatureSpec, used: Sequence[str], options: ModelOptions) -> dict[str, str]:
    """One line per feature saying what the pipeline does to it (metadata and report)."""
    lines: dict[str, str] = {}
    for feature in spec.features:
        if feature not in used:
            lines[feature] = "dropped (constant in training)"
            continue
        kind = spec.kind(feature)
        default = numeric_default(spec, feature)
        if kind == "numeric":
            fill = f"NULL -> {default:g}" if default is not None else "NULL -> training median"
            if options.kind == "logreg" and options.numeric_transform != "none":
                lines[feature] = f"{fill}; {options.numeric_transform}; standard scaling"
            else:
                lines[feature] = f"{fill}; raw value"
        elif kind == "boolean":
            fill = f"NULL -> {default:g}" if default is not None else "NULL -> most frequent"
            lines[feature] = f"0/1; {fill}"
        elif options.kind == "logreg":
            lines[feature] = ("one-hot; rare values grouped as infrequent; unseen values -> infrequent if any, "
                              "else ignored; NULL is a value")
        else:
            lines[feature] = "native categorical; rare values grouped; unseen values -> missing; NULL is a value"
    return lines
