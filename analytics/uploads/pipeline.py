"""Uploads: check a file, preview what it will change, commit it all or nothing, undo a batch.

The same pipeline serves the upload page and `python -m analytics ingest`. Writing follows one
order, so that a reader never sees half a batch and a killed process changes nothing visible:

1. the raw file is archived under its SHA-256 (`store/archive/<sha256>`, never its uploaded name);
2. the batch's valid rows are appended to `store/<kind>/` and its rejected rows to `store/rejected/`
   (Delta commits; invisible while the batch has no ledger row);
3. one row is appended to `store/ledger/`: this commit is the moment the batch becomes visible.

Undo appends an `undone` ledger row: nothing is deleted, so every earlier state can be recovered.
Concurrent commits are Delta's optimistic concurrency: appends from two processes both land, in
some order; a commit that still conflicts after the retries is refused with UploadConflictError.

Commit and undo check the role of whoever asks (analytics.auth.roles), whatever page or menu led there:
the app passes the signed-in Identity, whose e-mail the ledger records; the command line passes a
name or nothing, which is the operator at the server's shell (the OS login name, every role).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, write_deltalake
from deltalake.exceptions import CommitFailedError, DeltaError

from analytics.auth.roles import Identity, acting_identity, require
from analytics.core.errors import AnalyticsError
from analytics.core.schema import TABLES
from analytics.core.schema import table as schema_table
from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.ledger import COMMITTED, LEDGER_SCHEMA, UNDONE, StoreLayout
from analytics.store.reader import Store
from analytics.uploads.activities import ActivityReference, check_activities
from analytics.uploads.columns import KIND_COLUMNS
from analytics.uploads.goals import CheckinReference, GoalReference, check_goal_checkins, check_goals
from analytics.uploads.ingest import (
    AffiliateResolver,
    Checked,
    DateOrder,
    EventReference,
    Limits,
    SourceTable,
    check_events,
    check_membership,
    read_source,
    report_text,
    synonym_lookup,
)

# Seconds to sleep between the data commit and the ledger commit: lets a test kill a commit midway.
PAUSE_BEFORE_LEDGER_VARIABLE = "AFFILIATE_TEST_PAUSE_BEFORE_LEDGER"
# Delta's own retries of a conflicting append, then ours when a table is being created by two processes.
DELTA_COMMIT_RETRIES = 20
CREATE_RETRIES = 5

# Arrow types of the schema's DuckDB types, for the rows an upload stores.
ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "INTEGER": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
}


def rows_schema(kind: str) -> pa.Schema:
    """The columns of store/<kind>/: the batch, the row in the uploaded file, then the schema table's columns."""
    columns = [(column.name, ARROW_TYPES[column.type]) for column in schema_table(kind).columns]
    return pa.schema([("batch_id", pa.string()), ("row_number", pa.int64()), *columns])


# What one row of each kind is called in messages.
KIND_NOUNS = {
    "membership": "snapshots",
    "events": "events",
    "goals": "goals",
    "goal_checkins": "check-ins",
    "activities": "activities",
}
# What the preview shows of a replaced record, beside its key (membership has its own preview).
PREVIEW_COLUMNS = {
    "events": ["name", "start_on", "end_on"],
    "goals": ["title", "target_value", "due_on"],
    "goal_checkins": ["goal_id", "reported_on", "value"],
    "activities": ["title", "occurred_on", "status"],
}
REJECTED_SCHEMA = pa.schema(
    [
        ("batch_id", pa.string()),
        ("kind", pa.string()),
        ("row_number", pa.int64()),
        ("problem", pa.string()),
        ("cells_json", pa.string()),
    ]
)
KEY = ["affiliate_id", "snapshot_on"]


class UploadRejected(AnalyticsError):
    """The file has problems (or an open question) and nothing was committed."""

    def __init__(self, checked: Checked, message: str):
        self.checked = checked
        super().__init__(message)


class UploadConflictError(AnalyticsError):
    """Another commit got in the way and this one was not made; trying again is safe."""


@dataclass(frozen=True)
class Preview:
    """What committing a checked file would do."""

    rows_in_file: int
    rows_valid: int
    rows_rejected: int
    rows_added: int
    rows_replaced: int
    replaced: pd.DataFrame  # membership: affiliate_id, snapshot_on, members_before, ...; events: event_id, ...
    totals: pd.DataFrame  # membership: month_end_on, members_before, members_after, ...; events: empty
    already_loaded_as: str | None


@dataclass(frozen=True)
class CommitResult:
    status: str  # "committed" or "already_loaded"
    batch_id: str
    rows_in_file: int
    rows_loaded: int
    rows_rejected: int
    rows_replaced: int

    @property
    def message(self) -> str:
        if self.status == "already_loaded":
            return f"this file was already loaded as batch {self.batch_id}; nothing changed"
        return (
            f"committed batch {self.batch_id}: {self.rows_loaded:,} row(s) loaded "
            f"({self.rows_replaced:,} replacing earlier rows with the same key), {self.rows_rejected:,} rejected"
        )


def limits(settings: Settings) -> Limits:
    return Limits(max_bytes=settings.max_upload_megabytes * 1_000_000, max_rows=settings.max_upload_rows)


def affiliate_resolver(store: Store) -> AffiliateResolver:
    return AffiliateResolver.from_tables(store.table("affiliates"), store.table("states"))


def check_file(
    data: bytes,
    file_name: str,
    kind: str,
    store: Store,
    settings: Settings,
    mapping: dict[str, str] | None = None,
    date_order: DateOrder | None = None,
    sheet: str | None = None,
    today: date | None = None,
) -> Checked:
    """Read and check an uploaded file (IngestError when the file as a whole is refused)."""
    if kind not in ledger.UPLOAD_KINDS:
        raise AnalyticsError(f"uploads of {kind!r} are not supported yet; supported: {', '.join(ledger.UPLOAD_KINDS)}")
    source = read_source(data, file_name, limits(settings), synonym_lookup(kind), sheet=sheet)
    today = today or date.today()
    return with_stored_values(_checked_file(source, kind, store, mapping, date_order, today), store)


def _checked_file(
    source: SourceTable,
    kind: str,
    store: Store,
    mapping: dict[str, str] | None,
    date_order: DateOrder | None,
    today: date,
) -> Checked:
    """The check of the file's kind, given what it needs from the store."""
    if kind == "events":
        return check_events(source, event_reference(store), mapping, date_order)
    if kind == "goals":
        reference = GoalReference.from_tables(
            *(store.table(name) for name in ("affiliates", "states", "agreements", "goals"))
        )
        return check_goals(source, reference, mapping, date_order)
    if kind == "goal_checkins":
        reference = CheckinReference.from_tables(store.table("goals"), store.table("goal_checkins"))
        return check_goal_checkins(source, reference, today, mapping, date_order)
    if kind == "activities":
        tables = ("affiliates", "states", "liaisons", "agreements", "events", "activities")
        reference = ActivityReference.from_tables(*(store.table(name) for name in tables))
        return check_activities(source, reference, today, mapping, date_order)
    return check_membership(source, affiliate_resolver(store), today, mapping, date_order)


def event_reference(store: Store) -> EventReference:
    return EventReference.from_tables(store.table("affiliates"), store.table("states"), store.table("events"))


def with_stored_values(checked: Checked, store: Store) -> Checked:
    """The checked rows, where a row replaces a stored record, holding that record's values wherever the file
    leaves the columns feeding them blank or lacks them: a file of corrected member counts leaves the stored
    joiners and leavers as they were, and an event whose affiliate cell is empty keeps its affiliate, type and
    organizer. An upload therefore never clears a stored value; undoing the batch that set it does."""
    rows = checked.rows
    if rows.empty:
        return checked
    required = {column.name for column in KIND_COLUMNS[checked.kind] if column.required}
    blank = {
        # A column fed by the file column of its own name is blank where the row has no value (cheap);
        # one fed by other columns is blank where they all are.
        name: rows[name].isna().to_numpy()
        if feeders == (name,)
        else np.logical_and.reduce([checked.blank_in_file(feeder) for feeder in feeders])
        for name, feeders in fed_columns(checked.kind).items()
        if not set(feeders) & required
    }
    blank = {name: where for name, where in blank.items() if where.any()}
    if not blank:
        return checked
    key = list(schema_table(checked.kind).key)
    stored = _stored_rows(checked.kind, rows, store)[[*key, *blank]]
    stored = stored.drop_duplicates(key).astype(dict.fromkeys(key, object))
    dates = {name: "datetime64[ns]" for name in key if name.endswith("_on")}
    asked = rows[key].astype(dict.fromkeys(key, object)).astype(dates)
    found = asked.merge(stored.astype(dates), on=key, how="left", indicator=True).set_axis(rows.index)
    replacing = (found["_merge"] == "both").to_numpy()
    kept = {name: replacing & where for name, where in blank.items() if (replacing & where).any()}
    if not kept:
        return checked
    rows = rows.assign(**{name: rows[name].where(~keep, found[name]) for name, keep in kept.items()})
    labels = {column.name: column.label for column in KIND_COLUMNS[checked.kind]}
    shown = ", ".join(dict.fromkeys(labels.get(name, name) for name in kept))
    count = int(np.logical_or.reduce(list(kept.values())).sum())
    note = f"{count:,} row(s) replacing stored ones keep their stored {shown} where the file leaves it blank"
    return replace(checked, rows=rows, notes=(*checked.notes, note))


# Stored columns fed by file columns of other names (any other column is fed by the file column of its own name).
FED_BY: dict[str, dict[str, tuple[str, ...]]] = {
    "events": {
        "event_type": ("affiliate_id",),
        "organizer": ("organizer", "affiliate_id"),
        "country_iso3": ("country",),
        "country_name": ("country",),
    },
    "goals": {
        "agreement_id": ("agreement_id", "affiliate_id"),
        "direction": ("direction", "baseline_value", "target_value"),
    },
}


def fed_columns(kind: str) -> dict[str, tuple[str, ...]]:
    """The stored columns of a kind that file columns feed, each with the file columns feeding it (never the key,
    nor columns an upload always sets, such as is_sample)."""
    table = schema_table(kind)
    file_columns = {column.name for column in KIND_COLUMNS[kind]}
    fed_by = FED_BY.get(kind, {})
    fed = {}
    for name in table.column_names:
        feeders = fed_by.get(name, (name,) if name in file_columns else ())
        if name not in table.key and feeders:
            fed[name] = feeders
    return fed


def _stored_rows(kind: str, rows: pd.DataFrame, store: Store) -> pd.DataFrame:
    """The stored records of a kind that the rows may replace (membership: only the months the rows touch)."""
    if kind != "membership":
        return store.table(kind)
    first_on, last_on = _month_span(_days(rows["snapshot_on"]))
    return store.query("membership_snapshots_between", first_on=first_on, last_on=last_on)


def already_loaded(data_dir: Path, kind: str, sha256: str) -> str | None:
    """The batch that holds this very file, when one is committed and not undone."""
    batches = ledger.batches(data_dir)
    same = batches[(batches["kind"] == kind) & (batches["sha256"] == sha256) & (batches["status"] == COMMITTED)]
    return None if same.empty else str(same.iloc[0]["batch_id"])


def preview(checked: Checked, store: Store) -> Preview:
    """Rows added and replaced, and member totals before and after for every month the file touches.

    Vectorised in numpy over one integer per (affiliate, date): a million rows take a fraction of a second.
    """
    new = checked.rows
    found = already_loaded(store.data_dir, checked.kind, checked.source.sha256)
    if checked.kind != "membership":
        return _keyed_preview(checked, store, found)
    if new.empty:
        return _preview(checked, pd.DataFrame(), pd.DataFrame(), found)
    new_days = _days(new["snapshot_on"])
    first_on, last_on = _month_span(new_days)
    before = store.query("membership_snapshots_between", first_on=first_on, last_on=last_on)
    before_days = _days(before["snapshot_on"])
    new_affiliates, before_affiliates = _affiliate_codes(new["affiliate_id"], before["affiliate_id"])
    new_keys = _keys(new_affiliates, new_days)
    before_keys = _keys(before_affiliates, before_days)
    is_replacing = _is_in(new_keys, before_keys)
    is_kept = ~_is_in(before_keys, new_keys)

    months = np.unique(new_days.astype("datetime64[D]").astype("datetime64[M]"))
    measures = ("members", "icma_members")
    totals_before = _month_totals(before_affiliates, before_days, {m: before[m] for m in measures}, months)
    totals_after = _month_totals(
        np.concatenate([before_affiliates[is_kept], new_affiliates]),
        np.concatenate([before_days[is_kept], new_days]),
        {m: np.concatenate([_counts(before[m])[is_kept], _counts(new[m])]) for m in measures},
        months,
    )
    totals = pd.DataFrame(
        {
            "month_end_on": ((months + 1).astype("datetime64[D]") - 1).tolist(),
            "members_before": totals_before["members"],
            "members_after": totals_after["members"],
            "change": totals_after["members"] - totals_before["members"],
            "icma_members_before": totals_before["icma_members"],
            "icma_members_after": totals_after["icma_members"],
        }
    )
    order = np.argsort(before_keys, kind="stable")
    replacing = new[is_replacing]
    replaced_at = order[np.searchsorted(before_keys, new_keys[is_replacing], sorter=order)]
    replaced = pd.DataFrame(
        {
            "affiliate_id": replacing["affiliate_id"].to_numpy(),
            "snapshot_on": pd.to_datetime(replacing["snapshot_on"]).to_numpy(),
            "members_before": before["members"].to_numpy()[replaced_at],
            "members_after": replacing["members"].to_numpy(),
            "icma_members_before": before["icma_members"].to_numpy()[replaced_at],
            "icma_members_after": replacing["icma_members"].to_numpy(),
        }
    )
    return _preview(checked, replaced.sort_values(KEY).reset_index(drop=True), totals, found)


def _keyed_preview(checked: Checked, store: Store, found: str | None) -> Preview:
    """Records added and replaced (same key), each replaced one shown before and after."""
    new = checked.rows
    (key,) = schema_table(checked.kind).key
    shown = PREVIEW_COLUMNS[checked.kind]
    before = store.table(checked.kind)[[key, *shown]]
    replaced = new[[key, *shown]].merge(before, on=key, how="inner", suffixes=("_after", "_before"))
    replaced = replaced[[key, *(f"{name}_{when}" for name in shown for when in ("before", "after"))]]
    return _preview(checked, replaced.sort_values(key).reset_index(drop=True), pd.DataFrame(), found)


def _preview(checked: Checked, replaced: pd.DataFrame, totals: pd.DataFrame, found: str | None) -> Preview:
    """The preview of a checked file whose valid rows replace the `replaced` records."""
    return Preview(
        rows_in_file=checked.rows_in_file,
        rows_valid=len(checked.rows),
        rows_rejected=len(checked.rejected_rows),
        rows_added=len(checked.rows) - len(replaced),
        rows_replaced=len(replaced),
        replaced=replaced,
        totals=totals,
        already_loaded_as=found,
    )


def rows_replaced(checked: Checked, store: Store) -> int:
    """How many of the file's valid rows replace a row readers see now: one with the same key (membership:
    affiliate and date; events: event_id; goals: goal_id...)."""
    new = checked.rows
    if new.empty:
        return 0
    if checked.kind != "membership":
        (key,) = schema_table(checked.kind).key
        return int(new[key].isin(store.table(checked.kind)[key]).sum())
    new_days = _days(new["snapshot_on"])
    first_on, last_on = _month_span(new_days)
    before = store.query("membership_keys_between", first_on=first_on, last_on=last_on)
    new_affiliates, before_affiliates = _affiliate_codes(new["affiliate_id"], before["affiliate_id"])
    return int(_is_in(_keys(new_affiliates, new_days), _keys(before_affiliates, _days(before["snapshot_on"]))).sum())


def _days(dates: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of each date, as int64."""
    return pd.to_datetime(dates).to_numpy(dtype="datetime64[D]").astype("int64")


def _month_span(days: np.ndarray) -> tuple[date, date]:
    """The first day of the earliest month and the last day of the latest month among `days`."""
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    first = months.min().astype("datetime64[D]")
    last = (months.max() + 1).astype("datetime64[D]") - 1
    return first.item(), last.item()


def _affiliate_codes(*affiliate_ids: pd.Series) -> list[np.ndarray]:
    """One integer per affiliate, the same across all the given columns (dictionary-encoded in Arrow)."""
    chunks = []
    for ids in affiliate_ids:
        array = pa.array(ids.astype("string").array)
        chunks += [chunk.cast(pa.large_string()) for chunk in getattr(array, "chunks", [array])]
    combined = pa.chunked_array(chunks, pa.large_string()).combine_chunks()
    codes = pc.dictionary_encode(combined).indices.to_numpy(zero_copy_only=False).astype("int64")
    bounds = np.cumsum([0, *(len(ids) for ids in affiliate_ids)])
    return [codes[start:stop] for start, stop in zip(bounds[:-1], bounds[1:], strict=True)]


def _counts(values: pd.Series | np.ndarray) -> np.ndarray:
    """Counts as int64, a missing count as 0 (as a sum skips it)."""
    return pd.Series(values).fillna(0).to_numpy(dtype="int64")


def _keys(affiliates: np.ndarray, days: np.ndarray) -> np.ndarray:
    """One int64 per (affiliate, date): the affiliate's code in the high bits, the day in the low 32."""
    return (affiliates << 32) | (days + 2**31)


def _is_in(keys: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Whether each key is among `others` (a sorted search: numpy's hashed isin is several times slower)."""
    if not len(others):
        return np.zeros(len(keys), dtype=bool)
    ordered = np.sort(others)
    at = np.minimum(np.searchsorted(ordered, keys), len(ordered) - 1)
    return ordered[at] == keys


def _month_totals(
    affiliates: np.ndarray, days: np.ndarray, measures: dict[str, object], months: np.ndarray
) -> dict[str, np.ndarray]:
    """Each measure summed over affiliates per month of `months`, each affiliate counted once with its latest snapshot.

    Snapshots are unique per (affiliate, date): the latest of an affiliate's month is its largest date.
    """
    month_of = days.astype("datetime64[D]").astype("datetime64[M]")
    position = np.searchsorted(months, month_of)
    wanted = (position < len(months)) & (months[np.minimum(position, len(months) - 1)] == month_of)
    group = affiliates[wanted] * len(months) + position[wanted]
    day_in_month = days[wanted] - month_of[wanted].astype("datetime64[D]").astype("int64")
    order = np.argsort(group * 32 + day_in_month, kind="stable")
    sorted_groups = group[order]
    latest = order[np.append(sorted_groups[1:] != sorted_groups[:-1], True)] if len(order) else order
    month_index = position[wanted][latest]
    return {
        name: np.bincount(month_index, weights=_counts(values)[wanted][latest], minlength=len(months)).astype("int64")
        for name, values in measures.items()
    }


def commit(
    checked: Checked,
    data: bytes,
    store: Store,
    committed_by: Identity | str | None = None,
    only_valid: bool = False,
) -> CommitResult:
    """Commit a checked file all or nothing; UploadRejected (nothing written) when it may not be committed.

    PermissionDenied, before anything is read or written, unless `committed_by` may upload.
    """
    actor = acting_identity(committed_by)
    require(actor, "upload")
    data_dir = store.data_dir
    source = checked.source
    found = already_loaded(data_dir, checked.kind, source.sha256)
    if found:
        return CommitResult("already_loaded", found, checked.rows_in_file, 0, 0, 0)
    if checked.question is not None:
        raise UploadRejected(checked, f"nothing committed: {checked.question}")
    may_commit = checked.can_commit_all or (only_valid and checked.can_commit_valid)
    if not may_commit:
        how = " (or commit only the valid rows)" if checked.can_commit_valid else ""
        raise UploadRejected(
            checked,
            f"nothing committed: {len(checked.report):,} problem(s) in the file; fix them{how}\n"
            + report_text(checked),
        )
    replaced = rows_replaced(checked, store)
    layout = StoreLayout(data_dir)
    batch_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{source.sha256[:8]}-{secrets.token_hex(2)}"
    _archive(layout, data, source.sha256)
    _append(layout.rows(checked.kind), _rows_table(checked, batch_id, actor.label))
    if not checked.rejected_rows.empty:
        _append(layout.rejected, _rejected_table(checked, batch_id))
    pause = float(os.environ.get(PAUSE_BEFORE_LEDGER_VARIABLE) or 0)
    if pause:
        time.sleep(pause)
    entry = {
        "batch_id": batch_id,
        "kind": checked.kind,
        "status": COMMITTED,
        "committed_at": datetime.now(UTC),
        "committed_by": actor.label,
        "undone_at": None,
        "undone_by": None,
        "file_name": Path(source.file_name).name,
        "sha256": source.sha256,
        "rows_in_file": checked.rows_in_file,
        "rows_loaded": len(checked.rows),
        "rows_rejected": len(checked.rejected_rows),
        "rows_replaced": replaced,
    }
    _append(layout.ledger, pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA))
    return CommitResult(
        COMMITTED, batch_id, checked.rows_in_file, len(checked.rows), len(checked.rejected_rows), replaced
    )


def undo(data_dir: Path, batch_id: str, undone_by: Identity | str | None = None) -> pd.Series:
    """Mark a batch undone (an appended ledger row): the data reads as if it had never been committed.

    PermissionDenied, before anything is written, unless `undone_by` may undo.
    """
    actor = acting_identity(undone_by)
    require(actor, "undo")
    batches = ledger.batches(data_dir)
    match = batches[batches["batch_id"] == batch_id]
    if match.empty:
        raise AnalyticsError(f"no batch {batch_id!r} in the ledger (see `python -m analytics batches`)")
    batch = match.iloc[0]
    if batch["status"] == UNDONE:
        raise AnalyticsError(f"batch {batch_id} was already undone on {batch['undone_at']:%Y-%m-%d %H:%M} UTC")
    dependents = _still_named(Path(data_dir), batch_id, batch["kind"])
    if dependents:
        raise AnalyticsError(
            f"batch {batch_id} cannot be undone yet: it holds {KIND_NOUNS[batch['kind']]} that other uploads still "
            f"name ({'; '.join(dependents)}). Undo those batches first; nothing was changed."
        )
    entry = {
        **{name: batch[name] for name in ledger.BATCH_COLUMNS},
        "status": UNDONE,
        "undone_at": datetime.now(UTC),
        "undone_by": actor.label,
    }
    entry = {key: (None if _is_missing(value) else value) for key, value in entry.items()}
    _append(StoreLayout(Path(data_dir)).ledger, pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA))
    return pd.Series(entry)


def _still_named(data_dir: Path, batch_id: str, kind: str) -> list[str]:
    """The uploaded rows of other kinds that name records only this batch holds, a sentence per batch of them.

    Undoing the batch would leave them pointing at nothing (a check-in of a goal that is gone).
    """
    children = [
        (table.name, column)
        for table in TABLES
        if table.name in ledger.UPLOAD_KINDS
        for column, (parent, _) in table.references.items()
        if parent == kind
    ]
    own = ledger.visible_rows(data_dir, kind)
    if not children or own is None:
        return []
    (key,) = schema_table(kind).key
    held = set(own.filter(pc.equal(own["batch_id"], batch_id)).column(key).to_pylist())
    gone = held - set(Store(data_dir, without_batches=frozenset({batch_id})).table(kind)[key])
    sentences = []
    for child, column in children:
        rows = ledger.visible_rows(data_dir, child)
        if rows is None or not gone:
            continue
        naming = rows.select(["batch_id", column]).to_pandas()
        naming = naming[naming[column].isin(gone)]
        for child_batch, group in naming.groupby("batch_id"):
            shown = ", ".join(sorted(group[column].unique())[:3])
            sentences.append(f"{len(group):,} {KIND_NOUNS[child]} of batch {child_batch} name {shown}")
    return sentences


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def rejected_rows(data_dir: Path, batch_id: str) -> pd.DataFrame:
    """The rows a batch refused, with the problem of each and the cells as they were in the file."""
    path = StoreLayout(Path(data_dir)).rejected
    if not ledger.is_table(path):
        return REJECTED_SCHEMA.empty_table().to_pandas()
    from deltalake import DeltaTable

    rows = DeltaTable(str(path)).to_pyarrow_dataset().to_table(filter=pa.compute.field("batch_id") == batch_id)
    return rows.to_pandas().sort_values("row_number").reset_index(drop=True)


def rejected_cells(data_dir: Path, batch_id: str) -> pd.DataFrame:
    """The rows a batch refused as the analyst sees them: row, problem, then the file's own columns."""
    rows = rejected_rows(data_dir, batch_id)
    cells = pd.DataFrame([json.loads(text) for text in rows["cells_json"]], index=rows.index)
    return pd.concat([rows[["row_number", "problem"]].rename(columns={"row_number": "row"}), cells], axis=1)


# -- writing ---------------------------------------------------------------------------------------


def _archive(layout: StoreLayout, data: bytes, sha256: str) -> Path:
    """The raw file under its hash, written to a temporary name and renamed, so it is whole or absent."""
    layout.archive.mkdir(parents=True, exist_ok=True)
    target = layout.archive / sha256
    if target.exists():
        return target
    temporary = layout.archive / f".{sha256}.{secrets.token_hex(4)}.partial"
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, target)
    return target


def _append(path: Path, table: pa.Table) -> None:
    """One atomic Delta append; retried when two processes create the table at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(CREATE_RETRIES):
        try:
            write_deltalake(
                str(path),
                table,
                mode="append",
                commit_properties=CommitProperties(max_commit_retries=DELTA_COMMIT_RETRIES),
            )
            return
        except (CommitFailedError, DeltaError, OSError) as error:
            if attempt == CREATE_RETRIES - 1:
                raise UploadConflictError(
                    "another upload was being committed at the same moment and this one could not be; "
                    f"nothing of it is visible. Try again. ({_first_line(error)})"
                ) from error
            time.sleep(0.05 * (attempt + 1) + secrets.randbelow(50) / 1000)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _rows_table(checked: Checked, batch_id: str, committed_by: str) -> pa.Table:
    """The valid rows as store/<kind>/ holds them; a check-in that names no reporter is reported by who commits."""
    rows = checked.rows
    if checked.kind == "goal_checkins":
        rows = rows.assign(reported_by=rows["reported_by"].fillna(committed_by))
    schema = rows_schema(checked.kind)
    columns = [pa.array([batch_id] * len(rows), pa.string())]
    for field in list(schema)[1:]:
        values = rows[field.name]
        if pa.types.is_date32(field.type):
            columns.append(pa.array(pd.to_datetime(values)).cast(pa.date32()))
        elif pa.types.is_string(field.type):
            columns.append(pa.array(values.astype("string").array).cast(pa.string()))
        else:
            nullable = {pa.int64(): "Int64", pa.float64(): "Float64", pa.bool_(): "boolean"}[field.type]
            columns.append(pa.array(values.astype(nullable).array, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _rejected_table(checked: Checked, batch_id: str) -> pa.Table:
    rejected = checked.rejected_rows
    cell_columns = [column for column in rejected.columns if column not in ("row_number", "problem")]
    cells = rejected[cell_columns].astype(object).where(rejected[cell_columns].notna(), None)
    return pa.table(
        {
            "batch_id": [batch_id] * len(rejected),
            "kind": [checked.kind] * len(rejected),
            "row_number": rejected["row_number"].astype("int64").tolist(),
            "problem": rejected["problem"].astype(object).tolist(),
            "cells_json": [
                json.dumps(dict(zip(cell_columns, values, strict=True)), ensure_ascii=False)
                for values in cells.itertuples(index=False, name=None)
            ],
        },
        schema=REJECTED_SCHEMA,
    )
