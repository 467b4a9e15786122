"""`python -m analytics ingest FILE [--kind KIND] [--dry-run] [--only-valid]`: check and commit a file.

Exit codes: 0 when committed, or when there was nothing to do (the same file is already loaded, or
a dry run found no problem); 1 when the file is rejected (the row-level report on stdout, nothing
changed) or a concurrent commit got in the way; 2 on a usage error. The data folder is
AFFILIATE_DATA_DIR, else data/. `batches`, `undo` and `export` live in their own modules.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics import uploads
from analytics.errors import AnalyticsError
from analytics.ingest import IngestError, report_text
from analytics.ledger import UPLOAD_KINDS
from analytics.settings import Settings
from analytics.store import Store

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _mapping(text: str) -> tuple[str, str]:
    header, separator, column = text.partition("=")
    if not separator or not header or not column:
        raise argparse.ArgumentTypeError(f"{text!r}: use HEADER=COLUMN, e.g. 'Nb adherents=members'")
    return header, column


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the CSV, Excel (.xlsx) or Parquet file to load")
    parser.add_argument("--kind", choices=UPLOAD_KINDS, default="membership", help="what the file holds")
    parser.add_argument("--dry-run", action="store_true", help="check and show what would change; commit nothing")
    parser.add_argument(
        "--only-valid", action="store_true", help="commit the valid rows and keep the rejected ones with the batch"
    )
    parser.add_argument("--sheet", help="the Excel sheet to read (default: the first)")
    parser.add_argument(
        "--date-order",
        choices=("day-first", "month-first"),
        help="how to read dates such as 03/04/2026 when the file does not settle it",
    )
    parser.add_argument(
        "--map",
        type=_mapping,
        action="append",
        default=[],
        metavar="HEADER=COLUMN",
        help="use the file's column HEADER as schema column COLUMN (repeatable)",
    )
    parser.add_argument(
        "--by",
        help="who commits, for the ledger (default: the login name); the command line acts as the operator "
        "at the server, with every role",
    )


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"ingest: {args.file} is not a file", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings.from_environment()
    data = args.file.read_bytes()
    order = {"day-first": "day_first", "month-first": "month_first", None: None}[args.date_order]
    try:
        store = Store(settings.data_dir)
        checked = uploads.check_file(
            data, args.file.name, args.kind, store, settings, dict(args.map), order, sheet=args.sheet
        )
    except IngestError as error:
        print(f"rejected: {error}; nothing changed")
        return EXIT_REJECTED
    except AnalyticsError as error:
        print(f"ingest: {error}", file=sys.stderr)
        return EXIT_USAGE
    for note in checked.notes:
        print(f"note: {note}")
    if args.dry_run:
        return _dry_run(checked, store, args.only_valid)
    try:
        result = uploads.commit(checked, data, store, committed_by=args.by, only_valid=args.only_valid)
    except uploads.UploadRejected as error:
        print(f"rejected: {error}")
        if checked.question is not None:
            print("answer with --date-order day-first or --date-order month-first")
        return EXIT_REJECTED
    except uploads.UploadConflictError as error:
        print(f"not committed: {error}", file=sys.stderr)
        return EXIT_REJECTED
    print(result.message)
    return EXIT_OK


def _dry_run(checked, store: Store, only_valid: bool) -> int:
    summary = uploads.preview(checked, store)
    if summary.already_loaded_as:
        print(f"this file is already loaded as batch {summary.already_loaded_as}; committing it would change nothing")
        return EXIT_OK
    if checked.report.shape[0] or checked.question is not None:
        print(f"{len(checked.report):,} problem(s):")
        print(report_text(checked))
    committable = checked.can_commit_all or (only_valid and checked.can_commit_valid)
    print(
        f"dry run: {summary.rows_in_file:,} row(s) in the file, {summary.rows_valid:,} valid, "
        f"{summary.rows_rejected:,} rejected; would add {summary.rows_added:,} and replace "
        f"{summary.rows_replaced:,} row(s) with the same key"
    )
    if not summary.totals.empty:
        print("members per month, before -> after:")
        for month in summary.totals.itertuples(index=False):
            print(f"  {month.month_end_on}: {month.members_before:,} -> {month.members_after:,} ({month.change:+,})")
    print("nothing committed (dry run)" + ("" if committable else "; the file would be rejected"))
    return EXIT_OK if committable else EXIT_REJECTED
