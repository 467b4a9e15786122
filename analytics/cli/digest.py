"""`python -m analytics digest --since DATE [--as-of DATE] [--to ADDRESS ...] [--out FILE]`: the monthly digest.

What changed in the window (analytics.domain.changes) as an e-mail: a plain-text part, an HTML part and its
charts as inline images. It is written to --out, sent to --to over SMTP (AFFILIATE_SMTP_*) or, with neither,
its plain text is printed. `--recipients FILE` sends each person the digest of their regions (a CSV with
email and regions). When nothing changed, nothing is sent unless --send-empty.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from pathlib import Path

from analytics.cli.exit_codes import EXIT_OK, UsageError, reporting_errors
from analytics.cli.options import (
    add_mail_arguments,
    add_scope_arguments,
    add_window_arguments,
    out_path,
    scope_of,
)
from analytics.core.settings import Settings
from analytics.figures import changes_report, rendering
from analytics.figures.digest import IMAGE_HEIGHT, IMAGE_WIDTH, Digest, InlineImage, digest
from analytics.reports import mail
from analytics.reports.gather import Recipients, gather, read_recipients
from analytics.store.reader import open_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_window_arguments(parser)
    add_scope_arguments(parser)
    add_mail_arguments(parser)
    parser.add_argument(
        "--recipients",
        type=Path,
        default=None,
        metavar="FILE",
        help="CSV with the columns email and regions (';'-separated, empty for all): one digest per set of regions",
    )
    parser.add_argument("--send-empty", action="store_true", help="send the digest even when nothing changed")
    parser.add_argument("--no-charts", action="store_true", help="leave the charts out (no browser is started)")


def write_digest(built: Digest, message_bytes: bytes, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".eml":
        path.write_bytes(message_bytes)
    elif suffix == ".txt":
        path.write_text(built.text, encoding="utf-8")
    else:
        path.write_text(built.html_with_embedded_images(), encoding="utf-8")


@reporting_errors("digest failed")
def run(args: argparse.Namespace) -> int:
    settings = Settings.from_environment()
    as_of = args.as_of or dt.date.today()
    if not args.since < as_of:
        raise UsageError(f"--since ({args.since}) must be before --as-of ({as_of})")
    if args.recipients and (args.to or args.region or args.type):
        raise UsageError("--recipients gives each person their own scope: leave out --to, --region and --type")
    groups = read_recipients(args.recipients) if args.recipients else [Recipients(scope_of(args), tuple(args.to))]
    if any(group.addresses for group in groups) and not mail.is_configured(settings):
        raise mail.MailError("e-mail is not configured: set AFFILIATE_SMTP_HOST (README, Configuration)")
    store = open_store(settings.data_dir)
    with contextlib.ExitStack() as stack:
        png = None if args.no_charts else stack.enter_context(rendering.static_images())
        for group in groups:
            scope = group.scope
            found = gather(store, scope, args.since, as_of, settings).changes
            images = ()
            if png is not None:
                images = tuple(
                    InlineImage(chart.key, png(chart.figure, IMAGE_WIDTH, IMAGE_HEIGHT), chart.alt)
                    for chart in changes_report.change_figures(found)
                )
            built = digest(found, scope.text, settings.app_url, images=images)
            message = mail.message(built, settings.sender, group.addresses)
            if args.out:
                path = out_path(args.out, scope.slug, len(groups) > 1)
                write_digest(built, bytes(message), path)
                print(f"wrote {path}")
            if found.is_empty and not args.send_empty:
                print(
                    f"{scope.text}: nothing changed after {args.since} up to {as_of}; not sent (--send-empty sends it)"
                )
                continue
            if group.addresses:
                mail.send(message, settings)
                print(f"{scope.text}: sent to {', '.join(group.addresses)}")
            elif not args.out:
                print(built.text)
    return EXIT_OK
