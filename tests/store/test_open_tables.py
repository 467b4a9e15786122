"""Open tables: every Delta table the app writes stays on Delta's reader 1 / writer 2 protocol (timestamps with a
time zone, no timestampNtz), and a second, independent engine (Polars' `scan_delta`) reads each one as the app does.

The same checks run on a store in a folder and on one in an S3 emulator (tests/object_store.py). DuckDB's own
`delta_scan` is not the second engine here: DuckDB 2.0.1 downloads its `delta` extension on first use, which fails
offline, and the `duckdb-ext-delta` wheel on PyPI is built for DuckDB 1.4.4 only; the app reads Delta tables through
deltalake's Arrow datasets instead (analytics/store/ledger.py). The record of fired alerts is a JSON file, not a
Delta table (analytics/reports/fired.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.fs as pafs
import pytest
from deltalake import DeltaTable

from analytics.core.schema import UPLOADABLE_TABLES
from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.reader import Store
from analytics.uploads import delta
from analytics.uploads import pipeline as uploads

BAD_FILES = Path(__file__).resolve().parents[1] / "bad_files"
TODAY = date(2026, 11, 27)
GOOD = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\nSolace,2025-12-31,530,41\n"
OTHER = b"affiliate,date,members,icma members\nNFBPA,2025-12-31,300,90\n"


def commit(data_dir: Path, data: bytes, **options) -> uploads.CommitResult:
    store = Store(data_dir)
    checked = uploads.check_file(data, "upload.csv", "membership", store, Settings(data_dir=data_dir), today=TODAY)
    return uploads.commit(checked, data, store, committed_by="test", **options)


def write_every_table(data_dir: Path) -> dict[str, str]:
    """A commit, a batch committed with its rejected rows, an undo; and the other kinds' tables through the same
    append. The batch ids by what happened to them."""
    kept = commit(data_dir, GOOD)
    with_rejected = commit(
        data_dir, (BAD_FILES / "unknown_affiliate.csv").read_bytes(), only_valid=True, accept_warnings=True
    )
    undone = commit(data_dir, OTHER)
    uploads.undo(data_dir, undone.batch_id, "test")
    layout = ledger.StoreLayout(data_dir)
    for kind in UPLOADABLE_TABLES:
        if kind != "membership":
            delta.append(layout.rows(kind), delta.rows_schema(kind).empty_table())
    return {"kept": kept.batch_id, "with_rejected": with_rejected.batch_id, "undone": undone.batch_id}


def tables_in_store(data_dir: Path) -> list[Path | str]:
    """Every Delta table under the shared store (whatever wrote it): each folder that holds a `_delta_log/`."""
    location = ledger.StoreLayout(data_dir).location
    if not location.is_object_store:
        return sorted(log.parent for log in location.folder.rglob("_delta_log"))
    options = dict(location.options)
    filesystem = pafs.S3FileSystem(
        endpoint_override=options["AWS_ENDPOINT_URL"],
        access_key=options["AWS_ACCESS_KEY_ID"],
        secret_key=options["AWS_SECRET_ACCESS_KEY"],
        region=options["AWS_REGION"],
    )
    base = location.url.removeprefix("s3://")
    infos = filesystem.get_file_info(pafs.FileSelector(base, recursive=True))
    folders = {info.path.rsplit("/_delta_log/", 1)[0] for info in infos if "/_delta_log/" in info.path}
    return sorted(f"s3://{folder}" for folder in folders)


def name_of(table: Path | str) -> str:
    return str(table).rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture(params=["folder", "s3"])
def data_dir(request, tiny_data_dir) -> Path:
    """The tiny data folder, its store in its own folder or in a bucket of the S3 emulator."""
    if request.param == "s3":
        request.getfixturevalue("s3_store")
    return tiny_data_dir


def test_every_table_the_app_writes_is_on_reader_1_writer_2_without_timestamp_ntz(data_dir):
    write_every_table(data_dir)
    tables = tables_in_store(data_dir)
    assert {name_of(table) for table in tables} >= {"ledger", "rejected", *UPLOADABLE_TABLES}
    for table in tables:
        opened = ledger.delta_table(table)
        protocol = opened.protocol()
        assert (protocol.min_reader_version, protocol.min_writer_version) == (1, 2), name_of(table)
        assert not protocol.reader_features and not protocol.writer_features, name_of(table)
        schema = pa.schema(opened.schema().to_arrow())  # deltalake gives an arro3 schema
        for field in schema:
            if pa.types.is_timestamp(field.type):
                assert field.type.tz == "UTC", (name_of(table), field.name)


def test_the_ledger_times_are_utc_aware():
    assert {field.type for field in ledger.LEDGER_SCHEMA if pa.types.is_timestamp(field.type)} == {
        pa.timestamp("us", tz="UTC")
    }


def test_a_naive_timestamp_is_refused_before_it_reaches_a_table(tmp_path):
    naive = pa.table({"at": pa.array([datetime(2026, 11, 27, 12)], pa.timestamp("us"))})
    with pytest.raises(ValueError, match="without a time zone in at"):
        delta.append(tmp_path / "table", naive)
    assert not (tmp_path / "table").exists()
    delta.append(tmp_path / "table", naive.cast(pa.schema([("at", pa.timestamp("us", tz="UTC"))])))
    assert DeltaTable(str(tmp_path / "table")).protocol().min_reader_version == 1


def polars_read(table: Path | str) -> pl.DataFrame:
    return pl.scan_delta(str(table), storage_options=ledger.storage_options(table)).collect()


def records(frame: pd.DataFrame, key: list[str]) -> list[dict]:
    """Rows as plain values, missing ones as None, in key order, for comparing what two engines read."""
    frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
    return [
        {name: (None if pd.isna(value) else value) for name, value in row.items()} for row in frame.to_dict("records")
    ]


def test_polars_reads_every_table_as_the_app_does(data_dir):
    batches = write_every_table(data_dir)
    layout = ledger.StoreLayout(data_dir)

    # The ledger: every event, and the batches with their status as the Upload page and `batches` show them.
    events = polars_read(layout.ledger).to_pandas()
    app_events = ledger.ledger_events(data_dir)
    assert records(events, ["batch_id", "status"]) == records(app_events, ["batch_id", "status"])
    assert len(events) == 4 and (events["status"] == "undone").sum() == 1
    assert events["committed_at"].dt.tz is not None
    assert set(events.loc[events["status"] == "undone", "batch_id"]) == {batches["undone"]}
    shown = ledger.batches(data_dir).set_index("batch_id")["status"].to_dict()
    last_status = events.sort_values("status").drop_duplicates("batch_id", keep="last")
    assert shown == dict(zip(last_status["batch_id"], last_status["status"], strict=True))

    # The rejected rows, as `batches --rejected` shows them.
    rejected = polars_read(layout.rejected).filter(pl.col("batch_id") == batches["with_rejected"]).to_pandas()
    app_rejected = delta.rejected_rows(data_dir, batches["with_rejected"])
    assert records(rejected, ["row_number"]) == records(app_rejected, ["row_number"])
    assert rejected["problem"].str.contains("Solase|unknown", regex=True).all()

    # The uploaded membership rows: those of the visible batches are what the pages' membership table holds.
    rows = polars_read(layout.rows("membership")).to_pandas()
    assert set(rows["batch_id"]) == set(batches.values())
    visible = rows[rows["batch_id"].isin({batches["kept"], batches["with_rejected"]})]
    membership = Store(data_dir).table("membership").set_index(["affiliate_id", "snapshot_on"])
    for row in visible.itertuples():
        shown_row = membership.loc[(row.affiliate_id, pd.Timestamp(row.snapshot_on))]
        assert (shown_row["members"], shown_row["icma_members"]) == (row.members, row.icma_members)
    hidden = rows[rows["batch_id"] == batches["undone"]].iloc[0]
    assert (hidden["affiliate_id"], pd.Timestamp(hidden["snapshot_on"])) not in membership.index

    # Every table, whatever wrote it: Polars reads the same rows as deltalake (the app's reader).
    for table in tables_in_store(data_dir):
        by_app = ledger.delta_table(table).to_pyarrow_table()
        by_polars = pa.table(polars_read(table).to_arrow()).cast(by_app.schema)  # polars' large strings
        key = [(name, "ascending") for name in by_app.column_names]
        assert by_polars.sort_by(key).to_pylist() == by_app.sort_by(key).to_pylist(), name_of(table)


def test_polars_reads_an_earlier_version_as_deltalake_does(tiny_data_dir):
    first = commit(tiny_data_dir, GOOD)
    uploads.undo(tiny_data_dir, first.batch_id, "test")
    path = ledger.StoreLayout(tiny_data_dir).ledger
    before_undo = pl.scan_delta(str(path), version=0).collect()
    assert before_undo["status"].to_list() == ["committed"]
    assert pl.scan_delta(str(path)).collect().height == 2
    assert before_undo["committed_at"].dtype == pl.Datetime("us", "UTC")
    assert before_undo["committed_at"][0] <= datetime.now(UTC)
