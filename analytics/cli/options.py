"""Options several commands share: dates, the scope (regions and types, as the app's filters), and where a
report goes (a file, or e-mail)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from analytics.core.schema import AFFILIATE_TYPES
from analytics.reports.gather import SCOPE_REGIONS, Scope


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-06-30") from None


def add_window_arguments(parser: argparse.ArgumentParser, since_required: bool = True) -> None:
    parser.add_argument(
        "--since",
        type=iso_date,
        required=since_required,
        metavar="DATE",
        help="the earlier date, YYYY-MM-DD: what changed after it" + ("" if since_required else " (optional)"),
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="the later date, YYYY-MM-DD (default: today); later data is ignored",
    )


def add_scope_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--region",
        action="append",
        default=[],
        choices=SCOPE_REGIONS,
        metavar="REGION",
        help=f"only affiliates of this region (repeatable): {', '.join(SCOPE_REGIONS)}",
    )
    parser.add_argument(
        "--type",
        action="append",
        default=[],
        choices=AFFILIATE_TYPES,
        metavar="TYPE",
        help=f"only affiliates of this type (repeatable): {', '.join(AFFILIATE_TYPES)}",
    )


def scope_of(args: argparse.Namespace) -> Scope:
    return Scope(regions=tuple(args.region), types=tuple(args.type))


def add_mail_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="send it to this address (repeatable) over SMTP (AFFILIATE_SMTP_*)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write it to FILE: .eml (the whole message), .txt (the plain text) or .html",
    )


def out_path(out: Path, slug: str, several: bool) -> Path:
    """FILE, or FILE with the scope's slug before its suffix when one run writes several."""
    return out.with_name(f"{out.stem}-{slug}{out.suffix}") if several else out
