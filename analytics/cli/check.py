"""`python -m analytics check [DIR]`: validate a data folder and print the rows per table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.cli.exit_codes import EXIT_OK, EXIT_REFUSED, reporting_errors
from analytics.core.errors import DataValidationError
from analytics.core.settings import Settings
from analytics.store.reader import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        help="the folder to check (default: AFFILIATE_DATA_DIR, else data/)",
    )


@reporting_errors("check failed")
def run(args: argparse.Namespace) -> int:
    data_dir = args.data_dir or Settings.from_environment().data_dir
    try:
        store = Store(data_dir)
        problems = store.validate()
        counts = store.count_rows()
    except DataValidationError as error:  # the problems are this command's report, listed below
        problems, counts = error.problems, {}
    for name, count in counts.items():
        print(f"{name:<16} {count:>12,} rows")
    if problems:
        print(f"\n{data_dir}: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"\n{data_dir}: OK")
    return EXIT_OK
