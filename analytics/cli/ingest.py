"""`python -m analytics ingest FILE [--kind KIND] [--dry-run] [--only-valid] [--sheet S] [--date-order ORDER]
[--map HEADER=COLUMN]`: check and commit a file.

Exit codes (analytics/cli/exit_codes.py): 0 when committed, or when there was nothing to do (the same file is
already loaded, or a dry run found no problem); 1 when the file is rejected (the row-level report on stdout,
nothing changed), a concurrent commit got in the way or the data folder cannot be read; 2 on a usage error (a
file that is not there, a --map naming a column the kind does not have or a header the file does not have). The
kinds are those of the registry (analytics/uploads/kinds.py). The data folder is AFFILIATE_DATA_DIR, else data/.
`batches`, `undo` and `export` live in their own modules.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli.exit_codes import EXIT_OK, EXIT_REFUSED, UsageError, reporting_errors
from analytics.cli.recording import add_accept_warnings
from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from analytics.uploads.checked import Checked, report_text
from analytics.uploads.errors import MappingError, UploadRejected
from analytics.uploads.kinds import KINDS, likely_kind, upload_kind
from analytics.uploads.names import normalise


def column_mapping(pairs: list[tuple[str, str]], kind: str) -> dict[str, str]:
    """--map HEADER=COLUMN pairs as file header -> schema column name (MappingError for an unknown column)."""
    upload = upload_kind(kind)
    mapping = {}
    for header, column in pairs:
        try:
            mapping[header] = upload.column_named(column)
        except MappingError as error:  # said again with the --map it answers
            raise MappingError(f"--map {header}={column}: {error}") from None
    return mapping


def headers_mapped(mapping: dict[str, str], header: list[str]) -> dict[str, str]:
    """The mapping keyed by the file's own header texts (a --map HEADER matches case, accents and punctuation
    ignored); MappingError when a --map names a header the file does not have."""
    written = {normalise(name): name for name in reversed(header) if name}
    absent = [name for name in mapping if normalise(name) not in written]
    if absent:
        columns = ", ".join(repr(name) for name in header if name)
        raise MappingError(
            f"--map {absent[0]}={mapping[absent[0]]}: the file has no column {absent[0]!r}; its columns: {columns}"
        )
    return {written[normalise(name)]: column for name, column in mapping.items()}


def _mapping(text: str) -> tuple[str, str]:
    header, separator, column = text.partition("=")
    if not separator or not header or not column:
        raise argparse.ArgumentTypeError(f"{text!r}: use HEADER=COLUMN, e.g. 'Nb adherents=members'")
    return header, column


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the CSV, Excel (.xlsx) or Parquet file to load")
    parser.add_argument(
        "--kind", choices=[kind.name for kind in KINDS], default="membership", help="what the file holds"
    )
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
    add_accept_warnings(parser)


@reporting_errors("ingest")
def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UsageError(f"{args.file} is not a file")
    settings = Settings.from_environment()
    data = args.file.read_bytes()
    order = {"day-first": "day_first", "month-first": "month_first", None: None}[args.date_order]
    mapping = column_mapping(args.map, args.kind)
    store = Store(settings.data_dir)
    checked = uploads.check_file(data, args.file.name, args.kind, store, settings, mapping, order, sheet=args.sheet)
    if (as_written := headers_mapped(mapping, checked.source.header)) != mapping:
        checked = uploads.check_file(data, args.file.name, args.kind, store, settings, as_written, order, args.sheet)
    for note in checked.notes:
        print(f"note: {note}")
    if args.dry_run:
        return _dry_run(checked, store, args.only_valid)
    try:
        result = uploads.commit(
            checked,
            data,
            store,
            committed_by=args.by,
            only_valid=args.only_valid,
            accept_warnings=args.accept_warnings,
            settings=settings,
        )
    except UploadRejected as rejected:
        for hint in hints(checked):  # printed after the report by reporting_errors
            rejected.add_note(hint)
        raise
    print(result.message)
    return EXIT_OK


def _dry_run(checked: Checked, store: Store, only_valid: bool) -> int:
    summary = uploads.preview(checked, store)
    for warning in summary.warnings:
        print(f"warning: {warning}")
    if summary.already_loaded_as:
        print(f"this file is already loaded as batch {summary.already_loaded_as}; committing it would change nothing")
        return EXIT_OK
    if not checked.report.empty:
        print(f"{len(checked.report):,} problem(s):")
    if not checked.report.empty or checked.question is not None:
        print(report_text(checked))
    for hint in hints(checked):
        print(hint)
    committable = checked.may_commit(only_valid)
    # No row can be valid until every required column is matched and the question answered: counts would mislead.
    if checked.rows_in_file == 0:
        print("dry run: the file has no data rows")
    elif checked.match.missing:
        print(f"dry run: the file's {checked.rows_in_file:,} row(s) are checked once the required columns are matched")
    elif checked.question is not None:
        print(f"dry run: the file's {checked.rows_in_file:,} row(s) are checked once the day/month order is given")
    else:
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
    return EXIT_OK if committable else EXIT_REFUSED


def hints(checked: Checked) -> list[str]:
    """What to type next when the file cannot be checked yet: another --kind, a --map, a --date-order."""
    lines = []
    if kind := likely_kind(checked):
        lines.append(f"this looks like {kind.a_file}; choose that kind (--kind {kind.name})")
    elif checked.match.missing and checked.match.unmatched:
        lines.append(
            "match a column the file names differently with --map HEADER=COLUMN, e.g. --map 'Nb adherents=members'"
        )
    if checked.question is not None:
        lines.append("answer with --date-order day-first or --date-order month-first")
    return lines
