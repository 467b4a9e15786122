"""`python -m analytics goals [--as-of DATE] [--format table|csv]`: every goal's progress and status.

Thin on purpose: load the tables, call `goals.goal_status`, format. The data folder is
AFFILIATE_DATA_DIR, else data/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import pandas as pd

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.cli.options import iso_date
from analytics.core.settings import Settings
from analytics.domain.goals import STATUS_LABELS, goal_status, goals_with_context
from analytics.figures.exports import to_csv_text
from analytics.store.reader import Store

# Columns of `--format csv`, in order: the goal, its affiliate, then the figures of goal_status.
CSV_COLUMNS: tuple[str, ...] = (
    "goal_id",
    "affiliate_id",
    "affiliate_name",
    "affiliate_type",
    "icma_region",
    "area_of_emphasis",
    "title",
    "direction",
    "unit",
    "baseline_value",
    "target_value",
    "start_on",
    "due_on",
    "expected_value",
    "expected_pct",
    "latest_value",
    "latest_reported_on",
    "actual_pct",
    "pct_of_expected",
    "status",
    "is_stale",
    "reason",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="the date to judge progress on, YYYY-MM-DD (default: today); later check-ins are ignored",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv"),
        default="table",
        help="table: aligned text for people (default); csv: every column, to stdout",
    )


def goal_report(goals_with_status: pd.DataFrame) -> pd.DataFrame:
    """The table people read: one row per goal, sorted by affiliate, area and goal, every cell text."""
    frame = goals_with_status.sort_values(["affiliate_name", "area_of_emphasis", "goal_id"], kind="stable")

    def percent(shares: pd.Series) -> pd.Series:
        return shares.map(lambda share: "-" if pd.isna(share) else f"{share:.0%}")

    status = frame["status"].astype(str).map(STATUS_LABELS)
    reported = percent(frame["actual_pct"]).where(frame["latest_reported_on"].notna(), "-")
    return pd.DataFrame(
        {
            "Goal": frame["goal_id"],
            "Affiliate": frame["affiliate_name"].fillna("(unknown affiliate)"),
            "Area": frame["area_of_emphasis"],
            "Expected": percent(frame["expected_pct"]),
            "Reported": reported,
            "Status": status.where(~frame["is_stale"], status + ", stale"),
            "Reason": frame["reason"],
        }
    ).reset_index(drop=True)


def format_table(report: pd.DataFrame) -> str:
    """Aligned plain text: a header, a rule, one line per row; numbers-as-text right-aligned."""
    right_aligned = {"Expected", "Reported"}
    cells = report.astype(str)
    widths = {column: max([len(column), *cells[column].str.len()]) for column in cells.columns}

    def line(values: list[str]) -> str:
        padded = [
            value.rjust(widths[column]) if column in right_aligned else value.ljust(widths[column])
            for column, value in zip(cells.columns, values, strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * widths[column] for column in cells.columns)
    body = [line(list(row)) for row in cells.itertuples(index=False)]
    return "\n".join([line(list(cells.columns)), rule, *body])


def format_csv(goals_with_status: pd.DataFrame) -> str:
    columns = [column for column in CSV_COLUMNS if column in goals_with_status.columns]
    frame = goals_with_status.sort_values(["affiliate_name", "area_of_emphasis", "goal_id"], kind="stable")
    return to_csv_text(frame[columns], date_format="%Y-%m-%d", lineterminator="\n")


@reporting_errors("goals failed")
def run(args: argparse.Namespace) -> int:
    as_of = args.as_of or dt.date.today()
    settings = Settings.from_environment()
    store = Store(settings.data_dir)
    goals = goals_with_context(store.table("goals"), store.table("agreements"), store.table("affiliates"))
    status = goal_status(goals, store.table("goal_checkins"), as_of)
    goals_with_status = goals.merge(status, on="goal_id", how="left", validate="one_to_one")
    if args.format == "csv":
        sys.stdout.write(format_csv(goals_with_status))
        return EXIT_OK
    if goals_with_status.empty:
        print(f"{settings.data_dir}: no goals as of {as_of.isoformat()}")
        return EXIT_OK
    print(f"Goals as of {as_of.isoformat()} ({len(goals_with_status)} goals, data: {settings.data_dir})\n")
    print(format_table(goal_report(goals_with_status)))
    return EXIT_OK
