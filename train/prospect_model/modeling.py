"""Fit the tutorial's model, evaluate it, and evaluate the prior baseline.

The model is exactly the tutorial's ``LogisticRegression(random_state=seed,
class_weight='balanced')`` (default lbfgs solver), fitted on a DataFrame with the
feature names so ``predict_proba(df[features])[:, 1]`` works when serving.

The baseline knows only the training prior: it predicts the constant
probability ``p = positive rate of the training rows`` for every test row, and
the training majority class (``p >= 0.5``, i.e. almost always "no conversion")
as its class. So its ROC AUC is 0.5, its PR AUC is the test positive rate, its
log loss is the cross-entropy of the prior, and its accuracy is the share of the
majority class (F1 is 0 when it never predicts a conversion). Note that
``class_weight='balanced'`` shifts the model's probabilities upwards (the
classes are weighted as if they were equally frequent), so its log loss and
calibration can be worse than the baseline's even when it ranks well.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    classification_report,
    confusion_matrix,
    f1_score,
    log_loss,
    precision_score,
    recall_score,
    roc_auc_score,
)

log = logging.getLogger(__name__)

#: Metric keys in display order, with labels for tables.
METRIC_LABELS: dict[str, str] = {
    "accuracy": "Accuracy",
    "f1": "F1",
    "precision": "Precision",
    "recall": "Recall",
    "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC (average precision)",
    "log_loss": "Log loss",
    "brier": "Brier score",
}


@dataclass
class FitResult:
    """The fitted estimator and facts about the fit."""

    model: LogisticRegression
    seconds: float
    n_iter: int
    converged: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    """Held-out predictions and metrics of the model and the prior baseline."""

    y_true: np.ndarray
    prob: np.ndarray
    pred: np.ndarray
    baseline_prob: float
    baseline_class: int
    model_metrics: dict[str, float]
    baseline_metrics: dict[str, float]
    classification_report: dict[str, object]
    classification_report_text: str
    confusion_matrix: list[list[int]]
    baseline_confusion_matrix: list[list[int]]


def make_model(seed: int) -> LogisticRegression:
    """The tutorial's estimator."""
    return LogisticRegression(random_state=seed, class_weight="balanced")


def fit_model(X_train: pd.DataFrame, y_train: np.ndarray, seed: int) -> FitResult:
    """Fit the tutorial's LogisticRegression; warnings (e.g. convergence) are logged and kept."""
    model = make_model(seed)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    messages = [" ".join(str(w.message).split()) for w in caught]
    for message in messages:
        log.warning("fit: %s", message)
    n_iter = int(np.max(model.n_iter_))
    converged = n_iter < model.max_iter
    log.info(
        "fitted LogisticRegression on %d rows x %d features in %.2f s (%d lbfgs iterations%s)",
        X_train.shape[0], X_train.shape[1], seconds, n_iter, "" if converged else ", not converged",
    )
    return FitResult(model=model, seconds=seconds, n_iter=n_iter, converged=converged, warnings=messages)


def classification_metrics(y_true: np.ndarray, prob: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Accuracy, F1, precision, recall, ROC AUC, PR AUC, log loss and Brier score."""
    y = np.asarray(y_true).astype(np.int8)
    pred = np.asarray(pred).astype(np.int8)
    return {
        "accuracy": float(accuracy_score(y, pred)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "roc_auc": float(roc_auc_score(y, prob)),
        "pr_auc": float(average_precision_score(y, prob)),
        "log_loss": float(log_loss(y, prob, labels=[0, 1])),
        "brier": float(brier_score_loss(y, prob)),
    }


def evaluate(
    model: LogisticRegression, X_test: pd.DataFrame, y_test: np.ndarray, y_train: np.ndarray
) -> Evaluation:
    """Evaluate ``model`` and the training-prior baseline on the held-out rows."""
    prob = model.predict_proba(X_test)[:, 1]
    pred = np.asarray(model.predict(X_test)).astype(np.int8)
    y = np.asarray(y_test).astype(np.int8)
    prior = float(np.mean(y_train))
    majority = int(prior >= 0.5)
    baseline_prob = np.full(len(y), prior)
    baseline_pred = np.full(len(y), majority, dtype=np.int8)
    report = classification_report(
        y, pred, labels=[0, 1], target_names=["no conversion", "conversion"],
        output_dict=True, zero_division=0,
    )
    report_text = classification_report(
        y, pred, labels=[0, 1], target_names=["no conversion", "conversion"], digits=4, zero_division=0,
    )
    return Evaluation(
        y_true=y,
        prob=prob,
        pred=pred,
        baseline_prob=prior,
        baseline_class=majority,
        model_metrics=classification_metrics(y, prob, pred),
        baseline_metrics=classification_metrics(y, baseline_prob, baseline_pred),
        classification_report=report,
        classification_report_text=report_text,
        confusion_matrix=confusion_matrix(y, pred, labels=[0, 1]).tolist(),
        baseline_confusion_matrix=confusion_matrix(y, baseline_pred, labels=[0, 1]).tolist(),
    )


def metrics_table(evaluation: Evaluation) -> str:
    """A compact plain-text table of model vs baseline metrics (for logging)."""
    width = max(len(label) for label in METRIC_LABELS.values())
    lines = [f"{'metric':<{width}}  {'model':>8}  {'baseline':>8}"]
    for key, label in METRIC_LABELS.items():
        lines.append(
            f"{label:<{width}}  {evaluation.model_metrics[key]:>8.4f}  "
            f"{evaluation.baseline_metrics[key]:>8.4f}"
        )
    return "\n".join(lines)


def coefficients(model: LogisticRegression, features: list[str]) -> dict[str, float]:
    """The fitted coefficients by feature name."""
    return {name: float(value) for name, value in zip(features, model.coef_[0], strict=True)}
