"""`python -m analytics checkin GOAL_ID --on DATE --value V --note TEXT [--comment TEXT] [--by WHO] [--replace]`:
record a check-in on a goal, as the Goals page's form does (analytics/cli/recording.py: the same checks, the
ledger, exit codes as `ingest`). `--comment` adds a comment on the check-in, a batch of its own."""

from __future__ import annotations

import argparse

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.cli.options import iso_date
from analytics.cli.recording import add_common_arguments, record
from analytics.uploads.forms import checkin_entry, comment_entry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("goal", metavar="GOAL_ID", help="the goal, by id or title (as on the Goals page)")
    parser.add_argument("--on", type=iso_date, required=True, metavar="DATE", help="the check-in's date, YYYY-MM-DD")
    parser.add_argument("--value", required=True, help="the value in the goal's unit (45 for 45%%, 1,234)")
    parser.add_argument("--note", default="", metavar="TEXT", help="the narrative: what happened")
    parser.add_argument("--comment", metavar="TEXT", help="a comment on the check-in, recorded after it")
    add_common_arguments(parser)


@reporting_errors("checkin")
def run(args: argparse.Namespace) -> int:
    form = record(checkin_entry(args.goal, args.on, args.value, args.note), args)
    if args.comment and not args.dry_run:
        row = form.row
        record(comment_entry(row["goal_id"], args.on, args.comment, checkin_id=row["checkin_id"]), args)
    return EXIT_OK
