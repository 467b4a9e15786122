"""`python -m analytics sample [--scale N] [--out DIR]`: write the deterministic sample dataset."""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.core.settings import DEFAULT_DATA_DIR
from analytics.sample.generator import write_sample


def scale_argument(text: str) -> int:
    """argparse type for --scale: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--scale must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"--scale must be at least 1, not {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale", type=scale_argument, default=1, help="write N copies of every affiliate's history (default 1)"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_DATA_DIR, help="folder to write into (default: the bundled data/)"
    )


@reporting_errors("sample")
def run(args: argparse.Namespace) -> int:
    rows = write_sample(args.out, args.scale)
    width = max(len(name) for name in rows)
    for name, count in rows.items():
        print(f"{name:<{width}}  {count:>12,} rows")
    print(f"wrote {sum(rows.values()):,} rows into {args.out}")
    return EXIT_OK
