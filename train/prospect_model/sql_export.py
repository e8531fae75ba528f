"""The SQL-scoring parameters of a fitted ``logreg`` pipeline, for the dbt model ``prospect_scores``.

``train/fit.py`` writes them next to ``model.joblib`` as ``score_vars.yml``, a dbt
vars file with one var, ``snowplow__score_model``::

    dbt build --vars "$(cat artifacts/current/score_vars.yml)"

The var holds everything ``predict_proba(...)[:, 1]`` of the pipeline does, term by
term (see :mod:`.preprocessing`):

* numeric: ``fill`` (the imputer's value for NULL), ``transform`` (``asinh``,
  ``log1p`` or ``none``), ``mean`` and ``scale`` (the standard scaler; 0 and 1
  when there is none) and the coefficient ``weight``;
* boolean: ``fill`` and ``weight`` (0/1 input);
* categorical: the contribution of each value that has its own one-hot column
  (``values``), of NULL (``null_weight``) and of every other value
  (``other_weight``: the infrequent column when training grouped some values,
  else 0, as the encoder's ``handle_unknown='infrequent_if_exist'`` does). Each
  contribution is computed by the fitted encoder itself, so the grouping rules
  are not re-implemented.

plus the ``intercept``, the ``threshold`` and the model's version. The score is
``1 / (1 + exp(-(intercept + sum of terms)))``, the logistic function of the
decision function, exactly what LogisticRegression's ``predict_proba`` computes.
The pipeline has no calibration step; a model whose classifier is not a binary
LogisticRegression (``hgb``) gets ``kind: <kind>`` only, and the dbt model stops
with a message to use ``prospect-score``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .fast_path import categorical_encoder, encoder_output_widths

SCORE_VARS_FILE = "score_vars.yml"
SCORE_VAR = "snowplow__score_model"
_UNSEEN = "\x00prospect_scoring unseen value\x00"


class SqlExportError(ValueError):
    """The model cannot be scored in SQL (a message for the user)."""


def _float(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise SqlExportError(f"the model has a non-finite parameter ({number}); it cannot be scored in SQL")
    return number


def _numeric_term(feature: str, kind: str, steps: Any, position: int, weight: float) -> dict[str, Any]:
    """The term of the ``position``-th column of a numeric/boolean group (see preprocessing.build_pipeline)."""
    named = steps.named_steps
    fill = float(named["impute"].statistics_[position])
    term: dict[str, Any] = {"feature": feature, "kind": kind, "fill": 0.0 if math.isnan(fill) else fill}
    if "transform" in named:
        function = named["transform"].func
        term["transform"] = "asinh" if function is np.arcsinh else "log1p" if function is np.log1p else None
        if term["transform"] is None:
            raise SqlExportError(f"feature {feature}: transform {function!r} has no SQL form")
        term["mean"] = _float(named["scale"].mean_[position])
        term["scale"] = _float(named["scale"].scale_[position])
    else:
        term.update(transform="none", mean=0.0, scale=1.0)
    term["weight"] = _float(weight)
    return term


def _encoder_slices(encoder: Any, width: int) -> list[slice]:
    """The output columns of each input feature of a fitted OneHotEncoder."""
    widths = encoder_output_widths(encoder)
    if widths is None or sum(widths) != width:
        raise SqlExportError(f"the categorical encoder has {width} output columns, not the "
                             f"{None if widths is None else sum(widths)} expected")
    starts = np.cumsum([0, *widths])
    return [slice(int(starts[i]), int(starts[i + 1])) for i in range(len(widths))]


def _categorical_terms(features: list[str], encoder: Any, weights: np.ndarray) -> list[dict[str, Any]]:
    """One term per categorical feature of the (shared) encoder: each value's contribution, computed by
    the fitted encoder itself on a row whose other features are unseen values."""
    slices = _encoder_slices(encoder, len(weights))

    def contribution(position: int, value: Any) -> float:
        row = {feature: pd.Series([_UNSEEN], dtype=object) for feature in features}
        row[features[position]] = pd.Series([value], dtype=object)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unknown categories" for the unseen probe
            encoded = np.asarray(encoder.transform(pd.DataFrame(row)), dtype=np.float64)[0]
        part = slices[position]
        return _float(encoded[part] @ weights[part])

    terms = []
    for position, feature in enumerate(features):
        other = contribution(position, _UNSEEN)
        values = []
        for category in encoder.categories_[position]:
            if category is None or (isinstance(category, float) and math.isnan(category)):
                continue
            weight = contribution(position, category)
            if weight != other:
                values.append({"value": str(category), "weight": weight})
        terms.append({
            "feature": feature, "kind": "categorical", "values": values,
            "null_weight": contribution(position, None), "other_weight": other,
        })
    return terms


def score_model_var(model: Any, kinds: Mapping[str, str], metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The value of ``snowplow__score_model`` for a fitted pipeline; raises SqlExportError if not SQL-scorable."""
    model_info = metadata.get("model") if isinstance(metadata.get("model"), dict) else {}
    fingerprint = metadata.get("data_fingerprint")
    version = {
        "kind": str(model_info.get("kind")),  # type: ignore[union-attr]
        "trained_at": str(metadata.get("trained_at_utc") or metadata.get("trained_at")),
        "data_fingerprint": str(fingerprint.get("sha256") if isinstance(fingerprint, dict) else fingerprint),
        "threshold": _float(metadata.get("threshold", 0.5)),
        # what the model learned, so that the build scoring it is checked to describe the same
        "target": str(metadata.get("target")),
    }
    classifier = model.named_steps["classifier"]
    if type(classifier).__name__ != "LogisticRegression" or classifier.coef_.shape[0] != 1:
        return version  # the dbt model explains: SQL scoring needs logreg
    preprocess = model.named_steps["preprocess"]
    coef = np.asarray(classifier.coef_[0], dtype=np.float64)
    terms: list[dict[str, Any]] = []
    for name, transformer, columns in preprocess.transformers_:
        if name == "remainder" or transformer == "drop":
            continue
        weights = coef[preprocess.output_indices_[name]]
        features = list(columns)
        if kinds[features[0]] == "categorical":
            terms += _categorical_terms(features, categorical_encoder(transformer), weights)
        else:
            terms += [_numeric_term(feature, kinds[feature], transformer, position, float(weights[position]))
                      for position, feature in enumerate(features)]
    order = {feature: index for index, feature in enumerate(kinds)}
    terms.sort(key=lambda term: order.get(term["feature"], len(order)))
    definitions = {entry.get("name"): entry.get("signals_definition")
                   for entry in metadata.get("feature_contract") or [] if isinstance(entry, dict)}
    for term in terms:
        if isinstance(definitions.get(term["feature"]), dict):
            term["definition"] = definitions[term["feature"]]
    return {**version, "intercept": _float(classifier.intercept_[0]), "terms": terms}


def score_vars_bytes(model: Any, kinds: Mapping[str, str], metadata: Mapping[str, Any]) -> bytes:
    """The ``score_vars.yml`` file: ``{snowplow__score_model: ...}`` as YAML (floats round-trip exactly)."""
    var = score_model_var(model, kinds, metadata)
    return yaml.safe_dump({SCORE_VAR: var}, sort_keys=False, allow_unicode=True).encode("utf-8")


__all__ = ["SCORE_VAR", "SCORE_VARS_FILE", "SqlExportError", "score_model_var", "score_vars_bytes"]
