"""`python -m analytics activity AFFILIATE --type T --on DATE --title TEXT [--status S] [--event E] [--by WHO]`:
record an activity of a relationship, as the profile's form does (analytics/cli/recording.py: the same checks,
the ledger, exit codes as `ingest`)."""

from __future__ import annotations

import argparse

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.cli.options import iso_date
from analytics.cli.recording import add_common_arguments, record
from analytics.uploads.forms import activity_entry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("affiliate", metavar="AFFILIATE", help="the affiliate, by id, name, acronym or state")
    parser.add_argument(
        "--type", required=True, help="conference attendance, publication contribution, member exchange, work plan item"
    )
    parser.add_argument("--on", type=iso_date, required=True, metavar="DATE", help="its date, YYYY-MM-DD")
    parser.add_argument("--title", required=True, metavar="TEXT", help="what it is, in a line")
    parser.add_argument("--status", help="planned, confirmed, in progress, done or cancelled (default: by the date)")
    parser.add_argument("--event", help="the event it belongs to, by id or name")
    parser.add_argument("--liaison", help="the ICMA liaison (default: the agreement's liaison)")
    add_common_arguments(parser)


@reporting_errors("activity")
def run(args: argparse.Namespace) -> int:
    entry = activity_entry(args.affiliate, args.type, args.on, args.title, args.status, args.event, args.liaison)
    record(entry, args)
    return EXIT_OK
