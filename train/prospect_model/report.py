"""The Markdown report (``report.md``): metrics, split, coefficients and plots."""

from __future__ import annotations

import math
from typing import Any

from .modeling import METRIC_LABELS
from .plots import PLOT_FILES


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}" if math.isfinite(value) else "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_report(metadata: dict[str, Any], classification_report_text: str) -> str:
    """Render the report from the run's metadata; plots are linked by relative file name."""
    dbt = metadata["dbt"]
    model_metrics = metadata["metrics"]["model"]
    baseline_metrics = metadata["metrics"]["baseline"]
    counts = metadata["counts"]
    lines: list[str] = [
        "# Prospect scoring model: training report",
        "",
        f"- Trained at (UTC): {metadata['trained_at_utc']}",
        f"- Data: `{metadata['table']}` from {metadata['data_source']}",
        f"- dbt profile `{dbt['profile']}`, target `{dbt['target']}` (type {dbt['type']})",
        f"- Target: `{metadata['target']}`",
        f"- Features (in model order): {', '.join(f'`{f}`' for f in metadata['features'])}",
        f"- Model: `{metadata['model']['class']}` with `class_weight='balanced'`, "
        f"`random_state={metadata['seed']}` ({metadata['model']['n_iter']} lbfgs iterations"
        f"{'' if metadata['model']['converged'] else ', **not converged**'})",
        f"- Split: **{metadata['split']}**, test size {metadata['test_size']}, seed {metadata['seed']}",
        f"- Data fingerprint: `{metadata['data_fingerprint']['sha256']}`",
        "",
        "## Metrics on the held-out rows",
        "",
    ]
    lines += _table(
        ["Metric", "Model", "Baseline (training prior)"],
        [[label, _fmt(model_metrics[key]), _fmt(baseline_metrics[key])] for key, label in METRIC_LABELS.items()],
    )
    lines += [
        "",
        f"The baseline predicts the training positive rate "
        f"({_fmt(metadata['baseline']['probability'])}) for every row and the training "
        f"majority class ({'conversion' if metadata['baseline']['predicted_class'] else 'no conversion'}). "
        "`class_weight='balanced'` inflates the model's probabilities, so compare log loss, "
        "Brier score and the calibration curve with that in mind; ROC AUC and PR AUC measure ranking.",
        "",
        "## Split and counts",
        "",
    ]
    rows = []
    for side, label in (("train", "Training"), ("test", "Test")):
        c = counts[side]
        rows.append([label, _fmt(c["rows"]), _fmt(c["visitors"]), _fmt(c["positives"]),
                     _fmt(c["negatives"]), f"{100 * c['positive_rate']:.2f}%"])
    lines += _table(["Side", "Rows", "Visitors", "Positives", "Negatives", "Positive rate"], rows)
    maturity = metadata["label_maturity_column"]
    lines += [
        "",
        f"Rows in the table: {_fmt(metadata['rows_in_table'])}; used: {_fmt(metadata['rows_used'])} "
        f"({_fmt(metadata['visitors_used'])} visitors).",
        (
            f"Left out as immature (`{maturity}` not true): {_fmt(metadata['rows_excluded_immature'])}."
            if maturity
            else "The table has no label-maturity column: all rows were used."
        ),
        (
            "The visitor split keeps each `domain_userid` on one side only."
            if metadata["split"] == "visitor"
            else "The row split is the tutorial's `train_test_split(..., stratify=y)`; "
            "a visitor can have rows on both sides."
        ),
        "",
        "## Coefficients",
        "",
    ]
    descriptions = metadata.get("feature_descriptions", {})
    coef_rows = [
        [f"`{name}`", _fmt(value), _fmt(math.exp(value) if abs(value) < 700 else None, 3),
         descriptions.get(name, "").replace("|", "\\|")]
        for name, value in metadata["coefficients"].items()
    ]
    coef_rows.append(["(intercept)", _fmt(metadata["intercept"]), "", ""])
    lines += _table(["Feature", "Coefficient", "Odds ratio per unit", "Description"], coef_rows,
                    ["---", "---:", "---:", "---"])
    lines += [
        "",
        "## Classification report (model, test rows)",
        "",
        "```",
        classification_report_text.rstrip(),
        "```",
        "",
        "## Plots",
        "",
    ]
    for file_name, title in PLOT_FILES.items():
        lines += [f"### {title}", "", f"![{title}]({file_name})", ""]
    versions = ", ".join(f"{k} {v}" for k, v in metadata["versions"].items())
    lines += ["## Environment", "", versions, ""]
    warnings = metadata["model"].get("fit_warnings") or []
    if warnings:
        lines += ["## Fit warnings", ""] + [f"- {w}" for w in warnings] + [""]
    return "\n".join(lines)
