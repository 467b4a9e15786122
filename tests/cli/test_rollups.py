"""`python -m analytics rollups`: with DuckDB, the store's own files (or copies in --out), printed with their rows;
Spark missing is a refusal in words (exit 1). Spark's tables are compared with DuckDB's in
tests/store/test_rollup_engines.py."""

from __future__ import annotations

import pyarrow.parquet as pq

from analytics.cli.main import main
from analytics.core.errors import AnalyticsError
from analytics.store import spark
from analytics.store.reader import Store
from analytics.store.rollup import rollups_in_order


def printed_rollups(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines())


def test_rollups_with_duckdb_are_the_files_the_store_keeps(tiny_data_dir, capsys):
    assert main(["rollups", "--data-dir", str(tiny_data_dir)]) == 0
    printed = printed_rollups(capsys.readouterr().out)
    assert list(printed) == list(rollups_in_order())
    store = Store(tiny_data_dir)
    for name in printed:
        kept = store.rollups_folder / f"{name}.parquet"
        assert store.rollup_file(name) == kept
        assert printed[name] == f"{pq.read_metadata(kept).num_rows:,} rows -> {kept}"


def test_rollups_written_to_out_are_the_store_s_rows(tiny_data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["rollups", "--engine", "duckdb", "--data-dir", str(tiny_data_dir), "--out", str(out)]) == 0
    printed = printed_rollups(capsys.readouterr().out)
    store = Store(tiny_data_dir)
    for name in rollups_in_order():
        assert printed[name].endswith(f"-> {out / f'{name}.parquet'}")
        written, kept = pq.read_table(out / f"{name}.parquet"), pq.read_table(store.rollup_file(name))
        assert written.schema.types == kept.schema.types
        assert written.to_pylist() == kept.to_pylist()


def test_rollups_with_spark_missing_exit_1_and_say_what_to_install(tiny_data_dir, monkeypatch, capsys):
    def missing(master: str):
        raise AnalyticsError("Spark is not installed: pip install -r requirements-spark.txt")

    monkeypatch.setattr(spark, "session", missing)
    assert main(["rollups", "--engine", "spark", "--data-dir", str(tiny_data_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "rollups: Spark is not installed: pip install -r requirements-spark.txt" in captured.err
