"""`python -m analytics batches [--rejected BATCH_ID]`: the upload ledger, one line per batch, newest first;
or the rows one batch refused, with their problems and cells, as CSV."""

from __future__ import annotations

import argparse

import pandas as pd

from analytics.cli.exit_codes import EXIT_OK, UsageError, reporting_errors
from analytics.core.settings import Settings
from analytics.figures.exports import to_csv_text
from analytics.store.ledger import batches
from analytics.uploads.delta import rejected_cells

COLUMNS = ["batch_id", "kind", "status", "committed_at", "committed_by", "file_name"]
COUNTS = ["rows_in_file", "rows_loaded", "rows_rejected", "rows_replaced"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv"), default="table", help="how to print the ledger")
    parser.add_argument("--rejected", metavar="BATCH_ID", help="print the rows this batch refused, as CSV")


@reporting_errors("batches")
def run(args: argparse.Namespace) -> int:
    data_dir = Settings.from_environment().data_dir
    ledger = batches(data_dir)
    if args.rejected:
        if args.rejected not in set(ledger["batch_id"]):
            raise UsageError(f"no batch {args.rejected!r} in the ledger")
        print(to_csv_text(rejected_cells(data_dir, args.rejected)), end="")
        return EXIT_OK
    if ledger.empty:
        print("no batch has been uploaded yet")
        return EXIT_OK
    if args.format == "csv":
        print(to_csv_text(ledger), end="")  # file names and who committed come from people: never a formula
        return EXIT_OK
    table = ledger[[*COLUMNS, *COUNTS]].assign(
        committed_at=pd.to_datetime(ledger["committed_at"]).dt.strftime("%Y-%m-%d %H:%M UTC")
    )
    print(table.to_string(index=False))
    return EXIT_OK
