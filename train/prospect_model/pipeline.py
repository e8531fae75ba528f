"""One training run: resolve target, read, split, cross-validate, fit, evaluate, render, write.

Everything (model bytes, metrics, plots, metadata, report) is computed in memory
before anything is written; the files then go into a new run directory that is
switched in as a whole (see :mod:`.artifacts`), so a failing run leaves the
previous output in use.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .artifacts import CURRENT, RUNS_DIR, model_bytes, write_artifacts
from .contract import load_feature_spec
from .defaults import (
    DEFAULT_CLASS_WEIGHT,
    DEFAULT_COLUMNS_TABLE,
    DEFAULT_CV_FOLDS,
    DEFAULT_CV_MAX_ROWS,
    DEFAULT_MODEL,
    DEFAULT_NUMERIC_TRANSFORM,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_SEED,
    DEFAULT_SPLIT,
    DEFAULT_TABLE,
    DEFAULT_TEST_SIZE,
    SPLIT_KINDS,
)
from .errors import TrainingError
from .evaluation import Evaluation, evaluate, feature_importance, metrics_table
from .metadata import METADATA_FILE, MODEL_FILE, REPORT_FILE, build_metadata, metadata_json_bytes
from .modeling import FitResult, best_single_feature, coefficients, fit_baselines, fit_model
from .plots import plot_files, render_plots
from .preprocessing import ModelOptions, output_feature_names
from .profiles import TargetConfig, resolve_target
from .readers import open_reader
from .reading import TrainingData, prepare_training_data, read_training_table
from .report import render_report
from .splitting import Split, make_split, validate_test_size
from .sql_export import SCORE_VARS_FILE, score_vars_bytes
from .validation import CrossValidation, cross_validate, verdict

log = logging.getLogger(__name__)


@dataclass
class TrainingOptions:
    """Inputs of a run (the command-line options)."""

    target: str | None = None
    profiles_dir: str | os.PathLike[str] | None = None
    project_dir: str | os.PathLike[str] | None = None
    table: str = DEFAULT_TABLE
    columns_table: str = DEFAULT_COLUMNS_TABLE
    output_dir: str | os.PathLike[str] = DEFAULT_OUTPUT_DIR
    test_size: float = DEFAULT_TEST_SIZE
    seed: int = DEFAULT_SEED
    split: str = DEFAULT_SPLIT
    model: str = DEFAULT_MODEL
    numeric_transform: str = DEFAULT_NUMERIC_TRANSFORM
    class_weight: str = DEFAULT_CLASS_WEIGHT
    threshold: float | None = None
    cv_folds: int = DEFAULT_CV_FOLDS
    cv_max_rows: int = DEFAULT_CV_MAX_ROWS
    horizon_seconds: int | None = None
    regularization_c: float | None = None

    def model_options(self) -> ModelOptions:
        return ModelOptions(
            kind=self.model, numeric_transform=self.numeric_transform, class_weight=self.class_weight, seed=self.seed,
            c=self.regularization_c,
        )


@dataclass
class TrainingOutcome:
    """What a run produced."""

    metadata: dict[str, Any]
    files: dict[str, bytes]
    written: list[Path] = field(default_factory=list)
    model: Any = None


def validate_options(options: TrainingOptions) -> None:
    """Reject bad option values before touching any data."""
    validate_test_size(options.test_size)
    if options.split not in SPLIT_KINDS:
        raise TrainingError(f"unknown split {options.split!r} (choose from {', '.join(SPLIT_KINDS)})")
    if not isinstance(options.seed, int) or not 0 <= options.seed < 2**32:
        raise TrainingError(f"seed must be an integer between 0 and 2**32 - 1, not {options.seed!r}")
    if not options.table:
        raise TrainingError("table name must not be empty")
    if options.threshold is not None and not 0.0 < options.threshold < 1.0:
        raise TrainingError(f"threshold must be strictly between 0 and 1, not {options.threshold}")
    if not 2 <= options.cv_folds <= 20:
        raise TrainingError(f"cv folds must be between 2 and 20, not {options.cv_folds}")
    if options.cv_max_rows < 1000:
        raise TrainingError(f"cv max rows must be at least 1000, not {options.cv_max_rows}")
    if options.horizon_seconds is not None and options.horizon_seconds <= 0:
        raise TrainingError(f"horizon seconds must be positive, not {options.horizon_seconds}")
    options.model_options()
    output = Path(options.output_dir)
    if output.exists() and not output.is_dir():
        raise TrainingError(f"output directory {output} exists and is not a directory")
    # what would only stop the switch to the new run, after the whole training: checked first
    current, runs = output / CURRENT, output / RUNS_DIR
    if current.is_dir() and not current.is_symlink():
        raise TrainingError(f"{current} is a directory, where the link to the run in use goes; "
                            "remove it or choose another --output-dir")
    if runs.exists() and not runs.is_dir():
        raise TrainingError(f"{runs} exists and is not a directory; remove it or choose another --output-dir")


def load_data(target: TargetConfig, table: str, columns_table: str) -> tuple[TrainingData, str]:
    """Read the feature definition and the training rows of ``target``; returns data and location.

    The connection is closed before the conversion, so the database's buffers
    (e.g. of the sort) are released before the model inputs are built.
    """
    with open_reader(target) as reader:
        spec = load_feature_spec(reader, columns_table)
        raw = read_training_table(reader, spec, table)
    data = prepare_training_data(raw)
    return data, raw.location


@dataclass
class Trained:
    """The fitted model with its cross-validation and test evaluation."""

    fit: FitResult
    cv: CrossValidation
    evaluation: Evaluation
    best_feature: str
    verdict: str


def fit_and_evaluate(data: TrainingData, split: Split, options: TrainingOptions, timings: dict[str, float]) -> Trained:
    """Cross-validate on the training side, fit on all of it, evaluate on the test side."""
    model_options = options.model_options()
    train, test = split.train, split.test
    frame_train, y_train = data.rows(train), data.y[train]
    used = data.used_features
    best = best_single_feature(frame_train, y_train, data.spec, used, options.seed)
    log.info("best single feature on the training side: %s (ROC AUC %.4f)", best.feature, best.training_roc_auc)

    start = time.perf_counter()
    cv = cross_validate(
        data, train, model_options, k=options.cv_folds, by_rows=split.kind == "rows", best_feature=best,
        threshold=options.threshold, max_fit_rows=options.cv_max_rows,
    )
    timings["cross_validation"] = time.perf_counter() - start
    log.info("threshold %.4f (%s)", cv.threshold, cv.threshold_source)

    fit = fit_model(frame_train, y_train, data.spec, used, model_options,
                    groups=None if split.kind == "rows" else data.groups[train])
    timings["fit"] = fit.seconds
    start = time.perf_counter()
    baselines = fit_baselines(frame_train, y_train, best, used, options.seed)
    frame_test = data.rows(test)
    evaluation = evaluate(fit.model, baselines, frame_test, data.y[test], cv.threshold)
    evaluation.importance = feature_importance(fit.model, frame_test, data.y[test], data.features, options.seed)
    evaluation.coefficients = coefficients(fit.model, output_feature_names(fit.model))
    timings["evaluate"] = time.perf_counter() - start
    line = verdict(cv, best.feature)
    log.info("verdict: %s", line)
    return Trained(fit=fit, cv=cv, evaluation=evaluation, best_feature=best.feature, verdict=line)


def build_outputs(
    *,
    data: TrainingData,
    target: TargetConfig,
    location: str,
    options: TrainingOptions,
    split: Split,
    trained: Trained,
    timings: dict[str, float],
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Render every output file in memory: ``(metadata, {file name: bytes})``."""
    start = time.perf_counter()
    plots = render_plots(trained.evaluation)
    timings["plots"] = time.perf_counter() - start
    names = [MODEL_FILE, METADATA_FILE, REPORT_FILE, SCORE_VARS_FILE, *plot_files(trained.evaluation)]
    metadata = build_metadata(
        data=data, target=target, location=location, options=options, split=split, trained=trained,
        timings=timings, artifact_files=names,
    )
    files = {
        **plots,
        METADATA_FILE: metadata_json_bytes(metadata),
        REPORT_FILE: render_report(metadata, trained.evaluation.classification_report_text).encode("utf-8"),
        MODEL_FILE: model_bytes(trained.fit.model),
        # the SQL-scoring parameters for dbt's prospect_scores (docs/serving.md)
        SCORE_VARS_FILE: score_vars_bytes(trained.fit.model, {f: data.spec.kind(f) for f in data.spec.features},
                                          metadata),
    }
    return metadata, files


def horizon_for(data: TrainingData, options: TrainingOptions) -> int | None:
    """The label horizon of the time split: --horizon-seconds, else the contract's target description.

    An option shorter than the horizon the contract states is refused: training labels
    would then look past the cut (a longer one only leaves more rows out)."""
    if options.split != "time":
        return None
    stated = data.spec.horizon_seconds()
    if options.horizon_seconds is not None and stated is not None and options.horizon_seconds < stated:
        raise TrainingError(
            f"--horizon-seconds {options.horizon_seconds} is shorter than the label horizon of {data.spec.source} "
            f"({stated} s): training labels would look past the cut; leave the option out or give at least {stated}"
        )
    horizon = options.horizon_seconds or stated
    if horizon is None:
        raise TrainingError(
            f"--split time needs the label horizon: {data.spec.source} does not state it in the target's "
            "description; pass --horizon-seconds (the snowplow__horizon_seconds of the build)"
        )
    return horizon


def run_training(options: TrainingOptions) -> TrainingOutcome:
    """Run the whole training step; raises TrainingError on bad input (nothing written then)."""
    validate_options(options)
    timings: dict[str, float] = {}
    target = resolve_target(project_dir=options.project_dir, profiles_dir=options.profiles_dir, target=options.target)
    log.info("dbt profile %s, %s", target.profile_name, target.describe())

    start = time.perf_counter()
    data, location = load_data(target, options.table, options.columns_table)
    timings["read"] = time.perf_counter() - start

    start = time.perf_counter()
    split = make_split(
        options.split, data.y, data.groups, float(options.test_size), options.seed,
        times=data.times, horizon_seconds=horizon_for(data, options),
    )
    timings["split"] = time.perf_counter() - start

    trained = fit_and_evaluate(data, split, options, timings)
    log.info("test-side metrics (%d test rows):\n%s", len(split.test), metrics_table(trained.evaluation))

    start = time.perf_counter()
    metadata, files = build_outputs(
        data=data, target=target, location=location, options=options, split=split, trained=trained, timings=timings,
    )
    timings["report"] = time.perf_counter() - start
    written = write_artifacts(options.output_dir, files)
    log.info("wrote %s to %s", ", ".join(p.name for p in written), Path(options.output_dir).resolve())
    return TrainingOutcome(metadata=metadata, files=files, written=written, model=trained.fit.model)


__all__ = [
    "Trained",
    "TrainingOptions",
    "TrainingOutcome",
    "build_outputs",
    "fit_and_evaluate",
    "load_data",
    "run_training",
    "validate_options",
]
