"""The held-out test side: the model (at the chosen threshold) and the baselines on the same rows;
permutation importance of the features."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance
from sklearn.metrics import classification_report, confusion_matrix

from .modeling import METRIC_LABELS, Baselines, classification_metrics, predict, score_tutorial

log = logging.getLogger(__name__)

LABELS = ["no conversion", "conversion"]
#: Test rows the permutation importance uses at most (a random sample beyond that).
IMPORTANCE_MAX_ROWS = 20_000
IMPORTANCE_REPEATS = 3


@dataclass
class Evaluation:
    """Predictions and metrics on the test rows."""

    y_true: np.ndarray
    prob: np.ndarray
    threshold: float
    model_metrics: dict[str, float | None]
    baseline_metrics: dict[str, dict[str, float | None]]
    baseline_scores: dict[str, np.ndarray] = field(repr=False)
    prior: float
    classification_report: dict[str, Any]
    classification_report_text: str
    confusion_matrix: list[list[int]]
    baseline_confusion_matrix: list[list[int]]
    importance: dict[str, dict[str, float]] = field(default_factory=dict)
    coefficients: dict[str, float] | None = None

    @property
    def pred(self) -> np.ndarray:
        """The model's class predictions at the threshold."""
        return (self.prob >= self.threshold).astype(np.int8)


def evaluate(
    model: Any, baselines: Baselines, frame: pd.DataFrame, y_test: np.ndarray, threshold: float
) -> Evaluation:
    """Evaluate the model and the baselines (fitted on the training side) on the test rows."""
    y = np.asarray(y_test).astype(np.int8)
    prob = predict(model, frame)
    pred = (prob >= threshold).astype(np.int8)
    scores = {"prior": np.full(len(y), baselines.prior), "best_feature": baselines.best_feature.score(frame)}
    if baselines.tutorial is not None:
        scores["tutorial"] = score_tutorial(baselines.tutorial, frame)
    baseline_pred = np.full(len(y), int(baselines.prior >= 0.5), dtype=np.int8)
    return Evaluation(
        y_true=y,
        prob=prob,
        threshold=float(threshold),
        model_metrics=classification_metrics(y, prob, threshold),
        baseline_metrics=baselines.metrics(frame, y),
        baseline_scores=scores,
        prior=baselines.prior,
        classification_report=classification_report(
            y, pred, labels=[0, 1], target_names=LABELS, output_dict=True, zero_division=0
        ),
        classification_report_text=classification_report(
            y, pred, labels=[0, 1], target_names=LABELS, digits=4, zero_division=0
        ),
        confusion_matrix=confusion_matrix(y, pred, labels=[0, 1]).tolist(),
        baseline_confusion_matrix=confusion_matrix(y, baseline_pred, labels=[0, 1]).tolist(),
    )


def feature_importance(
    model: Any, frame: pd.DataFrame, y: np.ndarray, features: list[str], seed: int
) -> dict[str, dict[str, float]]:
    """Permutation importance (drop in ROC AUC when a feature's values are shuffled) on test rows."""
    rng = np.random.default_rng(seed)
    index = np.arange(len(y))
    if len(index) > IMPORTANCE_MAX_ROWS:
        index = np.sort(rng.choice(index, IMPORTANCE_MAX_ROWS, replace=False))
    sample, target = frame.iloc[index], np.asarray(y)[index].astype(np.int8)
    if target.min() == target.max():
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = permutation_importance(
            model, sample[features], target, scoring="roc_auc", n_repeats=IMPORTANCE_REPEATS, random_state=seed,
        )
    return {
        name: {"mean": float(m), "std": float(s)}
        for name, m, s in zip(features, result.importances_mean, result.importances_std, strict=True)
    }


def metrics_table(evaluation: Evaluation) -> str:
    """A compact plain-text table of model vs baseline metrics (for logging)."""
    names = list(evaluation.baseline_metrics)
    width = max(len(label) for label in METRIC_LABELS.values())
    lines = [f"{'metric':<{width}}  {'model':>8}" + "".join(f"  {n[:12]:>12}" for n in names)]
    for key, label in METRIC_LABELS.items():
        row = f"{label:<{width}}  {_cell(evaluation.model_metrics[key]):>8}"
        row += "".join(f"  {_cell(evaluation.baseline_metrics[n][key]):>12}" for n in names)
        lines.append(row)
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"
