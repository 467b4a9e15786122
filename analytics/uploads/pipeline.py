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

from analytics.auth.roles import Identity, acting_identity, require
from analytics.core.schema import TABLES
from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.ledger import COMMITTED, LEDGER_SCHEMA, UNDONE, StoreLayout
from analytics.store.reader import Store
from analytics.uploads import delta, ownership
from analytics.uploads.checked import Checked, report_text
from analytics.uploads.errors import UndoRefused, UploadRejected
from analytics.uploads.kinds import upload_kind
from analytics.uploads.matching import mapping_row, remembered_for
from analytics.uploads.plausibility import warnings_text
from analytics.uploads.preview import Preview, preview_of
from analytics.uploads.reading import Limits, read_source
from analytics.uploads.values import DateOrder

# Seconds to sleep between the data commit and the ledger commit: lets a test kill a commit midway.
PAUSE_BEFORE_LEDGER_VARIABLE = "AFFILIATE_TEST_PAUSE_BEFORE_LEDGER"


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
    """Read and check an uploaded file of a registered kind (UnknownKindError for another; IngestError when the
    file as a whole is refused), against what the store holds now. `mapping` (file header -> column): the
    columns matched by hand; None: as remembered from the last committed batch of the same header, if any (an
    empty mapping matches nothing by hand, so a person can set a remembered choice aside)."""
    upload = upload_kind(kind)
    source = read_source(data, file_name, limits(settings), upload.synonyms, sheet=sheet)
    remembered = None if mapping is not None else remembered_for(store.data_dir, kind, source.header)
    checked = upload.checked(source, store, today or date.today(), remembered[0] if remembered else mapping, date_order)
    if remembered:
        checked = replace(checked, notes=(*checked.notes, remembered[1]))
    return with_stored_values(checked, store)


def with_stored_values(checked: Checked, store: Store) -> Checked:
    """The checked rows, where a row replaces a stored record, holding that record's values wherever the file
    leaves the columns feeding them blank or lacks them: a file of corrected member counts leaves the stored
    joiners and leavers as they were, and an event whose affiliate cell is empty keeps its affiliate, type and
    organizer. An upload therefore never clears a stored value; undoing the batch that set it does."""
    rows = checked.rows
    if rows.empty:
        return checked
    kind = upload_kind(checked.kind)
    required = {column.name for column in kind.columns if column.required}
    blank = {
        # A column fed by the file column of its own name is blank where the row has no value (cheap);
        # one fed by other columns is blank where they all are.
        name: rows[name].isna().to_numpy()
        if feeders == (name,)
        else np.logical_and.reduce([checked.blank_in_file(feeder) for feeder in feeders])
        for name, feeders in kind.fed_columns().items()
        if not set(feeders) & required
    }
    blank = {name: where for name, where in blank.items() if where.any()}
    if not blank:
        return checked
    key = list(kind.key)
    stored = kind.records.stored(kind, rows, store)[[*key, *blank]]
    stored = stored.drop_duplicates(key).astype(dict.fromkeys(key, object))
    dates = {name: "datetime64[ns]" for name in key if name.endswith("_on")}
    asked = rows[key].astype(dict.fromkeys(key, object)).astype(dates)
    found = asked.merge(stored.astype(dates), on=key, how="left", indicator=True).set_axis(rows.index)
    replacing = (found["_merge"] == "both").to_numpy()
    kept = {name: replacing & where for name, where in blank.items() if (replacing & where).any()}
    if not kept:
        return checked
    rows = rows.assign(**{name: rows[name].where(~keep, found[name]) for name, keep in kept.items()})
    labels = kind.column_labels
    shown = ", ".join(dict.fromkeys(labels.get(name, name) for name in kept))
    count = int(np.logical_or.reduce(list(kept.values())).sum())
    note = f"{count:,} row(s) replacing stored ones keep their stored {shown} where the file leaves it blank"
    return replace(checked, rows=rows, notes=(*checked.notes, note))


def already_loaded(data_dir: Path, kind: str, sha256: str) -> str | None:
    """The batch that holds this very file, when one is committed and not undone."""
    batches = ledger.batches(data_dir)
    same = batches[(batches["kind"] == kind) & (batches["sha256"] == sha256) & (batches["status"] == COMMITTED)]
    return None if same.empty else str(same.iloc[0]["batch_id"])


def preview(checked: Checked, store: Store, settings: Settings | None = None) -> Preview:
    """What committing the checked file would change (see analytics.uploads.preview), with the plausibility
    warnings that must be acknowledged to commit it."""
    found = already_loaded(store.data_dir, checked.kind, checked.source.sha256)
    return replace(
        preview_of(upload_kind(checked.kind), checked, store, found), warnings=warnings(checked, store, settings)
    )


def warnings(checked: Checked, store: Store, settings: Settings | None = None) -> tuple[str, ...]:
    """What looks implausible in the valid rows against the store's history (analytics.uploads.plausibility),
    in words; the thresholds are `settings`' (default: from the environment)."""
    warn = upload_kind(checked.kind).plausibility
    if warn is None or checked.rows.empty:
        return ()
    return warn(checked.rows, store, settings or Settings.from_environment())


def commit(
    checked: Checked,
    data: bytes,
    store: Store,
    committed_by: Identity | str | None = None,
    only_valid: bool = False,
    accept_warnings: bool = False,
    settings: Settings | None = None,
) -> CommitResult:
    """Commit a checked file all or nothing; UploadRejected (nothing written) when it may not be committed, or
    when it has plausibility warnings that the committer did not acknowledge (`accept_warnings`); the ledger
    records the warnings acknowledged.

    PermissionDenied, before anything is written, unless `committed_by` may upload, or record these rows by form
    (analytics.uploads.ownership: a liaison, for what they own).
    """
    actor = acting_identity(committed_by)
    ownership.require_may_commit(actor, checked, store.data_dir)
    data_dir = store.data_dir
    source = checked.source
    found = already_loaded(data_dir, checked.kind, source.sha256)
    if found:
        return CommitResult("already_loaded", found, checked.rows_in_file, 0, 0, 0)
    if checked.question is not None:
        raise UploadRejected(checked, f"nothing committed: {checked.question}")
    if not checked.may_commit(only_valid):
        how = " (or commit only the valid rows)" if checked.can_commit_valid else ""
        raise UploadRejected(
            checked,
            f"nothing committed: {len(checked.report):,} problem(s) in the file; fix them{how}\n"
            + report_text(checked),
        )
    found_warnings = warnings(checked, store, settings)
    if found_warnings and not accept_warnings:
        raise UploadRejected(
            checked,
            f"nothing committed: {len(found_warnings):,} warning(s) to acknowledge first (the values pass every "
            "check but are far from what is stored; if they are right, acknowledge them and commit again, on the "
            "command line with --accept-warnings)\n" + warnings_text(found_warnings),
        )
    kind = upload_kind(checked.kind)
    replaced = kind.records.count_replaced(kind, checked.rows, store)
    layout = StoreLayout(data_dir)
    batch_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{source.sha256[:8]}-{secrets.token_hex(2)}"
    delta.archive(layout, data, source.sha256)
    delta.append(layout.rows(kind.name), delta.rows_table(checked, batch_id, actor.label, kind.filled_by_committer))
    if not checked.rejected_rows.empty:
        delta.append(layout.rejected, delta.rejected_table(checked, batch_id))
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
        "warnings_acknowledged": "\n".join(found_warnings) or None,
    }
    delta.append(layout.ledger, pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA))
    remembered = mapping_row(checked.kind, checked.match, source.header, batch_id, actor.label)
    if remembered is not None:  # after the ledger row: a commit killed before it loses only this memory
        delta.append(layout.mappings, remembered)
    return CommitResult(
        COMMITTED, batch_id, checked.rows_in_file, len(checked.rows), len(checked.rejected_rows), replaced
    )


def undo(data_dir: Path, batch_id: str, undone_by: Identity | str | None = None) -> pd.Series:
    """Mark a batch undone (an appended ledger row): the data reads as if it had never been committed.

    PermissionDenied, before anything is written, unless `undone_by` may undo it (an analyst any batch, a liaison
    their own: analytics.uploads.ownership).
    """
    actor = acting_identity(undone_by)
    if not actor.may("record"):
        require(actor, "undo")
    batches = ledger.batches(data_dir)
    match = batches[batches["batch_id"] == batch_id]
    if match.empty:
        raise UndoRefused(f"no batch {batch_id!r} in the ledger (see `python -m analytics batches`)")
    batch = match.iloc[0]
    ownership.require_may_undo(actor, batch)
    if batch["status"] == UNDONE:
        raise UndoRefused(f"batch {batch_id} was already undone on {batch['undone_at']:%Y-%m-%d %H:%M} UTC")
    dependents = _still_named(Path(data_dir), batch_id, batch["kind"])
    if dependents:
        noun = upload_kind(batch["kind"]).noun
        raise UndoRefused(
            f"batch {batch_id} cannot be undone yet: it holds {noun} that other uploads still "
            f"name ({'; '.join(dependents)}). Undo those batches first; nothing was changed."
        )
    entry = {
        **{name: batch[name] for name in ledger.BATCH_COLUMNS},
        "status": UNDONE,
        "undone_at": datetime.now(UTC),
        "undone_by": actor.label,
    }
    entry = {key: (None if _is_missing(value) else value) for key, value in entry.items()}
    delta.append(StoreLayout(Path(data_dir)).ledger, pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA))
    return pd.Series(entry)


def _still_named(data_dir: Path, batch_id: str, kind: str) -> list[str]:
    """The uploaded rows of other kinds that name records only this batch holds, a sentence per batch of them.

    Undoing the batch would leave them pointing at nothing (a check-in of a goal that is gone).
    """
    children = [
        (table.name, column)
        for table in TABLES
        if table.is_uploadable
        for column, (parent, _) in table.references.items()
        if parent == kind
    ]
    own = ledger.visible_rows(data_dir, kind)
    if not children or own is None:
        return []
    (key,) = upload_kind(kind).key
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
            sentences.append(f"{len(group):,} {upload_kind(child).noun} of batch {child_batch} name {shown}")
    return sentences


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
