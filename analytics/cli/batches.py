"""`python -m analytics batches [--rejected BATCH_ID]`: the upload ledger, one line per batch, newest first;
or the rows one batch refused, with their problems and cells, as CSV."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from analytics.core.settings import Settings
from analytics.figures.exports import neutralise_formulas
from analytics.store.ledger import batches
from analytics.uploads.pipeline import rejected_cells

COLUMNS = ["batch_id", "kind", "status", "committed_at", "committed_by", "file_name"]
COUNTS = ["rows_in_file", "rows_loaded", "rows_rejected", "rows_replaced"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv"), default="table", help="how to print the ledger")
    parser.add_argument("--rejected", metavar="BATCH_ID", help="print the rows this batch refused, as CSV")


def run(args: argparse.Namespace) -> int:
    data_dir = Settings.from_environment().data_dir
    ledger = batches(data_dir)
    if args.rejected:
        if args.rejected not in set(ledger["batch_id"]):
            print(f"batches: no batch {args.rejected!r} in the ledger", file=sys.stderr)
            return 2
        print(neutralise_formulas(rejected_cells(data_dir, args.rejected)).to_csv(index=False), end="")
        return 0
    if ledger.empty:
        print("no batch has been uploaded yet")
        return 0
    if args.format == "csv":
        print(ledger.to_csv(index=False), end="")
        return 0
    table = ledger[[*COLUMNS, *COUNTS]].assign(
        committed_at=pd.to_datetime(ledger["committed_at"]).dt.strftime("%Y-%m-%d %H:%M UTC")
    )
    print(table.to_string(index=False))
    return 0
