"""`python -m analytics briefing --as-of DATE [--since DATE] --format html|xlsx|pdf --out FILE`: the board pack.

The Goals page's briefing pack for a scope and date: the self-contained HTML page, the Excel workbook, or the
HTML printed to PDF by headless Chromium (A4 or Letter; analytics.figures.rendering). With --since, the HTML
and the PDF end with what changed after that date.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from analytics.cli.exit_codes import EXIT_OK, UsageError, reporting_errors
from analytics.cli.options import add_scope_arguments, add_window_arguments, scope_of
from analytics.core.files import write_bytes_atomically
from analytics.core.settings import Settings
from analytics.figures import briefing, rendering
from analytics.reports.gather import gather, goals_view
from analytics.store.reader import open_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_window_arguments(parser, since_required=False)
    add_scope_arguments(parser)
    parser.add_argument("--format", choices=("html", "xlsx", "pdf"), required=True, help="the kind of file")
    parser.add_argument("--paper", choices=tuple(rendering.PAPER_WIDTHS), default="A4", help="PDF paper (A4)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write")


@reporting_errors("briefing failed")
def run(args: argparse.Namespace) -> int:
    settings = Settings.from_environment()
    as_of = args.as_of or dt.date.today()
    if args.since is not None and not args.since < as_of:
        raise UsageError(f"--since ({args.since}) must be before --as-of ({as_of})")
    scope = scope_of(args)
    store = open_store(settings.data_dir)
    view = goals_view(store, scope, as_of, settings)
    if args.format == "xlsx":
        data = briefing.briefing_workbook(view)
    else:
        found = gather(store, scope, args.since, as_of, settings).changes if args.since else None
        document = briefing.briefing_html(view, scope.text, changes=found, app_url=settings.app_url)
        data = rendering.pdf_from_html(document, args.paper) if args.format == "pdf" else document
    write_bytes_atomically(args.out, data)
    print(f"wrote {args.out} ({len(data):,} bytes, {len(view.statuses)} goals as of {as_of})")
    return EXIT_OK
