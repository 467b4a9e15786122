"""`python -m analytics undo BATCH_ID`: take a batch back; the data reads as it did before it was committed."""

from __future__ import annotations

import argparse

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.core.settings import Settings
from analytics.uploads.pipeline import undo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("batch_id", help="the batch to undo (see `python -m analytics batches`)")
    parser.add_argument("--by", help="who undoes it, for the ledger (default: the login name)")


@reporting_errors("undo")
def run(args: argparse.Namespace) -> int:
    undo(Settings.from_environment().data_dir, args.batch_id, args.by)
    print(f"batch {args.batch_id} undone; its rows no longer count (the ledger keeps the record)")
    return EXIT_OK
