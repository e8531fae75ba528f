"""Fit the model, score rows, compute metrics, choose the threshold; the baselines.

The model is the Pipeline of :mod:`.preprocessing`. For ``logreg`` the L2
regularisation strength ``C`` is chosen, unless given, by an inner
cross-validation on the rows being fitted (visitor-grouped folds of those rows
only, never the rows the fit is evaluated on; see :func:`choose_c`): with few
visitors and many one-hot columns scikit-learn's ``C=1`` overfits, with millions
of rows it hardly matters. By default
(``--class-weight none``) it is fitted on the rows as they are, so its
probabilities estimate the real conversion rate (log loss and Brier score can be
compared with the prior's); ``--class-weight balanced`` reproduces the
tutorial's weighting, which inflates probabilities.

Baselines, evaluated on exactly the rows the model is evaluated on:

* ``prior``: the constant probability "positive rate of the training rows";
* ``best_feature``: the one feature that ranks the training rows best (ROC AUC,
  chosen on the training side only), used as a score: its value (negated if
  larger values mean fewer conversions; NULL -> median), or for a categorical one
  the positive rate of its value in the training rows. A score, not a
  probability: only ranking metrics (ROC AUC, PR AUC) are given;
* ``tutorial``: the tutorial's ``LogisticRegression(class_weight='balanced')``
  on its three raw counters, when they are features (threshold 0.5, as there);
  fitted on at most :data:`TUTORIAL_MAX_ROWS` of the training rows (a random sample).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    log_loss,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from .contract import FeatureSpec
from .errors import TrainingError
from .preprocessing import ModelOptions, build_pipeline, empty_numeric_features
from .splitting import fold_ids

log = logging.getLogger(__name__)

#: Metric keys in display order, with labels for tables.
METRIC_LABELS: dict[str, str] = {
    "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC (average precision)",
    "log_loss": "Log loss",
    "brier": "Brier score",
    "accuracy": "Accuracy",
    "f1": "F1",
    "precision": "Precision",
    "recall": "Recall",
}
#: Metrics that only need a ranking score.
RANKING_METRICS: tuple[str, ...] = ("roc_auc", "pr_auc")
#: Metrics where lower is better.
LOWER_IS_BETTER: frozenset[str] = frozenset({"log_loss", "brier"})
#: The tutorial's three counters (the ``tutorial`` baseline needs them all).
TUTORIAL_FEATURES: tuple[str, ...] = ("num_page_views", "num_pricing_views", "num_customers_views")
TUTORIAL_THRESHOLD = 0.5
#: Training rows the tutorial baseline is fitted on at most (a random sample of rows beyond that).
TUTORIAL_MAX_ROWS = 1_000_000
BASELINE_NAMES: tuple[str, ...] = ("prior", "best_feature", "tutorial")


#: The values of ``C`` the inner cross-validation tries (log-spaced; scikit-learn's default is 1).
C_GRID: tuple[float, ...] = tuple(float(c) for c in np.logspace(-3, 1, 9))
#: Folds of the inner cross-validation that chooses ``C``.
INNER_FOLDS = 3
#: Rows the inner cross-validation uses at most (a random sample of visitors beyond that).
TUNING_MAX_ROWS = 50_000
#: Below this many rows, fits run with one BLAS thread: on small matrices OpenBLAS's threads cost
#: more than they gain (web_full sample, 6k rows x 100 columns: 5-8x slower with 2 threads).
SINGLE_THREAD_BLAS_ROWS = 200_000


@contextmanager
def blas_threads_for(n_rows: int) -> Iterator[None]:
    """One BLAS thread while fitting fewer than :data:`SINGLE_THREAD_BLAS_ROWS` rows, else the default."""
    if n_rows >= SINGLE_THREAD_BLAS_ROWS:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@dataclass(frozen=True)
class Regularization:
    """The ``C`` a logreg fit used and where it came from (with the inner CV's mean log loss per ``C``)."""

    c: float
    source: str
    log_loss_by_c: dict[str, float] = field(default_factory=dict)


@dataclass
class FitResult:
    """The fitted pipeline and facts about the fit."""

    model: Pipeline
    seconds: float
    n_iter: int
    converged: bool
    warnings: list[str] = field(default_factory=list)
    regularization: Regularization | None = None


def choose_c(
    frame: pd.DataFrame, y: np.ndarray, spec: FeatureSpec, used: Sequence[str], options: ModelOptions,
    *, groups: np.ndarray | None,
) -> Regularization:
    """``C`` with the lowest mean log loss over :data:`INNER_FOLDS` folds of these rows (:data:`C_GRID`).

    Folds are visitor-grouped (``groups``; by rows when None), so a visitor's rows never
    sit on both sides. Each inner fold fits the preprocessing once and the classifier along
    the grid with warm starts. Beyond :data:`TUNING_MAX_ROWS` rows, a random sample of
    visitors is used. Too few visitors of a class for the inner folds: ``C=1`` (said so).
    """
    index = np.arange(len(y))
    if len(y) > TUNING_MAX_ROWS:
        keys = groups if groups is not None else index
        codes = np.unique(keys, return_inverse=True)[1]
        keep = np.random.default_rng(options.seed + 3).random(int(codes.max()) + 1) < TUNING_MAX_ROWS / len(y)
        index = np.flatnonzero(keep[codes])
    y_t = np.asarray(y)[index]
    try:
        folds = fold_ids(y_t, groups[index] if groups is not None else index, INNER_FOLDS, options.seed + 4,
                         by_rows=groups is None)
    except TrainingError:
        return Regularization(c=1.0, source="scikit-learn's default: too few visitors of a class for the inner CV")
    frame_t = frame.iloc[index]
    totals = np.zeros(len(C_GRID))
    with warnings.catch_warnings(), blas_threads_for(len(index)):
        warnings.simplefilter("ignore")
        for fold in range(INNER_FOLDS):
            fit, held = folds != fold, folds == fold
            pipeline = build_pipeline(spec, used, replace(options, c=1.0), int(fit.sum()),
                                      empty=empty_numeric_features(frame_t[fit], spec, used))
            preprocess = pipeline.named_steps["preprocess"]
            z_fit = preprocess.fit_transform(frame_t[fit], y_t[fit])
            z_held = preprocess.transform(frame_t[held])
            classifier = clone(pipeline.named_steps["classifier"]).set_params(warm_start=True)
            for i, c in enumerate(C_GRID):
                classifier.set_params(C=c).fit(z_fit, y_t[fit])
                prob = np.clip(classifier.predict_proba(z_held)[:, 1], 1e-15, 1 - 1e-15)
                totals[i] += log_loss(y_t[held], prob, labels=[0, 1])
    means = totals / INNER_FOLDS
    best = int(np.argmin(means))
    how = "visitor-grouped" if groups is not None else "row"
    sample = f", a sample of {len(index)} of {len(y)} rows" if len(index) < len(y) else ""
    return Regularization(
        c=C_GRID[best],
        source=f"lowest mean log loss over {INNER_FOLDS} {how} inner folds of the fitted rows{sample}",
        log_loss_by_c={f"{c:g}": float(m) for c, m in zip(C_GRID, means, strict=True)},
    )


def fit_model(
    frame: pd.DataFrame, y: np.ndarray, spec: FeatureSpec, used: Sequence[str], options: ModelOptions,
    *, groups: np.ndarray | None = None, quiet: bool = False,
) -> FitResult:
    """Build and fit the pipeline; warnings (e.g. convergence) are logged and kept.

    ``logreg`` without a given ``C`` (and not the tutorial's raw estimator) first chooses it
    with :func:`choose_c` on these rows (``groups``: their visitors, for grouped inner folds).
    """
    start = time.perf_counter()
    regularization: Regularization | None = None
    if options.kind == "logreg":
        if options.c is not None:
            regularization = Regularization(c=options.c, source="given (--regularization-c)")
        elif options.tutorial_estimator:
            regularization = Regularization(c=1.0, source="scikit-learn's default (the tutorial's estimator)")
        else:
            regularization = choose_c(frame, y, spec, used, options, groups=groups)
            if not quiet:
                log.info("regularisation C = %g (%s)", regularization.c, regularization.source)
        options = replace(options, c=regularization.c)
    model = build_pipeline(spec, used, options, len(y), empty=empty_numeric_features(frame, spec, used))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with blas_threads_for(len(y)):
            model.fit(frame, y)
    seconds = time.perf_counter() - start
    messages = list(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    classifier = model.named_steps["classifier"]
    n_iter = int(np.max(classifier.n_iter_))
    converged = n_iter < classifier.max_iter if options.kind == "logreg" else True
    if not quiet:
        for message in messages:
            log.warning("fit: %s", message)
        log.info(
            "fitted %s on %d rows x %d features in %.2f s (%d iterations%s)",
            type(classifier).__name__, frame.shape[0], len(used), seconds, n_iter,
            "" if converged else ", not converged",
        )
    return FitResult(model=model, seconds=seconds, n_iter=n_iter, converged=converged, warnings=messages,
                     regularization=regularization)


def predict(model: Any, frame: pd.DataFrame) -> np.ndarray:
    """P(conversion) of each row."""
    return np.asarray(model.predict_proba(frame)[:, 1], dtype=np.float64)


def classification_metrics(y_true: np.ndarray, prob: np.ndarray, threshold: float | None) -> dict[str, float | None]:
    """Ranking metrics, probability metrics and (with a threshold) the thresholded ones.

    ``threshold=None`` marks ``prob`` as a score that is not a probability: only ROC
    AUC and PR AUC are given, the others are None.
    """
    y = np.asarray(y_true).astype(np.int8)
    metrics: dict[str, float | None] = {key: None for key in METRIC_LABELS}
    metrics["roc_auc"] = float(roc_auc_score(y, prob))
    metrics["pr_auc"] = float(average_precision_score(y, prob))
    if threshold is None:
        return metrics
    clipped = np.clip(prob, 1e-15, 1 - 1e-15)
    pred = (prob >= threshold).astype(np.int8)
    metrics.update(
        log_loss=float(log_loss(y, clipped, labels=[0, 1])),
        brier=float(brier_score_loss(y, prob)),
        accuracy=float(accuracy_score(y, pred)),
        f1=float(f1_score(y, pred, zero_division=0)),
        precision=float(precision_score(y, pred, zero_division=0)),
        recall=float(recall_score(y, pred, zero_division=0)),
    )
    return metrics


def best_f1_threshold(y_true: np.ndarray, prob: np.ndarray) -> float:
    """The probability threshold with the best F1 on these rows (``prob >= t`` is "conversion")."""
    precision, recall, thresholds = precision_recall_curve(np.asarray(y_true).astype(np.int8), prob)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    best = int(np.argmax(f1[:-1])) if len(thresholds) else 0
    return float(thresholds[best]) if len(thresholds) else 0.5


# --------------------------------------------------------------------------- baselines


@dataclass(frozen=True)
class SingleFeatureScore:
    """A feature used as a score (see module docstring)."""

    feature: str
    kind: str
    sign: float = 1.0
    fill: float = 0.0
    rates: dict[Any, float] = field(default_factory=dict)
    default_rate: float = 0.0
    training_roc_auc: float = 0.5

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        values = frame[self.feature]
        if self.kind == "categorical":
            mapped = values.map(lambda v: self.rates.get(v, self.default_rate))
            return np.asarray(mapped, dtype=np.float64)
        return self.sign * np.nan_to_num(np.asarray(values, dtype=np.float64), nan=self.fill)


def fit_single_feature(
    frame: pd.DataFrame, y: np.ndarray, feature: str, kind: str, *, with_auc: bool = True
) -> SingleFeatureScore:
    """Learn the score of one feature on training rows (``with_auc=False``: skip its training ROC AUC)."""
    values = frame[feature]
    if kind == "categorical":
        keys = values.where(values.notna(), None)
        rates = pd.Series(y.astype(np.float64)).groupby(keys.to_numpy(), dropna=False).mean()
        prior = float(np.mean(y))
        base = SingleFeatureScore(feature, kind, rates={k: float(v) for k, v in rates.items()}, default_rate=prior)
        auc = _auc(y, base.score(frame)) if with_auc else 0.5
        return SingleFeatureScore(feature, kind, rates=base.rates, default_rate=prior, training_roc_auc=auc)
    numeric = np.asarray(values, dtype=np.float64)
    fill = float(np.nanmedian(numeric))
    if not with_auc:
        return SingleFeatureScore(feature, kind, fill=fill)
    auc = _auc(y, np.nan_to_num(numeric, nan=fill))
    sign = 1.0 if auc >= 0.5 else -1.0
    return SingleFeatureScore(feature, kind, sign=sign, fill=fill, training_roc_auc=max(auc, 1.0 - auc))


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    return float(roc_auc_score(np.asarray(y).astype(np.int8), score))


#: Rows the choice of the best single feature looks at most (a random sample of rows beyond that).
BEST_FEATURE_MAX_ROWS = 500_000


def best_single_feature(
    frame: pd.DataFrame, y: np.ndarray, spec: FeatureSpec, used: Sequence[str], seed: int = 0
) -> SingleFeatureScore:
    """The feature whose score ranks these (training) rows best.

    Beyond :data:`BEST_FEATURE_MAX_ROWS` rows the choice (and its sign) is made on a random
    sample of them: ranking 15 features on 10M rows costs a minute and picks the same one.
    """
    if len(y) > BEST_FEATURE_MAX_ROWS:
        rows = np.sort(np.random.default_rng(seed + 5).choice(len(y), BEST_FEATURE_MAX_ROWS, replace=False))
        frame, y = frame.iloc[rows], np.asarray(y)[rows]
    scores = [fit_single_feature(frame, y, feature, spec.kind(feature)) for feature in used]
    return max(scores, key=lambda s: s.training_roc_auc)


def has_tutorial_features(used: Sequence[str]) -> bool:
    """Whether the tutorial's three counters are among the (used) features."""
    return all(f in used for f in TUTORIAL_FEATURES)


def fit_tutorial(frame: pd.DataFrame, y: np.ndarray, seed: int) -> LogisticRegression:
    """The tutorial's model on its three raw counters (NULL -> 0, as its serving code)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(random_state=seed, class_weight="balanced").fit(
            frame[list(TUTORIAL_FEATURES)].fillna(0.0), y
        )


def score_tutorial(model: LogisticRegression, frame: pd.DataFrame) -> np.ndarray:
    """P(conversion) of the tutorial's model."""
    return np.asarray(model.predict_proba(frame[list(TUTORIAL_FEATURES)].fillna(0.0))[:, 1], dtype=np.float64)


@dataclass
class Baselines:
    """The baselines fitted on one set of training rows."""

    prior: float
    best_feature: SingleFeatureScore
    tutorial: LogisticRegression | None

    def metrics(self, frame: pd.DataFrame, y: np.ndarray) -> dict[str, dict[str, float | None]]:
        """Metrics of each baseline on these rows."""
        out = {
            "prior": classification_metrics(y, np.full(len(y), self.prior), threshold=0.5),
            "best_feature": classification_metrics(y, self.best_feature.score(frame), threshold=None),
        }
        if self.tutorial is not None:
            out["tutorial"] = classification_metrics(y, score_tutorial(self.tutorial, frame), TUTORIAL_THRESHOLD)
        return out


def fit_baselines(
    frame: pd.DataFrame, y: np.ndarray, best_feature: SingleFeatureScore, used: Sequence[str], seed: int
) -> Baselines:
    """Fit the baselines on training rows (the best feature is chosen once, on the whole training side)."""
    refit = fit_single_feature(frame, y, best_feature.feature, best_feature.kind, with_auc=False)
    refit = SingleFeatureScore(
        best_feature.feature, best_feature.kind, sign=best_feature.sign, fill=refit.fill, rates=refit.rates,
        default_rate=refit.default_rate, training_roc_auc=best_feature.training_roc_auc,
    )
    prior = float(np.mean(y))
    tutorial = None
    if has_tutorial_features(used):
        rows = np.arange(len(y))
        if len(rows) > TUTORIAL_MAX_ROWS:  # three coefficients: a 1M-row sample fits the same model
            rows = np.sort(np.random.default_rng(seed + 6).choice(len(y), TUTORIAL_MAX_ROWS, replace=False))
            frame, y = frame.iloc[rows], np.asarray(y)[rows]
        tutorial = fit_tutorial(frame, y, seed)
    return Baselines(prior=prior, best_feature=refit, tutorial=tutorial)


def coefficients(model: Pipeline, names: Sequence[str]) -> dict[str, float] | None:
    """The logistic regression's coefficients by (transformed) feature name; None for other models."""
    classifier = model.named_steps["classifier"]
    if not hasattr(classifier, "coef_"):
        return None
    return {str(name): float(value) for name, value in zip(names, classifier.coef_[0], strict=True)}


def intercept(model: Pipeline) -> float | None:
    """The logistic regression's intercept; None for other models."""
    classifier = model.named_steps["classifier"]
    return float(classifier.intercept_[0]) if hasattr(classifier, "intercept_") else None
