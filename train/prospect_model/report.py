"""The Markdown report (``report.md``), rendered from the run's metadata.

It opens with the verdict (does the model beat each baseline, by how much, with
the folds' spread), then the cross-validated metrics (mean ± std over the folds)
of the model and the baselines, the test side, the threshold and how it was
chosen, the data and split, the features and what the pipeline does to them,
permutation importance (and coefficients for a logistic regression), and plots.
"""

from __future__ import annotations

import math
from typing import Any

from .modeling import METRIC_LABELS
from .plots import COEFFICIENTS_PLOT, PLOT_FILES

BASELINE_HEADERS = {"prior": "Prior", "best_feature": "Best feature", "tutorial": "Tutorial logreg"}


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}" if math.isfinite(value) else "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _spread(summary: dict[str, Any] | None) -> str:
    if not summary or summary.get("mean") is None:
        return "n/a"
    return f"{summary['mean']:.4f} ± {summary['std']:.4f}"


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_report(metadata: dict[str, Any], classification_report_text: str) -> str:
    """Render the report from the run's metadata; plots are linked by relative file name."""
    dbt = metadata["dbt"]
    model = metadata["model"]
    cv = metadata["cross_validation"]
    baselines = [b for b in BASELINE_HEADERS if b in cv["metrics"]]
    best = metadata["best_feature"]
    lines: list[str] = [
        "# Prospect scoring model: training report",
        "",
        f"**Verdict:** {metadata['verdict']}.",
        "",
        f"- Model: `{model['kind']}` ({model['estimator']} in a scikit-learn Pipeline), class weight "
        f"`{model['class_weight']}`"
        + (f", numeric transform `{model['numeric_transform']}`" if model["numeric_transform"] else "")
        + (f", L2 regularisation C={model['regularization']['c']:g} ({model['regularization']['source']})"
           if model.get("regularization") else "")
        + f", {model['n_iter']} iterations{'' if model['converged'] else ' (**not converged**)'}",
        f"- Decision threshold: **{metadata['threshold']:.4f}** ({metadata['threshold_source']}); "
        "accuracy, F1, precision, recall and the confusion matrix use it",
        f"- Trained at (UTC): {metadata['trained_at_utc']}",
        f"- Data: `{metadata['table']}` from {metadata['data_source']}"
        + (f", build `{dbt['build_invocation_id']}`" if dbt.get("build_invocation_id") else ""),
        f"- dbt profile `{dbt['profile']}`, target `{dbt['target']}` (type {dbt['type']})",
        f"- Target: `{metadata['target']}`",
        f"- Split: **{metadata['split']}**, test size {metadata['test_size']}, seed {metadata['seed']}",
        f"- Data fingerprint: `{metadata['data_fingerprint']['sha256']}`",
        "",
        f"## Cross-validation ({cv['folds']} folds of the training side, mean ± std)",
        "",
    ]
    headers = ["Metric", "Model"] + [BASELINE_HEADERS[b] for b in baselines]
    rows = []
    for key, label in METRIC_LABELS.items():
        rows.append([label, _spread(cv["metrics"]["model"].get(key))]
                    + [_spread(cv["metrics"][b].get(key)) for b in baselines])
    lines += _table(headers, rows)
    lines += [
        "",
        "Model minus baseline, per fold (same rows), mean ± std:",
        "",
    ]
    diff_rows = []
    for b in baselines:
        d = cv["differences"][b]
        diff_rows.append([BASELINE_HEADERS[b], _spread(d["roc_auc"]), _spread(d["pr_auc"])])
    lines += _table(["Baseline", "Δ ROC AUC", "Δ PR AUC"], diff_rows)
    lines += [
        "",
        f"Baselines: the prior predicts the training positive rate; the best single feature is `{best}` "
        "(chosen on the training side, used as a score: ranking metrics only); the tutorial's model is "
        "`LogisticRegression(class_weight='balanced')` on the three raw counters (threshold 0.5)"
        + ("" if "tutorial" in baselines else " - not shown: its counters are not all features here")
        + ". Folds group rows by visitor"
        + (" (rows split: by row)" if metadata["split"] == "rows" else "")
        + "; a fold's fit uses at most "
        f"{_fmt(max(cv['fit_rows_per_fold']))} rows.",
        "",
        f"## Test side ({_fmt(metadata['counts']['test']['rows'])} rows)",
        "",
    ]
    test = metadata["metrics"]
    rows = [[label, _fmt(test["model"][key])] + [_fmt(test["baselines"][b][key]) for b in baselines]
            for key, label in METRIC_LABELS.items()]
    lines += _table(headers, rows)
    lines += ["", "## Split and counts", ""]
    rows = []
    for side, label in (("train", "Training"), ("test", "Test")):
        c = metadata["counts"][side]
        rows.append([label, _fmt(c["rows"]), _fmt(c["visitors"]), _fmt(c["positives"]),
                     _fmt(c["negatives"]), f"{100 * c['positive_rate']:.2f}%"])
    lines += _table(["Side", "Rows", "Visitors", "Positives", "Negatives", "Positive rate"], rows)
    maturity = metadata["label_maturity_column"]
    split_text = {
        "visitor": "The visitor split keeps each `domain_userid` on one side only.",
        "rows": "The row split is the tutorial's `train_test_split(..., stratify=y)`; a visitor can have rows "
        "on both sides.",
        "time": "The time split tests on the rows from {cut} on; training rows are those whose label matured "
        "before the cut (event + {h} s <= cut); {gap} rows in between were left out.".format(
            cut=metadata["split_info"].get("cut_utc"), h=metadata["split_info"].get("horizon_seconds"),
            gap=_fmt(metadata["split_info"].get("rows_left_out_label_not_mature_at_cut")),
        ),
    }[metadata["split"]]
    lines += [
        "",
        f"Rows in the table: {_fmt(metadata['rows_in_table'])}; used: {_fmt(metadata['rows_used'])} "
        f"({_fmt(metadata['visitors_used'])} visitors).",
        (
            f"Left out as immature (`{maturity}` not true): {_fmt(metadata['rows_excluded_immature'])}."
            if maturity
            else "The table has no label-maturity column: all rows were used."
        ),
        split_text,
        "",
        "## Features",
        "",
    ]
    importance = metadata.get("permutation_importance") or {}
    rows = []
    for entry in metadata["feature_contract"]:
        name = entry["name"]
        imp = importance.get(name)
        rows.append([
            f"`{name}`", entry["feature_kind"] or "", _escape(model["preprocessing"].get(name, "")),
            f"{imp['mean']:.4f} ± {imp['std']:.4f}" if imp else "n/a", _escape(entry.get("description") or ""),
        ])
    lines += _table(["Feature", "Kind", "Preprocessing", "Permutation importance (Δ ROC AUC)", "Description"],
                    rows, ["---", "---", "---", "---:", "---"])
    coefficients = metadata.get("coefficients")
    if coefficients:
        lines += ["", "## Coefficients (logistic regression, on the transformed features)", ""]
        coef_rows = [[f"`{name}`", _fmt(value)] for name, value in coefficients.items()]
        coef_rows.append(["(intercept)", _fmt(metadata["intercept"])])
        lines += _table(["Feature", "Coefficient"], coef_rows)
    lines += [
        "",
        f"## Classification report (model, test rows, threshold {metadata['threshold']:.4f})",
        "",
        "```",
        classification_report_text.rstrip(),
        "```",
        "",
        "## Plots",
        "",
    ]
    titles = {**PLOT_FILES, **COEFFICIENTS_PLOT}
    for file_name in metadata["artifacts"]:
        if file_name in titles:
            lines += [f"### {titles[file_name]}", "", f"![{titles[file_name]}]({file_name})", ""]
    versions = ", ".join(f"{k} {v}" for k, v in metadata["versions"].items())
    lines += ["## Environment", "", versions, ""]
    warnings = model.get("fit_warnings") or []
    if warnings:
        lines += ["## Fit warnings", ""] + [f"- {w}" for w in warnings] + [""]
    if metadata.get("excluded_features"):
        lines += ["## Features left out of the model", ""]
        lines += [f"- `{k}`: {v}" for k, v in metadata["excluded_features"].items()] + [""]
    if metadata.get("dropped_features"):
        lines += ["## Dropped features", ""]
        lines += [f"- `{k}`: {v}" for k, v in metadata["dropped_features"].items()] + [""]
    return "\n".join(lines)
