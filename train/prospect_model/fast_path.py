"""Scoring a few rows with the fitted pipeline's own parameters, without its per-call overhead.

``Pipeline.predict_proba`` on a one-row DataFrame spends almost all of its time in
scikit-learn's checks (column names, dtypes, finiteness; once per step) and, for a
categorical encoder, in sorting and searching object arrays: about 6 ms for the
``web_full`` model, against microseconds of arithmetic. For the serving path (one
visitor per request) :class:`FastScorer` computes the same numbers from the fitted
objects:

* a numeric or boolean group (``Pipeline`` of ``FunctionTransformer`` casts and
  functions, ``SimpleImputer``, ``StandardScaler``) is replayed on a float64 array with
  the fitted ``statistics_``, ``mean_`` and ``scale_``, the same element-wise operations
  in the same order as scikit-learn's ``transform``;
* a categorical encoder (``OneHotEncoder``/``OrdinalEncoder``) becomes a lookup table
  built by asking the fitted encoder itself for the output of every known category
  (``None`` included when it is one), so infrequent buckets come out as the encoder makes
  them; any other value (unknown, non-text) goes through the encoder's own ``transform``;
* any other step is called as it is (``transform`` on numpy), and the classifier's own
  ``predict_proba`` scores the assembled matrix.

The scores are the pipeline's bit for bit (tests/python/test_serving.py compares them
on every row of ``final_training``, for logreg and hgb, one row and all rows at once).
It applies to this project's models (``Pipeline([("preprocess", ColumnTransformer),
("classifier", ...)])`` with a dense output; :func:`.preprocessing.build_pipeline`);
:meth:`FastScorer.for_model` returns ``None`` for anything else, and the caller keeps
``predict_proba`` on a DataFrame.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

Block = Callable[[Sequence[Mapping[str, Any]]], np.ndarray]


def encoder_output_widths(encoder: object) -> list[int] | None:
    """How many output columns each input feature of a fitted categorical encoder gets: for a
    OneHotEncoder one per kept category plus one for the infrequent ones when training grouped some
    (``infrequent_categories_``), for an OrdinalEncoder one; None for any other transformer."""
    if isinstance(encoder, OrdinalEncoder):
        return [1] * len(encoder.categories_)
    if not isinstance(encoder, OneHotEncoder) or encoder.drop is not None:
        return None
    try:
        grouped = list(encoder.infrequent_categories_)
    except AttributeError:  # fitted without min_frequency / max_categories: nothing grouped
        grouped = [None] * len(encoder.categories_)
    widths = []
    for categories, infrequent in zip(encoder.categories_, grouped, strict=True):
        widths.append(len(categories) if infrequent is None else len(categories) - len(infrequent) + 1)
    return widths


def _forget_feature_names(estimator: Any) -> None:
    """Drop ``feature_names_in_`` (recursively through Pipelines) on a private copy, so numpy input
    is taken without the "X does not have valid feature names" check and warning; the column order
    is guaranteed by :class:`FastScorer` instead."""
    steps = getattr(estimator, "steps", None)
    if steps is not None:
        for _, step in steps:
            _forget_feature_names(step)
        return
    if "feature_names_in_" in vars(estimator):
        del estimator.feature_names_in_


def _imputer_step(step: Any) -> Callable[[np.ndarray], np.ndarray] | None:
    statistics = np.asarray(step.statistics_, dtype=np.float64)
    missing = step.missing_values
    if step.add_indicator or not (isinstance(missing, float) and math.isnan(missing)):
        return None
    if np.isnan(statistics).any():  # columns scikit-learn would drop (keep_empty_features=False)
        return None

    def impute(x: np.ndarray) -> np.ndarray:
        x = np.array(x, dtype=np.float64)  # a copy, as the imputer's own
        mask = np.isnan(x)
        if mask.any():
            x[mask] = np.broadcast_to(statistics, x.shape)[mask]
        return x
    return impute


def _scaler_step(step: Any) -> Callable[[np.ndarray], np.ndarray]:
    mean = step.mean_ if step.with_mean else None
    scale = step.scale_ if step.with_std else None

    def standardize(x: np.ndarray) -> np.ndarray:
        x = np.array(x, dtype=np.float64)
        if mean is not None:
            x -= mean
        if scale is not None:
            x /= scale
        return x
    return standardize


def _numeric_step(step: Any) -> Callable[[np.ndarray], np.ndarray] | None:
    """The element-wise replay of one fitted step on a float64 matrix, or None if not one we know."""
    kind = type(step).__name__
    if kind == "FunctionTransformer":
        if step.validate or step.kw_args or step.func is None:
            return None
        func = step.func
        return lambda x: np.asarray(func(x))
    if kind == "SimpleImputer":
        return _imputer_step(step)
    if kind == "StandardScaler":
        return _scaler_step(step)
    return None


def _numeric_block(transformer: Any, columns: list[str]) -> Block:
    """Rows -> the group's output: replayed step by step when every step is known, else its transform."""
    steps = transformer.steps if hasattr(transformer, "steps") else [("only", transformer)]
    replay = [_numeric_step(step) for _, step in steps]

    def values(rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        return np.array([[np.nan if (v := row.get(c)) is None else float(v) for c in columns] for row in rows],
                        dtype=np.float64)

    if all(op is not None for op in replay):
        ops = [op for op in replay if op is not None]

        def replayed(rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
            x = values(rows)
            for op in ops:
                x = op(x)
            return x
        return replayed
    return lambda rows: np.asarray(transformer.transform(values(rows)), dtype=np.float64)


def _categorical_block(encoder: Any, columns: list[str]) -> Block:
    """Rows -> the encoder's output, from a table of the encoder's own answers for every known
    category; a row with any other value goes through ``encoder.transform``."""

    def values(rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        return np.array([[row.get(c) for c in columns] for row in rows], dtype=object)

    def transform(x: np.ndarray) -> np.ndarray:
        return np.asarray(encoder.transform(x), dtype=np.float64)

    widths = encoder_output_widths(encoder)
    categories = getattr(encoder, "categories_", None)
    if widths is None or categories is None or len(widths) != len(columns):
        return lambda rows: transform(values(rows))
    known = [next((v for v in c if isinstance(v, str)), None) for c in categories]
    starts = np.cumsum([0, *widths])
    width = int(starts[-1])
    try:
        if transform(np.array([known], dtype=object)).shape[1] != width:
            return lambda rows: transform(values(rows))
    except ValueError:
        return lambda rows: transform(values(rows))

    def answer(j: int, value: str | None) -> np.ndarray | None:
        """The encoder's output for ``value`` in column ``j`` (the others known), None if it refuses."""
        probe = np.array([[value if k == j else known[k] for k in range(len(columns))]], dtype=object)
        try:
            return transform(probe)[0, starts[j]:starts[j + 1]].copy()
        except ValueError:  # handle_unknown="error": the encoder's own transform raises it per request
            return None

    # Every text value that is not a category gets the same output (the infrequent bucket, zeros or
    # unknown_value), which a sentinel asks for once; "warn" is left to the encoder, for its warning.
    same_for_unknown = getattr(encoder, "handle_unknown", None) in {
        "infrequent_if_exist", "ignore", "use_encoded_value"}
    tables: list[dict[str | None, np.ndarray]] = []
    unknown: list[np.ndarray | None] = []
    for j, column_categories in enumerate(categories):
        table: dict[str | None, np.ndarray] = {}
        for category in [*column_categories, None]:
            if (category is None or isinstance(category, str)) and category not in table:
                vector = answer(j, category)
                if vector is not None:
                    table[category] = vector
        tables.append(table)
        sentinel = "\x00unknown:" + "|".join(str(c) for c in column_categories)
        unknown.append(answer(j, sentinel) if same_for_unknown else None)

    def looked_up(rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        out = np.empty((len(rows), width), dtype=np.float64)
        for i, row in enumerate(rows):
            for j, column in enumerate(columns):
                value = row.get(column)
                vector = None
                if value is None or isinstance(value, str):
                    vector = tables[j].get(value)
                    if vector is None and value is not None:
                        vector = unknown[j]
                if vector is None:
                    out[i] = transform(values([row]))[0]
                    break
                out[i, starts[j]:starts[j + 1]] = vector
        return out
    return looked_up


def categorical_encoder(transformer: Any) -> Any:
    """The fitted encoder of the categorical group: the last step of its Pipeline (the NULL steps of
    :mod:`.preprocessing` come first; models saved before them hold the encoder itself)."""
    steps = getattr(transformer, "steps", None)
    return steps[-1][1] if steps else transformer


def _blocks(preprocess: Any, dtypes: Mapping[str, str]) -> list[Block] | None:
    """One block per fitted transformer of the ColumnTransformer (private copies), or None when the
    layout is not one this path knows (passthrough columns, mixed or unknown column types)."""
    blocks: list[Block] = []
    for name, transformer, columns in preprocess.transformers_:
        if name == "remainder" or isinstance(transformer, str):
            if transformer != "drop":
                return None
            continue
        names = [str(column) for column in columns]
        kinds = {dtypes.get(column) for column in names}
        if len(kinds) != 1 or not kinds <= {"float64", "object"}:
            return None
        private = copy.deepcopy(transformer)
        _forget_feature_names(private)
        blocks.append(_categorical_block(categorical_encoder(private), names) if kinds == {"object"}
                      else _numeric_block(private, names))
    return blocks


class FastScorer:
    """The fitted parameters of a pipeline, applied to numpy arrays built from model-input rows."""

    def __init__(self, blocks: list[Block], classifier: Any) -> None:
        self._blocks = blocks
        self._classifier = classifier

    @classmethod
    def for_model(cls, model: Any, dtypes: Mapping[str, str]) -> FastScorer | None:
        """A scorer for ``model`` (``dtypes``: feature -> ``float64`` or ``object``), or None if not ours."""
        steps = getattr(model, "named_steps", None)
        if steps is None or list(steps) != ["preprocess", "classifier"]:
            return None
        preprocess, classifier = steps["preprocess"], steps["classifier"]
        ours = (
            type(preprocess).__name__ == "ColumnTransformer"
            and not getattr(preprocess, "sparse_output_", True)
            and hasattr(preprocess, "transformers_")
            and hasattr(classifier, "predict_proba")
        )
        blocks = _blocks(preprocess, dtypes) if ours else None
        if blocks is None:
            return None
        private_classifier = copy.deepcopy(classifier)
        _forget_feature_names(private_classifier)
        return cls(blocks, private_classifier)

    def predict(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Probabilities of the positive class of model-input rows (feature -> value, None = null)."""
        parts = [block(rows) for block in self._blocks]
        matrix = np.hstack(parts) if parts else np.empty((len(rows), 0))
        return np.asarray(self._classifier.predict_proba(matrix)[:, 1], dtype=np.float64)


__all__ = ["FastScorer", "categorical_encoder"]
