"""Command line of the training step (``python train/fit.py``).

Exit status: 0 on success; 2 for bad input or configuration (bad option, missing
profile/database/table, unusable data) - one ``error: ...`` line on stderr;
1 for an unexpected internal error. A traceback is printed only with
``--verbose``. A failed run never replaces existing output files.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .defaults import (
    DEFAULT_OUTPUT_DIR,
    DEFAULT_SEED,
    DEFAULT_SPLIT,
    DEFAULT_TABLE,
    DEFAULT_TEST_SIZE,
    SPLIT_KINDS,
)
from .errors import EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, EXIT_OK, TrainingError

LOGGER_NAME = "prospect_model"
_HANDLER_FLAG = "_prospect_model_cli_handler"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors become one ``error: ...`` line (exit 2) in :func:`main`."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _test_size(text: str) -> float:
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (``--help`` documents every option)."""
    parser = _Parser(
        prog="fit.py",
        description=(
            "Train the prospect-scoring model (the tutorial's class-balanced logistic regression) "
            "on the final_training table built by dbt, evaluate it against a training-prior "
            "baseline on held-out rows, and write model.joblib, metadata.json, report.md and "
            "plots. Features and target come from the final_training_columns table."
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
        "--test-size", type=_test_size, default=DEFAULT_TEST_SIZE, metavar="FRACTION",
        help=f"Share of rows held out for evaluation, strictly between 0 and 1 (default: {DEFAULT_TEST_SIZE}).",
    )
    parser.add_argument(
        "--seed", type=_seed, default=DEFAULT_SEED, metavar="INT",
        help=f"Random seed of the split and the model (default: {DEFAULT_SEED}).",
    )
    parser.add_argument(
        "--split", choices=SPLIT_KINDS, default=DEFAULT_SPLIT,
        help="'visitor' (default) keeps each domain_userid on one side of a stratified split; "
        "'rows' reproduces the tutorial's stratified train_test_split over rows.",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true",
        help="Log debug details and show tracebacks of errors.",
    )
    return parser


def configure_logging(verbose: bool) -> None:
    """Log the package's messages to stderr at INFO (DEBUG with ``verbose``)."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_FLAG, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    setattr(handler, _HANDLER_FLAG, True)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see module docstring)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(f"error: {exc} (see --help)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    configure_logging(args.verbose)
    log = logging.getLogger(LOGGER_NAME)
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
    )
    try:
        run_training(options)
    except TrainingError as exc:
        if args.verbose:
            log.exception("training failed")
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted; existing output files were left unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last-resort report for bugs
        if args.verbose:
            log.exception("unexpected error")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(
            f"error: unexpected {type(exc).__name__}{': ' + first if first else ''} "
            "(rerun with --verbose for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR
    return EXIT_OK
