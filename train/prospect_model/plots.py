"""Evaluation plots rendered in memory as PNG bytes (matplotlib's Agg backend).

Figures are created with ``matplotlib.figure.Figure`` on an Agg canvas, never
through pyplot, so no GUI backend is touched and nothing global is changed.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve, roc_curve

from .modeling import Evaluation

#: File names of the plots, in report order, with their titles.
PLOT_FILES: dict[str, str] = {
    "confusion_matrix.png": "Confusion matrix",
    "roc_curve.png": "ROC curve",
    "precision_recall_curve.png": "Precision-recall curve",
    "calibration_curve.png": "Calibration curve",
}


def _render(draw: Callable[[Figure], None], size: tuple[float, float] = (5.0, 4.2)) -> bytes:
    figure = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(figure)
    draw(figure)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def confusion_matrix_png(evaluation: Evaluation) -> bytes:
    """Confusion matrix of the model's class predictions on the test rows."""
    matrix = np.asarray(evaluation.confusion_matrix)

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        image = ax.imshow(matrix, cmap="Blues")
        figure.colorbar(image, ax=ax)
        labels = ["no conversion", "conversion"]
        ax.set_xticks([0, 1], labels=labels)
        ax.set_yticks([0, 1], labels=labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("actual")
        ax.set_title("Confusion matrix (test rows)")
        threshold = matrix.max() / 2.0
        for (i, j), value in np.ndenumerate(matrix):
            ax.text(j, i, f"{value:,}", ha="center", va="center",
                    color="white" if value > threshold else "black")

    return _render(draw)


def roc_curve_png(evaluation: Evaluation) -> bytes:
    """ROC curve of the model, with the prior baseline (the diagonal)."""
    fpr, tpr, _ = roc_curve(evaluation.y_true, evaluation.prob)

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.plot(fpr, tpr, label=f"model (AUC {evaluation.model_metrics['roc_auc']:.3f})")
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="baseline (AUC 0.500)")
        ax.set_xlabel("false positive rate")
        ax.set_ylabel("true positive rate")
        ax.set_title("ROC curve (test rows)")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.legend(loc="lower right")

    return _render(draw)


def precision_recall_png(evaluation: Evaluation) -> bytes:
    """Precision-recall curve of the model, with the baseline (the positive rate)."""
    precision, recall, _ = precision_recall_curve(evaluation.y_true, evaluation.prob)
    prevalence = float(np.mean(evaluation.y_true))

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.step(recall, precision, where="post",
                label=f"model (AP {evaluation.model_metrics['pr_auc']:.3f})")
        ax.axhline(prevalence, linestyle="--", color="grey", label=f"baseline (AP {prevalence:.3f})")
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_title("Precision-recall curve (test rows)")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.legend(loc="upper right")

    return _render(draw)


def calibration_png(evaluation: Evaluation, n_bins: int = 10) -> bytes:
    """Calibration (reliability) curve: observed conversion rate vs predicted probability."""
    observed, predicted = calibration_curve(
        evaluation.y_true, evaluation.prob, n_bins=n_bins, strategy="uniform"
    )

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
        ax.plot(predicted, observed, marker="o", label="model")
        ax.plot([evaluation.baseline_prob], [float(np.mean(evaluation.y_true))], marker="s",
                linestyle="none", color="black", label="baseline (training prior)")
        ax.set_xlabel("mean predicted probability")
        ax.set_ylabel("observed conversion rate")
        ax.set_title("Calibration curve (test rows)")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.legend(loc="upper left")

    return _render(draw)


def render_plots(evaluation: Evaluation) -> dict[str, bytes]:
    """All plots as ``{file name: PNG bytes}`` (keys as in :data:`PLOT_FILES`)."""
    return {
        "confusion_matrix.png": confusion_matrix_png(evaluation),
        "roc_curve.png": roc_curve_png(evaluation),
        "precision_recall_curve.png": precision_recall_png(evaluation),
        "calibration_curve.png": calibration_png(evaluation),
    }
