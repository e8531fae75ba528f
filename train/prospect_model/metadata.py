"""The run's metadata (``metadata.json``): what was trained on what, and how well."""

from __future__ import annotations

import json
import math
import platform
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from typing import Any

import numpy as np

from .modeling import intercept
from .preprocessing import describe_preprocessing, output_feature_names
from .profiles import TargetConfig
from .reading import TrainingData
from .splitting import Split, side_counts
from .validation import describe_folds

SCHEMA_VERSION = 2
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
REPORT_FILE = "report.md"

#: Libraries whose versions are recorded (distribution names).
VERSIONED_LIBRARIES = ("scikit-learn", "pandas", "numpy", "pyarrow", "duckdb", "joblib", "matplotlib")

BASELINE_DESCRIPTION = (
    "constant probability = positive rate of the training rows; predicted class = "
    "training majority class"
)
BASELINE_DESCRIPTIONS = {
    "prior": BASELINE_DESCRIPTION,
    "best_feature": "the feature that ranks the training rows best (ROC AUC on the training side), used as a "
    "score (a categorical one: the training positive rate of its value); ranking metrics only",
    "tutorial": "the tutorial's LogisticRegression(class_weight='balanced') on num_page_views, "
    "num_pricing_views, num_customers_views (raw counts), threshold 0.5",
}


def library_versions() -> dict[str, str | None]:
    """Versions of Python and the libraries that shape the model and its inputs."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in VERSIONED_LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def utc_now() -> str:
    """The current UTC time as ISO 8601 with a ``Z`` suffix (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_metadata(
    *,
    data: TrainingData,
    target: TargetConfig,
    location: str,
    options: Any,
    split: Split,
    trained: Any,
    timings: dict[str, float],
    artifact_files: list[str],
    trained_at: str | None = None,
) -> dict[str, Any]:
    """Assemble the metadata dictionary (JSON-ready).

    ``options`` is the run's :class:`~.pipeline.TrainingOptions`, ``trained`` its
    :class:`~.pipeline.Trained`. Keys other programs rely on: ``features`` (the
    columns ``predict_proba`` takes, in order), ``threshold`` (``prob >= threshold``
    is a predicted conversion), ``feature_contract`` (one entry per feature, in
    feature order: name, feature_kind, data_type, aggregation, default_value,
    serving_transform, signals_definition (object or null), description) and
    ``model.kind`` (``logreg`` or ``hgb``).
    """
    fit, evaluation, cv = trained.fit, trained.evaluation, trained.cv
    model = fit.model
    classifier = model.named_steps["classifier"]
    model_options = options.model_options()
    counts = side_counts(split, data.y, data.groups)
    spec = data.spec
    return {
        "schema_version": SCHEMA_VERSION,
        "trained_at_utc": trained_at or utc_now(),
        "table": data.table,
        "columns_table": options.columns_table,
        "data_source": location,
        "dbt": {
            "profile": target.profile_name,
            "target": target.target_name,
            "type": target.type,
            "profiles_yml": str(target.profiles_path),
            "project_dir": str(target.project_dir),
            "build_invocation_id": spec.build_invocation_id,
        },
        "features": data.features,
        "used_features": data.used_features,
        "dropped_features": data.dropped,
        "excluded_features": dict(spec.excluded),
        "feature_descriptions": {f: spec.descriptions.get(f, "") for f in data.features},
        "feature_contract": [spec.column(f).as_metadata() for f in data.features],
        "target": spec.target,
        "label_maturity_column": data.label_maturity_column,
        "rows_in_table": data.rows_in_table,
        "rows_excluded_immature": data.rows_excluded_immature,
        "rows_used": data.n_rows,
        "visitors_used": data.n_visitors,
        "split": split.kind,
        "split_info": split.info,
        "seed": options.seed,
        "test_size": float(options.test_size),
        "row_order": list(data.order_by),
        "counts": counts,
        "threshold": cv.threshold,
        "threshold_source": cv.threshold_source,
        "model": {
            "kind": model_options.kind,
            "class": "sklearn.pipeline.Pipeline",
            "estimator": f"{type(classifier).__module__.split('._')[0]}.{type(classifier).__qualname__}",
            "params": classifier.get_params(),
            "class_weight": model_options.class_weight,
            "numeric_transform": model_options.numeric_transform if model_options.kind == "logreg" else None,
            "preprocessing": describe_preprocessing(spec, data.used_features, model_options),
            "output_features": output_feature_names(model),
            "file": MODEL_FILE,
            "classes": [bool(c) if isinstance(c, (bool, np.bool_)) else c for c in classifier.classes_],
            "regularization": None if fit.regularization is None else {
                "c": fit.regularization.c, "source": fit.regularization.source,
                "inner_cv_log_loss_by_c": fit.regularization.log_loss_by_c or None,
            },
            "n_iter": fit.n_iter,
            "converged": fit.converged,
            "fit_warnings": fit.warnings,
            "fit_rows": len(split.train),
        },
        "coefficients": evaluation.coefficients,
        "intercept": intercept(model),
        "permutation_importance": evaluation.importance,
        "verdict": trained.verdict,
        "best_feature": trained.best_feature,
        "cross_validation": describe_folds(cv),
        "metrics": {
            "model": evaluation.model_metrics,
            "baseline": evaluation.baseline_metrics["prior"],
            "baselines": evaluation.baseline_metrics,
        },
        "baseline": {
            "description": BASELINE_DESCRIPTION,
            "probability": evaluation.prior,
            "predicted_class": int(evaluation.prior >= 0.5),
        },
        "baselines": BASELINE_DESCRIPTIONS,
        "classification_report": evaluation.classification_report,
        "confusion_matrix": {
            "labels": ["no conversion", "conversion"],
            "rows": "actual",
            "columns": "predicted",
            "threshold": evaluation.threshold,
            "model": evaluation.confusion_matrix,
            "baseline": evaluation.baseline_confusion_matrix,
        },
        "data_fingerprint": data.fingerprint,
        "versions": library_versions(),
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        "artifacts": artifact_files,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def metadata_json_bytes(metadata: dict[str, Any]) -> bytes:
    """Serialise metadata as indented UTF-8 JSON (NaN/inf become null)."""
    return (json.dumps(_jsonable(metadata), indent=2, allow_nan=False) + "\n").encode("utf-8")
