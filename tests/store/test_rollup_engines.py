"""DuckDB and Spark build the same rollups from the same SQL (analytics/store/rollups/, run unchanged by both): the
same rows and the same column types, on the bundled data, after a commit and after an undo, and for the state a
store saw when a commit lands while Spark builds. Marked `spark`: skipped without pyspark and Java, except under CI.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics.cli.main import main
from analytics.store import spark
from analytics.store.reader import Store
from analytics.store.rollup import rollup_names, rollups_in_order
from analytics.uploads import pipeline as uploads
from tests.store.test_rollups import commit, params

pytestmark = pytest.mark.spark

# A later report of Solace than the one tests/store/test_rollups.py's upload commits.
LATER_UPLOAD = "affiliate,date,members,icma members\nSolace,2026-01-31,545,44\n"


def sorted_frame(path: Path) -> pd.DataFrame:
    frame = pq.read_table(path).to_pandas()
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def assert_same_rollups(by_duckdb: dict[str, Path], by_spark: dict[str, Path]) -> None:
    assert sorted(by_duckdb) == sorted(by_spark) == sorted(rollup_names())
    for name in rollup_names():
        duckdb_schema, spark_schema = pq.read_schema(by_duckdb[name]), pq.read_schema(by_spark[name])
        assert duckdb_schema.names == spark_schema.names, name
        assert duckdb_schema.types == spark_schema.types, name
        pd.testing.assert_frame_equal(sorted_frame(by_spark[name]), sorted_frame(by_duckdb[name]), obj=name)


def built_by_both(session, store: Store, folder: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    by_duckdb = {name: store.rollup_file(name) for name in rollup_names()}
    by_spark = spark.write_rollups(session, store.data_dir, store.uploaded_batches(), folder)
    return by_duckdb, by_spark


def test_both_engines_build_the_same_rollups_of_the_bundled_data(session, bundled_data_dir, tmp_path):
    by_duckdb, by_spark = built_by_both(session, Store(bundled_data_dir), tmp_path / "spark")
    assert_same_rollups(by_duckdb, by_spark)
    assert pq.read_metadata(by_spark["membership_month_reports"]).num_rows > 10_000


def test_both_engines_build_the_same_rollups_after_a_commit_and_an_undo(session, tiny_data_dir, tmp_path):
    before = Store(tiny_data_dir).rollup_file("membership_reports_by_group_month")
    batch_id = commit(tiny_data_dir)  # replaces a row of the folder, adds others
    committed = Store(tiny_data_dir)
    assert_same_rollups(*built_by_both(session, committed, tmp_path / "committed"))
    assert not sorted_frame(committed.rollup_file("membership_reports_by_group_month")).equals(sorted_frame(before))

    commit(tiny_data_dir, LATER_UPLOAD)
    assert_same_rollups(*built_by_both(session, Store(tiny_data_dir), tmp_path / "two batches"))

    uploads.undo(tiny_data_dir, batch_id, "test")
    assert_same_rollups(*built_by_both(session, Store(tiny_data_dir), tmp_path / "undone"))


def test_spark_builds_the_state_its_store_saw_when_a_commit_lands_meanwhile(session, tiny_data_dir, tmp_path):
    commit(tiny_data_dir)
    store = Store(tiny_data_dir)
    commit(tiny_data_dir, LATER_UPLOAD)  # after the store opened: not in its state
    assert_same_rollups(*built_by_both(session, store, tmp_path / "spark"))


def test_the_command_writes_spark_rollups_where_the_app_reads_them(session, tiny_data_dir, capsys):
    commit(tiny_data_dir)
    assert main(["rollups", "--engine", "spark", "--data-dir", str(tiny_data_dir)]) == 0
    printed = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    assert list(printed) == list(rollups_in_order())
    store = Store(tiny_data_dir)
    files = {name: store.rollups_folder / f"{name}.parquet" for name in rollup_names()}
    for name, path in files.items():
        assert printed[name] == f"{pq.read_metadata(path).num_rows:,} rows -> {path}"
        assert b"org.apache.spark.version" in pq.read_schema(path).metadata  # written by Spark
    modified = {name: path.stat().st_mtime_ns for name, path in files.items()}
    store.query("membership_by_month", **params())
    assert {name: store.rollup_file(name) for name in rollup_names()} == files
    assert {name: path.stat().st_mtime_ns for name, path in files.items()} == modified  # read, not made again
