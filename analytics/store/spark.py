"""Apache Spark over the store, for a deployment whose data no longer fits one machine (docs/deploy.md).

Optional: `pyspark` comes from requirements-spark.txt and is imported only here, only when called; the app never
needs it. A session runs in local mode unless `master` names a cluster.

Spark reads a Delta table of the store through its current file list (`DeltaTable(path).file_uris()`, the files of
the table's latest version) as Parquet, because the Delta connector for Spark (delta-spark) loads its jars from
Maven, which this project's machines cannot reach. That list is exactly a version's data for the tables the app
writes: they are only appended to, with no deletion vectors or column mapping (the app never enables them). A
store on object storage would need the hadoop-aws jars (from Maven too) for Spark to open s3:// files; here Spark
reads a store in a folder.

Spark builds the rollups (`write_rollups`) from the same definitions as DuckDB: the staging views run
analytics/store/staging.py's SELECT over raw rows Spark reads from the folder's files and the store's Delta tables,
then every rollup runs its one SQL file (analytics/store/rollups/), unchanged, in the dialect the two engines share
(tests/store/test_rollup_engines.py proves both give the same tables). The derived views (analytics/store/views/)
are not made here: no rollup reads one (a rollup that did would fail on Spark in that test).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from analytics.core.errors import AnalyticsError
from analytics.core.schema import TABLES, Table
from analytics.store import ledger, rollup, staging
from analytics.store.reader import present_table_file

# Session settings that make Spark's results those of DuckDB over the same files: UTC for timestamps, few shuffle
# partitions for small data, and nothing that listens beyond loopback or shows a UI.
SESSION_CONFIG = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


def session(master: str = "local[2]", app_name: str = "icma-affiliate-insights") -> Any:
    """A SparkSession (created, or the running one); AnalyticsError when pyspark or Java is missing."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise AnalyticsError("Spark is not installed: pip install -r requirements-spark.txt") from error
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # read by the JVM Spark starts: stay on loopback
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in SESSION_CONFIG.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as error:  # pyspark raises its own types when Java cannot start
        raise AnalyticsError(f"Spark could not start (is Java 17+ installed?): {error}") from error
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read_delta(spark: Any, path: Path | str, version: int | None = None) -> Any:
    """The Delta table of the store at `path` as a Spark DataFrame: its files at `version` (latest: None)."""
    if not isinstance(path, Path):
        raise AnalyticsError(
            f"{path}: Spark reads a store in a folder here; on object storage it needs the hadoop-aws jars"
        )
    table = ledger.delta_table(path, version)
    files = table.file_uris()
    if not files:  # a table with no rows yet has no data file to infer a schema from
        return spark.createDataFrame(pa.schema(table.schema().to_arrow()).empty_table())
    return spark.read.parquet(*files)


def _quote(identifier: str) -> str:
    return "`" + identifier.replace("`", "``") + "`"


def _with_absent_columns(frame: Any, table: Table) -> Any:
    """As `reader.with_absent_columns`: every column the schema says a file may lack and this one does, empty."""
    from pyspark.sql import functions

    for column in table.columns:
        if column.may_be_absent and column.name not in frame.columns:
            frame = frame.withColumn(column.name, functions.lit(None).cast("string"))
    return frame


def _raw_rows(spark: Any, data_dir: Path, table: Table) -> Any:
    """The table's rows as the DuckDB store's `raw_<table>` has them: a CSV's every column as text (RFC 4180 quoting,
    comma-separated and UTF-8, as the bundled and sample files are), a Parquet file's as typed; none when absent."""
    found = present_table_file(data_dir, table)
    if found is None:
        return spark.createDataFrame([], ", ".join(f"{_quote(column.name)} STRING" for column in table.columns))
    if found.is_csv:
        reader = spark.read.options(header=True, escape='"', multiLine=True, encoding="UTF-8", mode="FAILFAST")
        frame = reader.csv(str(found.path))
    else:
        frame = spark.read.parquet(str(found.path))
    return _with_absent_columns(frame, table)


def _uploaded_rows(spark: Any, data_dir: Path, table: Table, batches: Iterable[tuple[str, int]]) -> Any:
    """The rows of `batches` (batch_id, upload_order) from the table's Delta table, with their upload_order."""
    order = spark.createDataFrame(list(batches), "batch_id STRING, upload_order BIGINT")
    rows = read_delta(spark, ledger.StoreLayout(data_dir).rows(table.name))
    return _with_absent_columns(rows.join(order, "batch_id"), table)  # the join keeps only those batches


def create_staging_views(spark: Any, data_dir: Path, batches: Mapping[str, Iterable[tuple[str, int]]]) -> None:
    """Every staging view of the folder as a temporary view of the session, as the DuckDB store makes its own.

    `batches`: per uploadable kind, the committed, not undone batches to read, with their upload order
    (`Store.uploaded_batches()`: the batches of the state a DuckDB store over the same folder sees, so that Spark
    reads exactly that state's rows even when a commit lands meanwhile).
    """
    for table in TABLES:
        _raw_rows(spark, data_dir, table).createOrReplaceTempView(f"raw_{table.name}")
        kind_batches = list(batches.get(table.name, ())) if table.is_uploadable else []
        if kind_batches:
            _uploaded_rows(spark, data_dir, table, kind_batches).createOrReplaceTempView(f"uploaded_{table.name}")
        spark.sql(staging.staging_select(table, bool(kind_batches), _quote)).createOrReplaceTempView(table.name)


def write_rollups(
    spark: Any, data_dir: Path, batches: Mapping[str, Iterable[tuple[str, int]]], folder: Path
) -> dict[str, Path]:
    """Every rollup of the folder's state built by Spark and written as one Parquet file, `<folder>/<name>.parquet`
    (the layout of the DuckDB store's own), each after the rollups it reads; which file holds which rollup."""
    create_staging_views(spark, data_dir, batches)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in rollup.rollups_in_order():
        target = folder / f"{name}.parquet"
        _write_one_file(spark.sql(rollup.rollup_text(name)), target)
        # A rollup read by a later one is read back from its file, as the DuckDB store reads its kept rollups.
        spark.read.parquet(str(target)).createOrReplaceTempView(name)
        written[name] = target
    return written


def _write_one_file(frame: Any, target: Path) -> None:
    """The frame as one Parquet file at `target`: Spark writes a folder of part files, here one (a rollup is small),
    moved into place by a rename, so a reader sees the old file or the new one, never a part."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.spark")
    try:
        frame.coalesce(1).write.parquet(str(temporary), compression="zstd")
        (part,) = temporary.glob("part-*.parquet")
        os.replace(part, target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
