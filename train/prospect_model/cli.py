"""Command line of the training step (``python train/fit.py``).

Exit status: 0 on success; 2 for bad input or configuration (bad option, missing
profile/database/table, unusable data) - one ``error: ...`` line on stderr;
1 for an unexpected internal error. A traceback is printed only with
``--verbose``. A failed run never replaces existing output files.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .cli_support import OneLineParser, UsageError, configure_logging, run_reported
from .defaults import (
    CLASS_WEIGHTS,
    DEFAULT_CLASS_WEIGHT,
    DEFAULT_CV_FOLDS,
    DEFAULT_CV_MAX_ROWS,
    DEFAULT_MODEL,
    DEFAULT_NUMERIC_TRANSFORM,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_SEED,
    DEFAULT_SPLIT,
    DEFAULT_TABLE,
    DEFAULT_TEST_SIZE,
    MODEL_KINDS,
    NUMERIC_TRANSFORMS,
    SPLIT_KINDS,
)
from .errors import EXIT_BAD_INPUT, TrainingError


def _fraction(text: str) -> float:
    """Option type of --test-size and --threshold: a number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number strictly between 0 and 1, not {text!r}") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"must be strictly between 0 and 1, not {text}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, not {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and 4294967295, not {text}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}") from None
    if not (math.isfinite(value) and value > 0.0):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, not {text}")
    return value


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:,} and {high:,}, not {text}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (``--help`` documents every option)."""
    invoked_as = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    parser = OneLineParser(
        # `python train/fit.py` or the console script `prospect-train`, as the user typed it.
        prog=invoked_as if invoked_as in ("fit.py", "prospect-train") else "fit.py",
        description=(
            "Train the prospect-scoring model on the final_training table built by dbt: a "
            "scikit-learn Pipeline (preprocessing built from the final_training_columns contract, "
            "then a logistic regression or gradient-boosted trees), cross-validated over "
            "visitor-grouped folds against three baselines (prior, best single feature, the "
            "tutorial's model), tested on held-out rows; writes model.joblib, metadata.json, "
            "report.md and plots as one run directory switched in atomically."
        ),
        epilog=(
            "Exit status: 0 success, 2 bad input or configuration (one 'error:' line on stderr), "
            "1 unexpected error. A failed run leaves existing output files untouched."
        ),
    )
    parser.add_argument(
        "--target", metavar="NAME",
        help="dbt target to read from (default: env DBT_TARGET, else the profile's 'target:').",
    )
    parser.add_argument(
        "--profiles-dir", metavar="DIR",
        help="Directory containing profiles.yml (default: env DBT_PROFILES_DIR, else the "
        "project directory, the current directory, then ~/.dbt).",
    )
    parser.add_argument(
        "--project-dir", metavar="DIR",
        help="dbt project directory whose dbt_project.yml names the profile (default: env "
        "DBT_PROJECT_DIR, else the repository root, the parent of train/).",
    )
    parser.add_argument(
        "--table", default=DEFAULT_TABLE, metavar="NAME",
        help=f"Training table in the target's schema (default: {DEFAULT_TABLE}).",
    )
    parser.add_argument(
        "--output-dir", default=DEFAULT_OUTPUT_DIR, metavar="DIR",
        help=f"Directory for the model, metadata, report and plots (default: ./{DEFAULT_OUTPUT_DIR}).",
    )
    parser.add_argument(
        "--test-size", type=_fraction, default=DEFAULT_TEST_SIZE, metavar="FRACTION",
        help=f"Share of rows held out for evaluation, strictly between 0 and 1 (default: {DEFAULT_TEST_SIZE}).",
    )
    parser.add_argument(
        "--seed", type=_seed, default=DEFAULT_SEED, metavar="INT",
        help=f"Random seed of the split and the model (default: {DEFAULT_SEED}).",
    )
    parser.add_argument(
        "--split", choices=SPLIT_KINDS, default=DEFAULT_SPLIT,
        help="'visitor' (default) keeps each domain_userid on one side of a stratified split; "
        "'rows' reproduces the tutorial's stratified train_test_split over rows; 'time' tests on the "
        "last part of the observed period and trains on rows whose label matured before the cut.",
    )
    parser.add_argument(
        "--model", choices=MODEL_KINDS, default=DEFAULT_MODEL,
        help="'logreg' (default): logistic regression on transformed, scaled numeric features and "
        "one-hot categories; 'hgb': HistGradientBoostingClassifier with native categorical support.",
    )
    parser.add_argument(
        "--numeric-transform", choices=NUMERIC_TRANSFORMS, default=None,
        help="logreg only: transform of numeric features before scaling: 'asinh' (default; like log "
        "for large counts), 'log1p', or 'none' (raw values, no scaling: the tutorial's inputs). "
        "Refused with --model hgb (trees read raw values).",
    )
    parser.add_argument(
        "--class-weight", choices=CLASS_WEIGHTS, default=DEFAULT_CLASS_WEIGHT,
        help="'none' (default): probabilities estimate the real conversion rate; 'balanced': the "
        "tutorial's weighting (inflates probabilities).",
    )
    parser.add_argument(
        "--regularization-c", type=_positive_float, default=None, metavar="C",
        help="logreg only: inverse L2 regularisation strength (default: chosen among 0.001..10 by a "
        "visitor-grouped inner cross-validation of the rows being fitted, lowest log loss). "
        "Refused with --model hgb.",
    )
    parser.add_argument(
        "--threshold", type=_fraction, default=None, metavar="P",
        help="Decision threshold for accuracy, F1 and the confusion matrix (default: the best F1 over "
        "the out-of-fold predictions of the training side). The tutorial's is 0.5.",
    )
    parser.add_argument(
        "--cv-folds", type=_int_between(2, 20), default=DEFAULT_CV_FOLDS, metavar="K",
        help=f"Cross-validation folds of the training side, grouped by visitor (default: {DEFAULT_CV_FOLDS}).",
    )
    parser.add_argument(
        "--cv-max-rows", type=_int_between(1000, 10**10), default=DEFAULT_CV_MAX_ROWS, metavar="N",
        help=f"Most training rows of one cross-validation fit; beyond that a random sample of visitors "
        f"(default: {DEFAULT_CV_MAX_ROWS:,}). The final model is fitted on the whole training side.",
    )
    parser.add_argument(
        "--horizon-seconds", type=_int_between(1, 365 * 86400), default=None, metavar="S",
        help="--split time only: label horizon that sets the training side's maturity cut (default: "
        "as stated in final_training_columns). Refused with another --split.",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true",
        help="Log debug details and show tracebacks of errors.",
    )
    return parser


def _check_option_combinations(args: argparse.Namespace) -> None:
    """Options that would not apply to the chosen model or split are refused, not silently ignored."""
    if args.model == "hgb":
        for option, value in (("--numeric-transform", args.numeric_transform),
                              ("--regularization-c", args.regularization_c)):
            if value is not None:
                raise UsageError(f"{option} applies to --model logreg only; gradient-boosted trees (hgb) "
                                 "read raw values and have no L2 strength. Drop it, or use --model logreg")
    if args.horizon_seconds is not None and args.split != "time":
        raise UsageError(f"--horizon-seconds applies to --split time only (it sets the training side's "
                         f"maturity cut); with --split {args.split} it would change nothing. Drop it, or "
                         "use --split time")


INTERRUPTED_MESSAGE = "error: interrupted; existing output files were left unchanged"
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see module docstring). Ctrl-C: one line, 130."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(INTERRUPTED_MESSAGE, file=sys.stderr)
        return EXIT_INTERRUPTED


def entry() -> None:
    """Console script ``prospect-train``."""
    sys.exit(main())


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        _check_option_combinations(args)
    except UsageError as exc:
        print(f"error: {exc} (see --help)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    configure_logging(args.verbose)
    # Imported here so that --help and usage errors answer without loading scikit-learn.
    from .pipeline import TrainingOptions, run_training

    options = TrainingOptions(
        target=args.target,
        profiles_dir=args.profiles_dir,
        project_dir=args.project_dir,
        table=args.table,
        output_dir=args.output_dir,
        test_size=args.test_size,
        seed=args.seed,
        split=args.split,
        model=args.model,
        numeric_transform=args.numeric_transform or DEFAULT_NUMERIC_TRANSFORM,
        class_weight=args.class_weight,
        threshold=args.threshold,
        cv_folds=args.cv_folds,
        cv_max_rows=args.cv_max_rows,
        horizon_seconds=args.horizon_seconds,
        regularization_c=args.regularization_c,
    )
    return run_reported(lambda: run_training(options), (TrainingError,), verbose=args.verbose, what="training")
