"""`python -m analytics COMMAND ...`: the commands, each from its own module, wired into one parser."""

from __future__ import annotations

import argparse
import signal
from types import ModuleType

from analytics.cli import (
    activity,
    alerts,
    batches,
    briefing,
    check,
    checkin,
    comment,
    digest,
    docs,
    export,
    goals,
    ingest,
    rollups,
    sample,
    undo,
)

# command name -> (module that implements it, one-line help)
COMMANDS: dict[str, tuple[ModuleType, str]] = {
    "sample": (sample, "write a deterministic sample dataset, N times larger with --scale"),
    "check": (check, "validate a data folder: schema, keys and references"),
    "docs": (docs, "write data/README.md's table reference from the schema"),
    "goals": (goals, "every goal's expected and reported progress and status as of a date"),
    "ingest": (ingest, "check an uploaded file and commit it to the store (or --dry-run)"),
    "batches": (batches, "the upload ledger: every batch, newest first"),
    "undo": (undo, "undo an uploaded batch; the data reads as before it was committed"),
    "checkin": (checkin, "record a check-in on a goal, as the app's form does (and --comment on it)"),
    "activity": (activity, "record an activity of a relationship with an affiliate, as the app's form does"),
    "comment": (comment, "add a comment to a goal's thread, or to one of its check-ins"),
    "export": (export, "the current data of a table (with uploads) as CSV or Parquet"),
    "briefing": (briefing, "the briefing pack (board pack) as of a date, as HTML, Excel or PDF"),
    "digest": (digest, "what changed between two dates, as an e-mail: written to a file or sent over SMTP"),
    "alerts": (alerts, "the alerts that fired between two dates, each once; can send them like the digest"),
    "rollups": (rollups, "build every rollup of the data's current state as Parquet, with DuckDB or Spark"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics", description="ICMA Affiliate Insights from the command line."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):
        # `python -m analytics goals | head` ends quietly, as other command-line tools do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = build_parser().parse_args(argv)
    return args.run(args)
