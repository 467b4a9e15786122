"""`python -m analytics batches`: the upload ledger, one line per batch, newest first."""

from __future__ import annotations

import argparse

import pandas as pd

from analytics.ledger import batches
from analytics.settings import Settings

COLUMNS = ["batch_id", "kind", "status", "committed_at", "committed_by", "file_name"]
COUNTS = ["rows_in_file", "rows_loaded", "rows_rejected", "rows_replaced"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv"), default="table", help="how to print the ledger")


def run(args: argparse.Namespace) -> int:
    ledger = batches(Settings.from_environment().data_dir)
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
