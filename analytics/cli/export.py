"""`python -m analytics export KIND [--format csv|parquet] [--output FILE]`: the current data of a kind.

The data as every page sees it: the folder's own rows with the committed uploads. CSV cells that a
spreadsheet would run as formulas are neutralised. Without --output the file goes to stdout.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.core.schema import TABLES
from analytics.core.settings import Settings
from analytics.figures.exports import to_csv_text
from analytics.store.reader import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=[table.name for table in TABLES], help="the table to export")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)")
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")


def export_bytes(kind: str, file_format: str, data_dir: Path) -> bytes:
    frame = Store(data_dir).table(kind)
    key = [column for column in next(t for t in TABLES if t.name == kind).key if column in frame.columns]
    frame = frame.sort_values(key).reset_index(drop=True)
    if file_format == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    return to_csv_text(frame).encode("utf-8")


@reporting_errors("export")
def run(args: argparse.Namespace) -> int:
    data = export_bytes(args.kind, args.format, Settings.from_environment().data_dir)
    if args.output:
        args.output.write_bytes(data)
        print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return EXIT_OK
