"""The record of fired alerts: which occurrences were already told, so none is sent twice.

One JSON file under the runtime store, `<data_dir>/store/alerts/fired.json`, holding one entry per occurrence
key (`analytics.domain.alerts`) with its kind, subject, message, when it was recorded (UTC, ISO 8601 with the
offset) and to whom it was sent. It is rewritten whole through a temporary file (`core.files`), and a lock file
beside it keeps two runs of `python -m analytics alerts` from reading and writing it at the same time.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics.core.errors import AnalyticsError
from analytics.core.files import write_bytes_atomically
from analytics.store.ledger import StoreLayout

RECORD_VERSION = 1


def record_path(data_dir: Path) -> Path:
    return StoreLayout(Path(data_dir)).root / "alerts" / "fired.json"


def _read(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AnalyticsError(f"the record of fired alerts {path} cannot be read ({error}); move it aside") from None
    return list(document.get("fired", []))


@dataclass
class Record:
    """The fired alerts, as read under the lock; `add` entries, written when the `with` block ends."""

    path: Path
    entries: list[dict] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {entry["key"] for entry in [*self.entries, *self.added]}

    def new(self, alerts: pd.DataFrame) -> pd.DataFrame:
        """The alerts whose key is not recorded yet."""
        return alerts[~alerts["key"].isin(self.keys)].reset_index(drop=True)

    def add(self, alerts: pd.DataFrame, sent_to: Sequence[str], now: dt.datetime | None = None) -> None:
        recorded_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
        for row in alerts.itertuples():
            if row.key in self.keys:
                continue
            self.added.append(
                {
                    "key": row.key,
                    "kind": row.kind,
                    "subject_id": str(row.subject_id),
                    "subject_name": str(row.subject_name),
                    "occurred_on": str(row.occurred_on),
                    "message": str(row.message),
                    "recorded_at": recorded_at,
                    "sent_to": list(sent_to),
                }
            )


@contextmanager
def fired_record(data_dir: Path, write: bool = True) -> Iterator[Record]:
    """The record of `data_dir`, locked for the block; what was added is written at its end (unless `write` is
    false, or the block raised)."""
    path = record_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / ".fired.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            record = Record(path, _read(path))
            yield record
            if write and record.added:
                document = {"version": RECORD_VERSION, "fired": [*record.entries, *record.added]}
                write_bytes_atomically(path, json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8"))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
