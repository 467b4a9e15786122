"""Spark (local mode) reads every Delta table the app writes as deltalake does, through the table's file list
(analytics/store/spark.py). Marked `spark`: skipped without pyspark and Java, except under CI (.ci/run installs
requirements-spark.txt)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from analytics.core.errors import AnalyticsError
from analytics.store import ledger, spark
from tests.store.test_open_tables import tables_in_store, write_every_table

pytestmark = pytest.mark.spark


def test_spark_reads_every_table_as_deltalake_does(session, tiny_data_dir):
    batches = write_every_table(tiny_data_dir)
    for table in tables_in_store(tiny_data_dir):
        by_app = ledger.delta_table(table).to_pyarrow_table()
        by_spark = spark.read_delta(session, table).toArrow().cast(by_app.schema)
        key = [(name, "ascending") for name in by_app.column_names]
        assert by_spark.sort_by(key).to_pylist() == by_app.sort_by(key).to_pylist(), table
    events = spark.read_delta(session, ledger.StoreLayout(tiny_data_dir).ledger)
    assert dict(events.schema["committed_at"].jsonValue())["type"] == "timestamp"  # not timestamp_ntz
    undone = events.where("status = 'undone'").select("batch_id").toArrow().column(0).to_pylist()
    assert undone == [batches["undone"]]
    counts = spark.read_delta(session, ledger.StoreLayout(tiny_data_dir).rows("membership")).groupBy("batch_id")
    assert sorted(counts.count().toArrow().column("count").to_pylist()) == [1, 1, 2]


def test_spark_reads_an_earlier_version_by_its_file_list(session, tiny_data_dir):
    write_every_table(tiny_data_dir)
    first = spark.read_delta(session, ledger.StoreLayout(tiny_data_dir).ledger, version=0).toArrow()
    assert first.num_rows == 1 and first.schema.field("committed_at").type == pa.timestamp("us", tz="UTC")


def test_a_store_on_object_storage_is_refused_in_words(session):
    with pytest.raises(AnalyticsError, match="hadoop-aws"):
        spark.read_delta(session, "s3://bucket/insights/store/ledger")
