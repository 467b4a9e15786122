"""The runtime store of uploads: where it lives, and what readers may see of it.

Uploads never touch the bundled files of the data folder. They live under `<data_dir>/store/`,
in Delta Lake tables (the `deltalake` package), one per kind of data:

    store/membership/   uploaded rows, each with its batch_id and its row in the uploaded file
    store/events/       uploaded events, likewise
    store/rejected/     rows refused by the checks, kept with their batch (--only-valid)
    store/ledger/       one row per event of a batch: committed, then maybe undone (append only)
    store/archive/      every uploaded file, raw, named by its SHA-256
    store/mappings/     columns matched by hand, per header signature, to match the next such file alike

These may live elsewhere than `<data_dir>/store/`, in one folder or object store that several app servers
share (AFFILIATE_STORE_URL; analytics.store.location): a table's place is then a URL, read with the storage
options of `delta_table`. What a machine derives for itself (checks, caches) stays in `<data_dir>/store/`.

A batch becomes visible in one step: its ledger row. Data rows whose batch has no committed
ledger row (a process killed mid-commit) are never shown; a batch with an `undone` ledger row
is no longer shown. Nothing is ever deleted, so every earlier state stays recoverable from the
Delta versions. See docs/storage.md for why this design was chosen.

This module only reads; analytics.uploads.pipeline writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable

from analytics.core.schema import UPLOADABLE_TABLES
from analytics.store.location import StoreLocation

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
        # The plausibility warnings the committer acknowledged, one a line (analytics/uploads/plausibility.py);
        # empty when there were none. Added after the first ledgers were written: older rows read it as empty
        # (Delta schema evolution, analytics/uploads/delta.append).
        ("warnings_acknowledged", pa.string()),
    ]
)

# store/mappings/: one row per batch committed with columns matched by hand, so that the next file of the same
# header (its signature: analytics/uploads/matching.header_signature) is matched the same way.
MAPPINGS_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("header_signature", pa.string()),
        ("mapping_json", pa.string()),  # {"file header": "column", ...}
        ("batch_id", pa.string()),
        ("saved_at", pa.timestamp("us", tz="UTC")),
        ("saved_by", pa.string()),
    ]
)

# Column order of `batches()`.
BATCH_COLUMNS = [field.name for field in LEDGER_SCHEMA]


@dataclass(frozen=True)
class StoreLayout:
    """The folders of the runtime store of one data folder: `root` on this machine, the tables and the archive
    where `location` says (default: the settings' AFFILIATE_STORE_URL, else `root` itself)."""

    data_dir: Path
    location: StoreLocation = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.location is None:
            object.__setattr__(self, "location", StoreLocation.of(Path(self.data_dir)))

    @property
    def root(self) -> Path:
        """`<data_dir>/store/` on this machine: what it derives for itself (checks, caches), and by default all."""
        return Path(self.data_dir) / "store"

    @property
    def ledger(self) -> Path | str:
        return self.location.path("ledger")

    @property
    def rejected(self) -> Path | str:
        return self.location.path("rejected")

    @property
    def archive(self) -> Path | str:
        return self.location.path("archive")

    @property
    def mappings(self) -> Path | str:
        return self.location.path("mappings")

    def rows(self, kind: str) -> Path | str:
        """store/<kind>/: the uploaded rows of an uploadable table (schema `is_uploadable`)."""
        if kind not in UPLOADABLE_TABLES:
            raise ValueError(f"{kind!r} is not an uploadable table; these are: {', '.join(UPLOADABLE_TABLES)}")
        return self.location.path(kind)


def storage_options(path: Path | str) -> dict[str, str] | None:
    """deltalake's storage options for a table of the store: the settings' when `path` is an object-store URL."""
    return StoreLocation.of(Path()).storage_options if isinstance(path, str) and "://" in path else None


def is_table(path: Path | str) -> bool:
    if isinstance(path, Path) and not (path / "_delta_log").is_dir():
        return False
    return DeltaTable.is_deltatable(str(path), storage_options=storage_options(path))


def delta_table(path: Path | str, version: int | None = None) -> DeltaTable:
    """The Delta table of the store at `path` (a folder or a URL), at `version` (latest: None)."""
    return DeltaTable(str(path), version=version, storage_options=storage_options(path))


def ledger_version(data_dir: Path) -> int:
    """The number of the latest ledger commit, -1 when nothing was ever committed.

    Read from the names of the commit files alone (one listing on an object store), so it is cheap enough to
    call on every page run.
    """
    names = StoreLayout(Path(data_dir)).location.names("ledger/_delta_log")
    stems = [name.removesuffix(".json") for name in names if name.endswith(".json")]
    return max((int(stem) for stem in stems if stem.isdigit()), default=-1)


def ledger_events(data_dir: Path) -> pd.DataFrame:
    """Every ledger row ever written, oldest first (an empty frame when there is none)."""
    path = StoreLayout(Path(data_dir)).ledger
    if not is_table(path):
        return LEDGER_SCHEMA.empty_table().to_pandas()
    events = delta_table(path).to_pyarrow_table().to_pandas()
    return events.reindex(columns=list(dict.fromkeys([*BATCH_COLUMNS, *events.columns])))  # older ledgers lack some


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
    dataset = delta_table(path).to_pyarrow_dataset()
    rows = dataset.to_table(filter=pc.field("batch_id").isin(visible["batch_id"].tolist()))
    order = pa.table({"batch_id": visible["batch_id"].tolist(), "upload_order": visible["upload_order"].tolist()})
    return rows.join(order, "batch_id")


@dataclass(frozen=True)
class RememberedMapping:
    """How a file of one header was matched by hand last time: file header -> column, and the batch it came with."""

    mapping: dict[str, str]
    batch_id: str
    saved_by: str


def remembered_mapping(data_dir: Path, kind: str, header_signature: str) -> RememberedMapping | None:
    """The latest mapping saved for files of `kind` with this header signature whose batch is still committed
    (an undone batch's mapping is forgotten with it); None when there is none."""
    path = StoreLayout(Path(data_dir)).mappings
    if not is_table(path):
        return None
    saved = delta_table(path).to_pyarrow_table(
        filters=[("kind", "=", kind), ("header_signature", "=", header_signature)]
    )
    if saved.num_rows == 0:
        return None
    committed = set(batches(data_dir).query("status == @COMMITTED")["batch_id"])
    rows = [row for row in saved.sort_by("saved_at").to_pylist() if row["batch_id"] in committed]
    if not rows:
        return None
    latest = rows[-1]
    return RememberedMapping(json.loads(latest["mapping_json"]), latest["batch_id"], latest["saved_by"])
