"""One rule for every command: how it ends, and where an error's message goes.

- 0: done, or nothing to do (the file is already loaded, a dry run found no problem).
- 1: refused: the file has problems, a batch cannot be undone, the data folder cannot be read, a commit got in
  the way of another. Nothing was changed.
- 2: a usage error: the command line asks for something that cannot be done as asked (a file that is not there,
  a --map naming a column the kind does not have, a batch the ledger does not hold to list). argparse exits 2
  itself for the arguments it refuses.

Commands raise `AnalyticsError`s and never catch them to choose an exit code: each command's `run` is wrapped in
`reporting_errors`, which prints the message and returns `exit_code(error)`. A file refused by its checks is the
answer the command was asked for, so its message and report go to stdout; every other message goes to stderr.
Notes added to an error (`error.add_note`: what to type next) are printed after it.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import TextIO

from analytics.core.errors import AnalyticsError
from analytics.uploads.errors import IngestError, MappingError, UnknownKindError, UploadConflictError, UploadRejected

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

Run = Callable[[argparse.Namespace], int]


class UsageError(AnalyticsError):
    """The command line asks for something that cannot be done as asked (exit 2)."""


# Errors that say the command line was wrong, whichever command raised them.
USAGE_ERRORS: tuple[type[AnalyticsError], ...] = (UsageError, MappingError, UnknownKindError)


def exit_code(error: AnalyticsError) -> int:
    """The exit code of a command that ended with `error`: 2 for a usage error, else 1 (refused)."""
    return EXIT_USAGE if isinstance(error, USAGE_ERRORS) else EXIT_REFUSED


def error_message(lead: str, error: AnalyticsError) -> tuple[str, TextIO]:
    """What is printed for an error, and on which stream (`lead`: the command's own word, e.g. "undo")."""
    if isinstance(error, IngestError):
        return f"rejected: {error}; nothing changed", sys.stdout
    if isinstance(error, UploadRejected):
        return f"rejected: {error}", sys.stdout
    if isinstance(error, UploadConflictError):
        return f"not committed: {error}", sys.stderr
    return f"{lead}: {error}", sys.stderr


def reporting_errors(lead: str) -> Callable[[Run], Run]:
    """Decorate a command's `run`: an AnalyticsError it raises is printed (see `error_message`) and becomes its
    exit code (see `exit_code`)."""

    def decorate(run: Run) -> Run:
        @functools.wraps(run)
        def run_reporting_errors(args: argparse.Namespace) -> int:
            try:
                return run(args)
            except AnalyticsError as error:
                text, stream = error_message(lead, error)
                print(text, file=stream)
                for note in getattr(error, "__notes__", ()):
                    print(note, file=stream)
                return exit_code(error)

        run_reporting_errors.reports_errors = True  # type: ignore[attr-defined]  # checked by tests/cli
        return run_reporting_errors

    return decorate
