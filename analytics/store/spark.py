"""Apache Spark over the store, for a deployment whose data no longer fits one machine (docs/deploy.md).

Optional: `pyspark` comes from requirements-spark.txt and is imported only here, only when called; the app never
needs it. A session runs in local mode unless `master` names a cluster.

Spark reads a Delta table of the store through its current file list (`DeltaTable(path).file_uris()`, the files of
the table's latest version) as Parquet, because the Delta connector for Spark (delta-spark) loads its jars from
Maven, which this project's machines cannot reach. That list is exactly a version's data for the tables the app
writes: they are only appended to, with no deletion vectors or column mapping (the app never enables them). A
store on object storage would need the hadoop-aws jars (from Maven too) for Spark to open s3:// files; here Spark
reads a store in a folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa

from analytics.core.errors import AnalyticsError
from analytics.store import ledger

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
