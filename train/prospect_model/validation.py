"""Cross-validation on the training side, the decision threshold, and the verdict.

K folds of the training side (visitor-grouped and stratified, see
:func:`.splitting.fold_ids`; by rows for ``--split rows``): each fold is
predicted by a model fitted on the other folds, and the baselines are fitted
and scored on the same rows. The threshold is chosen on these out-of-fold
predictions (best F1 over all of them), so it never sees the test side; the
thresholded metrics of every fold use it. Each metric is reported as mean and
standard deviation over the folds, and the model's advantage over each
baseline as the mean and standard deviation of the per-fold differences
(paired: same rows).

A fold's fit uses at most ``max_fit_rows`` rows: beyond that, a random sample
of the visitors of its training part (all their rows). The held-out fold is
always scored in full.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .modeling import (
    RANKING_METRICS,
    SingleFeatureScore,
    best_f1_threshold,
    classification_metrics,
    fit_baselines,
    fit_model,
    predict,
)
from .preprocessing import ModelOptions
from .reading import TrainingData
from .splitting import fold_ids

log = logging.getLogger(__name__)

Metrics = dict[str, float | None]


@dataclass
class CrossValidation:
    """Fold metrics of the model and the baselines, and the threshold chosen."""

    k: int
    threshold: float
    threshold_source: str
    folds: dict[str, list[Metrics]]
    fold_rows: list[int]
    fit_rows: list[int]
    seconds: float
    out_of_fold: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))
    #: logreg: the C each fold's fit chose (by its own inner CV, on its training part only).
    fold_c: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, dict[str, float | None]]]:
        """``{model or baseline: {metric: {mean, std}}}`` (std over folds, ddof=1)."""
        return {name: summarize(folds) for name, folds in self.folds.items()}

    def differences(self) -> dict[str, dict[str, dict[str, float | None]]]:
        """Model minus each baseline per fold, for the ranking metrics: ``{baseline: {metric: {mean, std}}}``."""
        out: dict[str, dict[str, dict[str, float | None]]] = {}
        for name, folds in self.folds.items():
            if name == "model":
                continue
            out[name] = {}
            for metric in RANKING_METRICS:
                diffs: list[float | None] = []
                for m, b in zip(self.folds["model"], folds, strict=True):
                    ours, theirs = m[metric], b[metric]
                    if ours is not None and theirs is not None:
                        diffs.append(ours - theirs)
                out[name][metric] = _mean_std(diffs)
        return out


def _mean_std(values: Sequence[float | None]) -> dict[str, float | None]:
    clean = [float(v) for v in values if v is not None]
    if not clean:
        return {"mean": None, "std": None}
    return {"mean": float(np.mean(clean)), "std": float(np.std(clean, ddof=1)) if len(clean) > 1 else 0.0}


def summarize(folds: Sequence[Metrics]) -> dict[str, dict[str, float | None]]:
    """Mean and std of each metric over folds."""
    return {metric: _mean_std([f.get(metric) for f in folds]) for metric in folds[0]}


def cross_validate(
    data: TrainingData,
    train: np.ndarray,
    options: ModelOptions,
    *,
    k: int,
    by_rows: bool,
    best_feature: SingleFeatureScore,
    threshold: float | None,
    max_fit_rows: int,
) -> CrossValidation:
    """K-fold cross-validation of the model and the baselines on the training rows ``train``."""
    start = time.perf_counter()
    y = data.y[train]
    folds = fold_ids(y, data.groups[train], k, options.seed, by_rows=by_rows)
    rng = np.random.default_rng(options.seed + 2)
    out_of_fold = np.empty(len(train), dtype=np.float64)
    baseline_folds: dict[str, list[Metrics]] = {}
    fold_rows: list[int] = []
    fit_rows: list[int] = []
    fold_c: list[float] = []
    used = data.used_features
    for fold in range(k):
        held = np.flatnonzero(folds == fold)
        fit = np.flatnonzero(folds != fold)
        if len(fit) > max_fit_rows:
            groups = data.groups[train[fit]]
            keep = rng.random(int(groups.max()) + 1) < max_fit_rows / len(fit)
            fit = fit[keep[groups]]
        frame_fit = data.rows(train[fit])
        result = fit_model(frame_fit, y[fit], data.spec, used, options, quiet=True,
                           groups=None if by_rows else data.groups[train[fit]])
        frame_held = data.rows(train[held])
        out_of_fold[held] = predict(result.model, frame_held)
        baselines = fit_baselines(frame_fit, y[fit], best_feature, used, options.seed)
        for name, metrics in baselines.metrics(frame_held, y[held]).items():
            baseline_folds.setdefault(name, []).append(metrics)
        fold_rows.append(len(held))
        fit_rows.append(len(fit))
        if result.regularization is not None:
            fold_c.append(result.regularization.c)
        log.info(
            "fold %d/%d: fitted on %d rows in %.1f s%s, ROC AUC %.4f on %d rows", fold + 1, k, len(fit),
            result.seconds, f" (C={result.regularization.c:g})" if result.regularization else "",
            classification_metrics(y[held], out_of_fold[held], None)["roc_auc"], len(held),
        )
    if threshold is None:
        threshold = best_f1_threshold(y, out_of_fold)
        source = f"best F1 over the out-of-fold predictions of the {k} training folds"
    else:
        source = "given (--threshold)"
    model_folds = [
        classification_metrics(y[folds == fold], out_of_fold[folds == fold], threshold) for fold in range(k)
    ]
    return CrossValidation(
        k=k, threshold=float(threshold), threshold_source=source, folds={"model": model_folds, **baseline_folds},
        fold_rows=fold_rows, fit_rows=fit_rows, seconds=time.perf_counter() - start, out_of_fold=out_of_fold,
        fold_c=fold_c,
    )


BASELINE_TITLES = {
    "prior": "the prior",
    "best_feature": "the best single feature",
    "tutorial": "the tutorial's three-counter logistic regression",
}


def verdict(cv: CrossValidation, best_feature: str) -> str:
    """One line: does the model beat each baseline (ROC AUC and PR AUC, CV mean +- std of the differences)?"""
    parts: list[str] = []
    beats_all = True
    for name, metrics in cv.differences().items():
        title = BASELINE_TITLES.get(name, name)
        if name == "best_feature":
            title += f" (`{best_feature}`)"
        texts = []
        for metric in RANKING_METRICS:
            d = metrics[metric]
            mean, std = d["mean"], d["std"]
            if mean is None or std is None:
                continue
            label = "ROC AUC" if metric == "roc_auc" else "PR AUC"
            clear = mean > std
            beats_all &= clear
            word = "beats" if clear else ("is level with" if mean > -std else "loses to")
            texts.append(f"{word} it in {label} by {mean:+.3f} ± {std:.3f}")
        parts.append(f"{title}: " + ", ".join(texts))
    head = "the model beats every baseline" if beats_all else "the model does NOT clearly beat every baseline"
    how = f"{cv.k}-fold CV, mean ± std of the per-fold differences; 'beats' = more than the spread"
    return f"{head} ({how}) - " + "; ".join(parts)


def describe_folds(cv: CrossValidation) -> dict[str, Any]:
    """The cross-validation part of the metadata."""
    return {
        "folds": cv.k,
        "rows_per_fold": cv.fold_rows,
        "fit_rows_per_fold": cv.fit_rows,
        "regularization_c_per_fold": cv.fold_c or None,
        "metrics": cv.summary(),
        "per_fold": cv.folds,
        "differences": cv.differences(),
        "seconds": round(cv.seconds, 3),
    }
