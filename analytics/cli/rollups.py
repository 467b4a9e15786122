"""`python -m analytics rollups [--engine duckdb|spark] [--data-dir DIR] [--out DIR]`: every rollup of the data's
current state, as Parquet, built by DuckDB or by Apache Spark from the same SQL (analytics/store/rollups/).

Without --out the files go where the app keeps this state's rollups (`<data dir>/store/rollups/<state key>/`), and
the app reads them from there instead of making them on its first query: a timer that runs `--engine spark` after
uploads spares the app that work (docs/deploy.md). The state is the one a store opened here sees (its table files
and committed batches); Spark reads exactly that state's rows from the files and the Delta tables itself, so its
tables are those of that state even when a commit lands meanwhile. With duckdb the files are the store's own.

Spark is an optional extra (requirements-spark.txt, Java 17+): without it `--engine spark` ends with exit 1 and
says what to install.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow.parquet as pq

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.core.errors import AnalyticsError
from analytics.core.settings import Settings
from analytics.store.reader import Store, open_store
from analytics.store.rollup import rollups_in_order

ENGINES = ("duckdb", "spark")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="what builds them (default duckdb)")
    parser.add_argument("--data-dir", type=Path, default=None, help="the data folder (default AFFILIATE_DATA_DIR)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write <rollup>.parquet files to DIR (default: the store's folder for this state, which the app reads)",
    )
    parser.add_argument(
        "--spark-master", default="local[2]", metavar="URL", help="Spark's master (default local[2]: this machine)"
    )


def built_with_duckdb(store: Store, out: Path | None) -> dict[str, Path]:
    return {name: store.rollup_file(name, out) for name in rollups_in_order()}


def built_with_spark(store: Store, out: Path | None, master: str) -> dict[str, Path]:
    from analytics.store import spark  # only here: pyspark is optional

    folder = out or store.rollups_folder
    if folder is None:
        raise AnalyticsError(f"{store.data_dir}: its store cannot be written; give --out DIR")
    return spark.write_rollups(spark.session(master), store.data_dir, store.uploaded_batches(), folder)


@reporting_errors("rollups")
def run(args: argparse.Namespace) -> int:
    store = open_store(args.data_dir or Settings.from_environment().data_dir)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    if args.engine == "spark":
        written = built_with_spark(store, args.out, args.spark_master)
    else:
        written = built_with_duckdb(store, args.out)
    for name, path in written.items():
        print(f"{name}: {pq.read_metadata(path).num_rows:,} rows -> {path}")
    return EXIT_OK
