"""The run's metadata (``metadata.json``): what was trained on what, and how well."""

from __future__ import annotations

import json
import math
import platform
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from typing import Any

import numpy as np

from .dataset import TrainingData
from .modeling import Evaluation, FitResult, coefficients
from .profiles import TargetConfig
from .splitting import Split, side_counts

SCHEMA_VERSION = 1
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
REPORT_FILE = "report.md"

#: Libraries whose versions are recorded (distribution names).
VERSIONED_LIBRARIES = ("scikit-learn", "pandas", "numpy", "pyarrow", "duckdb", "joblib", "matplotlib")

BASELINE_DESCRIPTION = (
    "constant probability = positive rate of the training rows; predicted class = "
    "training majority class"
)


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
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_metadata(
    *,
    data: TrainingData,
    target: TargetConfig,
    location: str,
    columns_table: str,
    split: Split,
    test_size: float,
    seed: int,
    fit: FitResult,
    evaluation: Evaluation,
    timings: dict[str, float],
    artifact_files: list[str],
    trained_at: str | None = None,
) -> dict[str, Any]:
    """Assemble the metadata dictionary (JSON-ready)."""
    model = fit.model
    counts = side_counts(split, data.y, data.groups)
    return {
        "schema_version": SCHEMA_VERSION,
        "trained_at_utc": trained_at or utc_now(),
        "table": data.table,
        "columns_table": columns_table,
        "data_source": location,
        "dbt": {
            "profile": target.profile_name,
            "target": target.target_name,
            "type": target.type,
            "profiles_yml": str(target.profiles_path),
            "project_dir": str(target.project_dir),
        },
        "features": data.features,
        "feature_descriptions": {f: data.spec.descriptions.get(f, "") for f in data.features},
        "target": data.spec.target,
        "label_maturity_column": data.label_maturity_column,
        "rows_in_table": data.rows_in_table,
        "rows_excluded_immature": data.rows_excluded_immature,
        "rows_used": data.n_rows,
        "visitors_used": data.n_visitors,
        "split": split.kind,
        "seed": seed,
        "test_size": test_size,
        "row_order": list(data.order_by),
        "counts": counts,
        "model": {
            "class": f"{type(model).__module__.split('._')[0]}.{type(model).__qualname__}",
            "params": model.get_params(),
            "file": MODEL_FILE,
            "classes": [bool(c) if isinstance(c, (bool, np.bool_)) else c for c in model.classes_],
            "n_iter": fit.n_iter,
            "converged": fit.converged,
            "fit_warnings": fit.warnings,
        },
        "coefficients": coefficients(model, data.features),
        "intercept": float(model.intercept_[0]),
        "metrics": {"model": evaluation.model_metrics, "baseline": evaluation.baseline_metrics},
        "baseline": {
            "description": BASELINE_DESCRIPTION,
            "probability": evaluation.baseline_prob,
            "predicted_class": evaluation.baseline_class,
        },
        "classification_report": evaluation.classification_report,
        "confusion_matrix": {
            "labels": ["no conversion", "conversion"],
            "rows": "actual",
            "columns": "predicted",
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
