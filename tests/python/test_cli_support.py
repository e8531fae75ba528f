"""The command lines' shared parts (prospect_model.cli_support): one-line usage errors, the
positive-integer option type, logging set up once, and the exit statuses of run_reported."""

from __future__ import annotations

import argparse
import logging

import pytest

from prospect_model.cli_support import (
    LOGGER_NAME,
    OneLineParser,
    UsageError,
    configure_logging,
    positive_int,
    run_reported,
    unexpected_error_line,
)
from prospect_model.errors import EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, EXIT_OK, TrainingError


def test_parser_errors_raise_usage_error() -> None:
    parser = OneLineParser(prog="x")
    parser.add_argument("--n", type=positive_int)
    with pytest.raises(UsageError, match=r"argument --n: must be 1 or more, not 0"):
        parser.parse_args(["--n", "0"])
    with pytest.raises(UsageError, match=r"argument --n: must be a whole number, not '1.5'"):
        parser.parse_args(["--n", "1.5"])
    with pytest.raises(UsageError, match=r"unrecognized arguments: --m"):
        parser.parse_args(["--m"])
    assert parser.parse_args(["--n", "3"]).n == 3


@pytest.mark.parametrize("text", ["-1", "0", "x", ""])
def test_positive_int_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        positive_int(text)


def test_run_reported_ok() -> None:
    calls: list[int] = []
    assert run_reported(lambda: calls.append(1), (TrainingError,), verbose=False, what="x") == EXIT_OK
    assert calls == [1]


def test_run_reported_known_error_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> None:
        raise TrainingError("table main.final_training not found;\n run `dbt build` first")

    assert run_reported(fail, (TrainingError,), verbose=False, what="x") == EXIT_BAD_INPUT
    assert capsys.readouterr().err == "error: table main.final_training not found; run `dbt build` first\n"


def test_run_reported_unexpected_error_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> None:
        raise RuntimeError("   a  b\nsecond line")

    assert run_reported(fail, (TrainingError,), verbose=False, what="x") == EXIT_INTERNAL_ERROR
    err = capsys.readouterr().err
    assert err == "error: unexpected RuntimeError: a b (rerun with --verbose for the traceback)\n"
    assert "Traceback" not in err


def test_unexpected_error_line_caps_and_empty_messages() -> None:
    assert unexpected_error_line(RuntimeError("")) == "error: unexpected RuntimeError (rerun with --verbose for the traceback)"
    line = unexpected_error_line(RuntimeError("x" * 1000))
    assert len(line) < 400 and "x" * 300 in line and "x" * 301 not in line


def test_run_reported_verbose_logs_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(verbose=True)

    def fail() -> None:
        raise ValueError("boom")

    assert run_reported(fail, (TrainingError,), verbose=True, what="x") == EXIT_INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "Traceback" in err and "ValueError: boom" in err
    assert err.rstrip().endswith("error: unexpected ValueError: boom (rerun with --verbose for the traceback)")


def test_configure_logging_keeps_one_handler() -> None:
    logger = logging.getLogger(LOGGER_NAME)
    before = len(logger.handlers)
    configure_logging(verbose=False)
    configure_logging(verbose=True, fmt="%(message)s")
    mine = [h for h in logger.handlers if h.formatter is not None and h.formatter._fmt == "%(message)s"]
    assert len(mine) == 1 and logger.level == logging.DEBUG
    assert len(logger.handlers) <= before + 1
