"""The runtime store of uploads: where it lives, and what readers may see of it.

Uploads never touch the bundled files of the data folder. They live under `<data_dir>/store/`,
in Delta Lake tables (the `deltalake` package), one per kind of data:

    store/membership/   uploaded rows, each with its batch_id and its row in the uploaded file
    store/events/       uploaded events, likewise
    store/rejected/     rows refused by the checks, kept with their batch (--only-valid)
    store/ledger/       one row per event of a batch: committed, then maybe undone (append only)
    store/archive/      every uploaded file, raw, named by its SHA-256

A batch becomes visible in one step: its ledger row. Data rows whose batch has no committed
ledger row (a process killed mid-commit) are never shown; a batch with an `undone` ledger row
is no longer shown. Nothing is ever deleted, so every earlier state stays recoverable from the
Delta versions. See docs/storage.md for why this design was chosen.

This module only reads; analytics.uploads.pipeline writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable

from analytics.core.schema import UPLOADABLE_TABLES

COMMITTED = "committed"
UNDONE = "undone"

LEDGER_SCHEMA = pa.schema(
    [
        ("batch_id", pa.string()),
        ("kind", pa.string()),
        ("status", pa.string()),
        ("committed_at", pa.timestamp("us", tz="UTC")),
        ("committed_by", pa.string()),
        ("undone_at", pa.timestamp("us", tz="UTC")),
        ("undone_by", pa.string()),
        ("file_name", pa.string()),
        ("sha256", pa.string()),
        ("rows_in_file", pa.int64()),
        ("rows_loaded", pa.int64()),
        ("rows_rejected", pa.int64()),
        ("rows_replaced", pa.int64()),
    ]
)

# Column order of `batches()`.
BATCH_COLUMNS = [field.name for field in LEDGER_SCHEMA]


@dataclass(frozen=True)
class StoreLayout:
    """The folders of the runtime store of one data folder."""

    data_dir: Path

    @property
    def root(self) -> Path:
        return Path(self.data_dir) / "store"

    @property
    def ledger(self) -> Path:
        return self.root / "ledger"

    @property
    def rejected(self) -> Path:
        return self.root / "rejected"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    def rows(self, kind: str) -> Path:
        """store/<kind>/: the uploaded rows of an uploadable table (schema `is_uploadable`)."""
        if kind not in UPLOADABLE_TABLES:
            raise ValueError(f"{kind!r} is not an uploadable table; these are: {', '.join(UPLOADABLE_TABLES)}")
        return self.root / kind


def is_table(path: Path) -> bool:
    return (path / "_delta_log").is_dir() and DeltaTable.is_deltatable(str(path))


def ledger_version(data_dir: Path) -> int:
    """The number of the latest ledger commit, -1 when nothing was ever committed.

    Read from the names of the commit files alone, so it is cheap enough to call on every page run.
    """
    log = StoreLayout(Path(data_dir)).ledger / "_delta_log"
    if not log.is_dir():
        return -1
    versions = [int(path.stem) for path in log.glob("*.json") if path.stem.isdigit()]
    return max(versions, default=-1)


def ledger_events(data_dir: Path) -> pd.DataFrame:
    """Every ledger row ever written, oldest first (an empty frame when there is none)."""
    path = StoreLayout(Path(data_dir)).ledger
    if not is_table(path):
        return LEDGER_SCHEMA.empty_table().to_pandas()
    return DeltaTable(str(path)).to_pyarrow_table().to_pandas()


def batches(data_dir: Path) -> pd.DataFrame:
    """One row per batch, newest first, with its current status (committed or undone)."""
    events = ledger_events(data_dir)
    if events.empty:
        return events[BATCH_COLUMNS]
    committed = events[events["status"] == COMMITTED].drop_duplicates("batch_id")
    undone = events[events["status"] == UNDONE].drop_duplicates("batch_id")[["batch_id", "undone_at", "undone_by"]]
    result = committed.drop(columns=["undone_at", "undone_by"]).merge(
        undone, on="batch_id", how="left", indicator="_undo"
    )
    result["status"] = result["status"].where(result["_undo"] == "left_only", UNDONE)
    return result.sort_values("committed_at", ascending=False, kind="stable")[BATCH_COLUMNS].reset_index(drop=True)


def visible_batches(data_dir: Path, kind: str, without: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The committed, not undone batches of one kind, oldest first, with their `upload_order` (1, 2, ...).

    `without`: batches to leave out, to see what readers would see once they are undone.
    """
    all_batches = batches(data_dir)
    visible = all_batches[
        (all_batches["kind"] == kind) & (all_batches["status"] == COMMITTED) & ~all_batches["batch_id"].isin(without)
    ]
    visible = visible.sort_values(["committed_at", "batch_id"]).reset_index(drop=True)
    return visible.assign(upload_order=range(1, len(visible) + 1))


def visible_rows(data_dir: Path, kind: str, without: frozenset[str] = frozenset()) -> pa.Table | None:
    """The uploaded rows readers may see, with `upload_order` (later batches win); None when there are none."""
    path = StoreLayout(Path(data_dir)).rows(kind)
    visible = visible_batches(data_dir, kind, without)
    if visible.empty or not is_table(path):
        return None
    dataset = DeltaTable(str(path)).to_pyarrow_dataset()
    rows = dataset.to_table(filter=pc.field("batch_id").isin(visible["batch_id"].tolist()))
    order = pa.table({"batch_id": visible["batch_id"].tolist(), "upload_order": visible["upload_order"].tolist()})
    return rows.join(order, "batch_id")
