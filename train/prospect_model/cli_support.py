"""What the package's command lines share (``prospect-train``, ``prospect-score``,
``prospect-signals``, ``prospect-serve``).

- :class:`OneLineParser`: an ``ArgumentParser`` whose usage errors raise
  :class:`UsageError`, which each command prints as one ``error: ...`` line (exit 2)
  instead of argparse's usage block.
- :func:`positive_int`: the option type of a whole number of at least 1.
- :func:`configure_logging`: the package's log messages on stderr, INFO (DEBUG with
  ``--verbose``), one handler however often it is called.
- :func:`run_reported`: runs a command so that an error the user can fix is one
  ``error: ...`` line (exit 2) and anything else, a bug, one ``error: unexpected ...``
  line (exit 1), with the traceback only under ``--verbose``.

Standard library only, so that ``--help`` and usage errors answer at once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from .errors import EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, EXIT_OK, first_line_of

#: The package's logger, parent of every module's.
LOGGER_NAME = "prospect_model"
#: The format of the log lines of the training and scoring commands.
TIMED_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_FLAG = "_prospect_model_cli_handler"
#: How much of an unexpected error's first line is shown.
_UNEXPECTED_CHARS = 300


class UsageError(Exception):
    """A bad option or combination of options: one ``error:`` line, exit 2."""


class OneLineParser(argparse.ArgumentParser):
    """ArgumentParser whose errors raise :class:`UsageError` (printed by the command as one line)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def positive_int(text: str) -> int:
    """Option type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def configure_logging(verbose: bool, fmt: str = TIMED_FORMAT) -> None:
    """Log the package's messages to stderr in ``fmt``, at INFO (DEBUG with ``verbose``); a
    second call replaces the handler of the first rather than adding one."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_FLAG, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(fmt, "%H:%M:%S"))
    setattr(handler, _HANDLER_FLAG, True)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)


def unexpected_error_line(exc: BaseException) -> str:
    """The one line printed for an error that is not the user's to fix: its type and the first
    line of its message (whitespace collapsed, at most 300 characters), and where to see more."""
    first = first_line_of(str(exc))[:_UNEXPECTED_CHARS]
    detail = f": {first}" if first else ""
    return f"error: unexpected {type(exc).__name__}{detail} (rerun with --verbose for the traceback)"


def run_reported(
    command: Callable[[], object],
    known: tuple[type[Exception], ...],
    *,
    verbose: bool,
    what: str,
) -> int:
    """Run ``command``; return the exit status. An exception of the ``known`` types (problems the
    user can fix: their messages are one line) prints ``error: <message>`` and gives 2; any other
    prints :func:`unexpected_error_line` and gives 1. With ``verbose`` the traceback is logged
    too (``what`` names the failed step in that log line)."""
    log = logging.getLogger(LOGGER_NAME)
    try:
        command()
    except known as exc:
        if verbose:
            log.exception("%s failed", what)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if verbose:
            log.exception("unexpected error")
        print(unexpected_error_line(exc), file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    return EXIT_OK
