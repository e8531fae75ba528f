"""One training run: resolve target, read, split, fit, evaluate, render, write.

Everything (model bytes, metrics, plots, metadata, report) is computed in memory
before the first file is replaced, so a failing run leaves the previous output
untouched.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .artifacts import model_bytes, write_artifacts
from .dataset import TrainingData, load_feature_spec, prepare_training_data, read_training_table
from .defaults import (
    DEFAULT_COLUMNS_TABLE,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_SEED,
    DEFAULT_SPLIT,
    DEFAULT_TABLE,
    DEFAULT_TEST_SIZE,
    SPLIT_KINDS,
)
from .errors import TrainingError
from .metadata import METADATA_FILE, MODEL_FILE, REPORT_FILE, build_metadata, metadata_json_bytes
from .modeling import Evaluation, FitResult, evaluate, fit_model, metrics_table
from .plots import PLOT_FILES, render_plots
from .profiles import TargetConfig, resolve_target
from .readers import open_reader
from .report import render_report
from .splitting import Split, make_split, validate_test_size

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
    output = Path(options.output_dir)
    if output.exists() and not output.is_dir():
        raise TrainingError(f"output directory {output} exists and is not a directory")


def load_data(target: TargetConfig, table: str, columns_table: str) -> tuple[TrainingData, str]:
    """Read the feature definition and the training rows of ``target``; returns data and location.

    The connection is closed before the conversion to numpy, so the database's
    buffers (e.g. of the sort) are released before the arrays are built.
    """
    with open_reader(target) as reader:
        spec = load_feature_spec(reader, columns_table)
        raw = read_training_table(reader, spec, table)
    data = prepare_training_data(raw, spec)
    return data, raw.location


def fit_and_evaluate(
    data: TrainingData, split: Split, seed: int
) -> tuple[FitResult, Evaluation]:
    """Fit on the training side and evaluate on the test side."""
    y_train = data.y[split.train]
    fit = fit_model(data.frame(split.train), y_train, seed)
    evaluation = evaluate(fit.model, data.frame(split.test), data.y[split.test], y_train)
    return fit, evaluation


def build_outputs(
    *,
    data: TrainingData,
    target: TargetConfig,
    location: str,
    options: TrainingOptions,
    split: Split,
    fit: FitResult,
    evaluation: Evaluation,
    timings: dict[str, float],
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Render every output file in memory: ``(metadata, {file name: bytes})``."""
    start = time.perf_counter()
    plots = render_plots(evaluation)
    timings["plots"] = time.perf_counter() - start
    names = [MODEL_FILE, METADATA_FILE, REPORT_FILE, *PLOT_FILES]
    metadata = build_metadata(
        data=data, target=target, location=location, columns_table=options.columns_table,
        split=split, test_size=float(options.test_size), seed=options.seed, fit=fit,
        evaluation=evaluation, timings=timings, artifact_files=names,
    )
    files = {
        **plots,
        METADATA_FILE: metadata_json_bytes(metadata),
        REPORT_FILE: render_report(metadata, evaluation.classification_report_text).encode("utf-8"),
        MODEL_FILE: model_bytes(fit.model),
    }
    return metadata, files


def run_training(options: TrainingOptions) -> TrainingOutcome:
    """Run the whole training step; raises TrainingError on bad input (nothing written then)."""
    validate_options(options)
    timings: dict[str, float] = {}
    target = resolve_target(
        project_dir=options.project_dir, profiles_dir=options.profiles_dir, target=options.target
    )
    log.info("dbt profile %s, %s", target.profile_name, target.describe())

    start = time.perf_counter()
    data, location = load_data(target, options.table, options.columns_table)
    timings["read"] = time.perf_counter() - start

    start = time.perf_counter()
    split = make_split(options.split, data.y, data.groups, float(options.test_size), options.seed)
    timings["split"] = time.perf_counter() - start

    start = time.perf_counter()
    fit, evaluation = fit_and_evaluate(data, split, options.seed)
    timings["fit"] = fit.seconds
    timings["evaluate"] = time.perf_counter() - start - fit.seconds
    log.info("held-out metrics (%d test rows):\n%s", len(split.test), metrics_table(evaluation))

    metadata, files = build_outputs(
        data=data, target=target, location=location, options=options, split=split,
        fit=fit, evaluation=evaluation, timings=timings,
    )
    written = write_artifacts(options.output_dir, files)
    log.info("wrote %s to %s", ", ".join(p.name for p in written), Path(options.output_dir).resolve())
    return TrainingOutcome(metadata=metadata, files=files, written=written, model=fit.model)


__all__ = [
    "TrainingOptions",
    "TrainingOutcome",
    "run_training",
    "validate_options",
    "load_data",
    "fit_and_evaluate",
    "build_outputs",
]
