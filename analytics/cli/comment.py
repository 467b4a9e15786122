"""`python -m analytics comment GOAL_ID --text TEXT [--on DATE] [--checkin CHECKIN_ID] [--by WHO]`: add a comment
to a goal's thread, or to one of its check-ins (analytics/cli/recording.py: the same checks, the ledger, exit
codes as `ingest`)."""

from __future__ import annotations

import argparse
import datetime as dt

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.cli.options import iso_date
from analytics.cli.recording import add_common_arguments, record
from analytics.uploads.forms import comment_entry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("goal", metavar="GOAL_ID", help="the goal, by id or title")
    parser.add_argument("--text", required=True, help="the comment")
    parser.add_argument("--on", type=iso_date, default=None, metavar="DATE", help="its date (default: today)")
    parser.add_argument("--checkin", metavar="CHECKIN_ID", help="the check-in it is about (its id, as in the history)")
    add_common_arguments(parser)


@reporting_errors("comment")
def run(args: argparse.Namespace) -> int:
    record(comment_entry(args.goal, args.on or dt.date.today(), args.text, checkin_id=args.checkin), args)
    return EXIT_OK
