"""Errors raised for bad input or configuration.

Every problem the user can fix (missing database, missing table, bad option,
too little data, ...) is reported as a :class:`TrainingError`. The command line
prints its message as a single ``error: ...`` line on stderr and exits with
:data:`EXIT_BAD_INPUT`; anything else is a bug and exits with
:data:`EXIT_INTERNAL_ERROR`.
"""

from __future__ import annotations

#: Exit status of a successful run.
EXIT_OK = 0
#: Exit status of an unexpected failure (a bug); the message suggests ``--verbose``.
EXIT_INTERNAL_ERROR = 1
#: Exit status of bad input or configuration (also used by argument errors).
EXIT_BAD_INPUT = 2


class OneLineError(Exception):
    """An error whose message is one line (whitespace collapsed), so that a command prints it as
    one ``error: ...`` line; the base of the package's user-facing errors."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))

    @property
    def message(self) -> str:
        """The one-line, user-facing message."""
        return str(self)


class TrainingError(OneLineError):
    """A problem the user can fix; ``str(error)`` is a one-line message."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its ``msg``/``message`` if it has one), whitespace
    collapsed; the exception's class name when the message is empty. The one helper every reader
    uses to turn a client's error into a one-line message."""
    text = str(getattr(exc, "msg", None) or getattr(exc, "message", None) or exc)
    return first_line_of(text) or type(exc).__name__


def first_line_of(text: str) -> str:
    """The first line of ``text`` (leading and trailing whitespace dropped), whitespace collapsed;
    empty for an empty text."""
    text = text.strip()
    return " ".join(text.splitlines()[0].split()) if text else ""
