"""Command line: `python -m analytics COMMAND ...`. Every command honours AFFILIATE_DATA_DIR.

Each command lives in its own module, which provides `add_arguments(parser)` and
`run(args) -> int` (the exit code); this file only wires them together.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

# command name -> (module that implements it, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "sample": ("analytics.sample", "write a deterministic sample dataset, N times larger with --scale"),
    "check": ("analytics.check", "validate a data folder: schema, keys and references"),
    "docs": ("analytics.docs", "write data/README.md's table reference from the schema"),
    "goals": ("analytics.goals_cli", "every goal's expected and reported progress and status as of a date"),
    "ingest": ("analytics.ingest_cli", "check an uploaded file and commit it to the store (or --dry-run)"),
    "batches": ("analytics.batches_cli", "the upload ledger: every batch, newest first"),
    "undo": ("analytics.undo_cli", "undo an uploaded batch; the data reads as before it was committed"),
    "export": ("analytics.export_cli", "the current data of a table (with uploads) as CSV or Parquet"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
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


if __name__ == "__main__":
    sys.exit(main())
