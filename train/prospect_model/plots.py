"""Evaluation plots of the test side, rendered in memory as PNG bytes (matplotlib's Agg backend).

Figures are created with ``matplotlib.figure.Figure`` on an Agg canvas, never
through pyplot, so no GUI backend is touched and nothing global is changed.
scikit-learn's ``*Display`` classes draw the confusion matrix, ROC,
precision-recall and calibration curves. Nothing assumes coefficients: the
coefficient plot is made only for a model that has them.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.calibration import CalibrationDisplay, calibration_curve
from sklearn.metrics import ConfusionMatrixDisplay, PrecisionRecallDisplay, RocCurveDisplay

from .evaluation import LABELS, Evaluation

#: File names of the plots every run makes, in report order, with their titles.
PLOT_FILES: dict[str, str] = {
    "confusion_matrix.png": "Confusion matrix",
    "roc_curve.png": "ROC curve",
    "precision_recall_curve.png": "Precision-recall curve",
    "calibration_curve.png": "Calibration curve",
    "cumulative_gains.png": "Cumulative gains and lift",
    "score_histogram.png": "Scores by class",
    "permutation_importance.png": "Permutation importance",
}
COEFFICIENTS_PLOT = {"coefficients.png": "Coefficients (logistic regression, transformed features)"}
CALIBRATION_BINS = 10


def plot_files(evaluation: Evaluation) -> dict[str, str]:
    """The plots of this run (the coefficient plot only for a model with coefficients)."""
    files = dict(PLOT_FILES)
    if not evaluation.importance:
        files.pop("permutation_importance.png")
    if evaluation.coefficients:
        files.update(COEFFICIENTS_PLOT)
    return files


def _render(draw: Callable[[Figure], None], size: tuple[float, float] = (5.6, 4.4)) -> bytes:
    figure = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(figure)
    draw(figure)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def confusion_matrix_png(evaluation: Evaluation) -> bytes:
    """Confusion matrix of the model's class predictions at the chosen threshold."""

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ConfusionMatrixDisplay(np.asarray(evaluation.confusion_matrix), display_labels=LABELS).plot(
            ax=ax, cmap="Blues", values_format=",d", colorbar=True
        )
        ax.set_title(f"Confusion matrix (test rows, threshold {evaluation.threshold:.3f})")

    return _render(draw)


def roc_curve_png(evaluation: Evaluation) -> bytes:
    """ROC curve of the model and of the baselines that rank."""

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        RocCurveDisplay.from_predictions(evaluation.y_true, evaluation.prob, name="model", ax=ax)
        for name, score in evaluation.baseline_scores.items():
            if name != "prior":
                RocCurveDisplay.from_predictions(evaluation.y_true, score, name=f"baseline: {name}", ax=ax)
                ax.lines[-1].set_linestyle(":")
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="prior (AUC = 0.50)")
        ax.set_title("ROC curve (test rows)")
        ax.legend(loc="lower right", fontsize="small")

    return _render(draw)


def precision_recall_png(evaluation: Evaluation) -> bytes:
    """Precision-recall curve of the model and the baselines; the prior is the positive rate."""
    prevalence = float(np.mean(evaluation.y_true))

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        PrecisionRecallDisplay.from_predictions(evaluation.y_true, evaluation.prob, name="model", ax=ax)
        for name, score in evaluation.baseline_scores.items():
            if name != "prior":
                PrecisionRecallDisplay.from_predictions(evaluation.y_true, score, name=f"baseline: {name}", ax=ax)
                ax.lines[-1].set_linestyle(":")
        ax.axhline(prevalence, linestyle="--", color="grey", label=f"prior (AP = {prevalence:.3f})")
        ax.set_title("Precision-recall curve (test rows)")
        ax.set_ylim(0, 1.01)
        ax.legend(loc="upper right", fontsize="small")

    return _render(draw)


def calibration_png(evaluation: Evaluation) -> bytes:
    """Reliability curve with quantile bins (equal numbers of rows), rows per bin below."""
    observed, predicted = calibration_curve(
        evaluation.y_true, evaluation.prob, n_bins=CALIBRATION_BINS, strategy="quantile"
    )
    edges = np.unique(np.quantile(evaluation.prob, np.linspace(0, 1, CALIBRATION_BINS + 1)))

    def draw(figure: Figure) -> None:
        ax, counts_ax = figure.subplots(2, 1, height_ratios=[3, 1], sharex=True)
        CalibrationDisplay(observed, predicted, evaluation.prob, estimator_name="model").plot(ax=ax)
        ax.plot([evaluation.prior], [float(np.mean(evaluation.y_true))], marker="s", linestyle="none",
                color="black", label="prior (training positive rate)")
        ax.set_title(f"Calibration (test rows, {len(predicted)} quantile bins)")
        ax.legend(loc="upper left", fontsize="small")
        counts_ax.hist(evaluation.prob, bins=list(edges) if len(edges) > 1 else 10, color="grey", edgecolor="white")
        counts_ax.set_ylabel("rows")
        counts_ax.set_xlabel("mean predicted probability (bins hold equal numbers of rows)")

    return _render(draw, (5.6, 5.6))


def cumulative_gains_png(evaluation: Evaluation) -> bytes:
    """Share of conversions found when contacting the top x% of rows by score, and the lift."""
    order = np.argsort(-evaluation.prob, kind="stable")
    hits = np.cumsum(evaluation.y_true[order])
    share = np.arange(1, len(order) + 1) / len(order)
    gains = hits / max(int(hits[-1]), 1)
    step = max(len(order) // 500, 1)

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.plot(share[::step], gains[::step], label="model")
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="random (prior)")
        ax.set_xlabel("share of rows contacted (highest scores first)")
        ax.set_ylabel("share of conversions found")
        ax.set_title("Cumulative gains (test rows)")
        lift = ax.twinx()
        lift.plot(share[::step], (gains / share)[::step], color="tab:orange", alpha=0.6, label="lift")
        lift.set_ylabel("lift (gain / share)")
        ax.legend(loc="lower right", fontsize="small")

    return _render(draw)


def score_histogram_png(evaluation: Evaluation) -> bytes:
    """Distribution of the model's score for converting and other rows, with the threshold."""
    bins = np.linspace(0, max(float(evaluation.prob.max()), evaluation.threshold) * 1.02 + 1e-9, 41).tolist()

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        for label, value in ((LABELS[0], 0), (LABELS[1], 1)):
            ax.hist(evaluation.prob[evaluation.y_true == value], bins=bins, density=True, alpha=0.55, label=label)
        label = f"threshold {evaluation.threshold:.3f}"
        ax.axvline(evaluation.threshold, color="black", linestyle="--", label=label)
        ax.set_xlabel("predicted probability")
        ax.set_ylabel("density")
        ax.set_title("Scores by class (test rows)")
        ax.legend(fontsize="small")

    return _render(draw)


def _bars(values: dict[str, float], errors: dict[str, float] | None, title: str, xlabel: str) -> bytes:
    names = sorted(values, key=lambda n: abs(values[n]))[-25:]

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.barh(names, [values[n] for n in names], xerr=[errors[n] for n in names] if errors else None,
                color="tab:blue")
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.tick_params(axis="y", labelsize="small")

    return _render(draw, (6.4, max(3.0, 0.32 * len(names) + 1.5)))


def importance_png(evaluation: Evaluation) -> bytes:
    """Permutation importance: drop in test ROC AUC when one feature's values are shuffled."""
    means = {k: v["mean"] for k, v in evaluation.importance.items()}
    stds = {k: v["std"] for k, v in evaluation.importance.items()}
    return _bars(means, stds, "Permutation importance (test rows)", "drop in ROC AUC when shuffled")


def coefficients_png(evaluation: Evaluation) -> bytes:
    """The logistic regression's coefficients (on the transformed, scaled features)."""
    return _bars(evaluation.coefficients or {}, None, "Coefficients", "coefficient (log-odds per unit)")


def render_plots(evaluation: Evaluation) -> dict[str, bytes]:
    """All plots of :func:`plot_files` as ``{file name: PNG bytes}``."""
    renderers: dict[str, Callable[[Evaluation], bytes]] = {
        "confusion_matrix.png": confusion_matrix_png,
        "roc_curve.png": roc_curve_png,
        "precision_recall_curve.png": precision_recall_png,
        "calibration_curve.png": calibration_png,
        "cumulative_gains.png": cumulative_gains_png,
        "score_histogram.png": score_histogram_png,
        "permutation_importance.png": importance_png,
        "coefficients.png": coefficients_png,
    }
    return {name: renderers[name](evaluation) for name in plot_files(evaluation)}
