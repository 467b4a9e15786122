"""Small precomputed tables (rollups), built once per state of the data and read by page queries.

A rollup is one SELECT in `analytics/store/rollups/<name>.sql` (first line: what one row is), with no
parameters, over the store's staging views and other rollups. A named query reads it by its name like a view
(`FROM membership_reports_by_group_month`); `Store.query` has every rollup the query names made first.

The same file is what Spark runs to build the rollup (analytics/store/spark.py, `python -m analytics rollups
--engine spark`), unchanged: write it in SQL both DuckDB 2 and Spark 4.3+ accept (QUALIFY, GROUP BY ALL, `::`
casts, `last_day` and window functions are shared; `datediff('month', ...)` is not, nor are DuckDB's macros and
the derived views). tests/store/test_rollup_engines.py builds every rollup with both and compares them.

Made once per state, kept in the folder: a rollup is written as Parquet to
`<store>/rollups/<state_key>/<name>.parquet` (a temporary name renamed into place) and read from there by
every later store of the same state, in this process or another. The state key (`state_key`) names
exactly what the rows are made of: the table files (`Store.files_key`: their names, sizes and times, the
schema and the reader's code), the uploaded batches the store sees (its Arrow snapshot of the committed,
not undone batches, read once when it opened), and the SQL of the views, macros and rollups. A commit or an
undo changes the batches, so the next store builds the rollups anew, from its own snapshot; a store opened
before the commit keeps reading the rollups of its own state. No reader ever sees rollups of another state
than its rows. Building is lazy: the first query that needs a rollup in a new state pays for it (a few
seconds at ten million membership rows), a commit pays nothing.

A store whose folder cannot be written keeps its rollups as tables in its own DuckDB database.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from analytics.core.files import write_atomically

ROLLUPS_DIR = Path(__file__).resolve().parent / "rollups"
# Bump to discard every rollup written before (e.g. when the way they are written changes).
ROLLUP_FORMAT = 1

Cursor = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


@cache
def rollup_names() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in ROLLUPS_DIR.glob("*.sql")))


@cache
def rollup_text(name: str) -> str:
    return (ROLLUPS_DIR / f"{name}.sql").read_text(encoding="utf-8")


@cache
def rollups_in_order() -> tuple[str, ...]:
    """Every rollup, each after the rollups it reads."""
    reads = {name: set(rollups_named_in(rollup_text(name))) - {name} for name in rollup_names()}
    return tuple(TopologicalSorter(reads).static_order())


@cache
def rollups_named_in(sql: str) -> tuple[str, ...]:
    """The rollups a query's SQL reads (by name, as a word)."""
    return tuple(name for name in rollup_names() if re.search(rf"\b{name}\b", sql))


def state_key(files_key: str, batches: dict[str, Iterable[str]], sql_texts: Iterable[str]) -> str:
    """A hash naming one state of the data as a store sees it: its files, its visible batches per kind, its SQL."""
    text = json.dumps(
        [
            ROLLUP_FORMAT,
            files_key,
            {kind: sorted(ids) for kind, ids in sorted(batches.items())},
            hashlib.sha256("\n".join(sql_texts).encode()).hexdigest(),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


class Rollups:
    """The rollups of one store: made (or read) on first need, then read as views of its database."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, cursor: Cursor, folder: Path | None):
        """`folder`: where this state's rollups are kept (None: the store cannot write; kept in memory).

        Each rollup is first a plain view of its SELECT, so that the macros that read it can be created and a
        query that reads one without `ensure` is still right (only slow); `ensure` puts the kept rows behind it.
        """
        self._connection = connection
        self._cursor = cursor
        self.folder = folder
        self._ready: set[str] = set()
        self._lock = threading.RLock()  # a rollup made from another makes that one first
        with cursor() as cursor_:
            for name in rollups_in_order():
                cursor_.execute(f'CREATE OR REPLACE VIEW "{name}" AS\n{rollup_text(name)}')

    def ensure(self, names: Iterable[str]) -> None:
        """Every rollup of `names` readable by its name, built from this store's views where not yet kept."""
        for name in names:
            if name in self._ready:
                continue
            with self._lock:
                if name not in self._ready:
                    self._make(name)
                    self._ready.add(name)

    def kept_file(self, name: str) -> Path | None:
        """The Parquet file `ensure` made (or found) for `name`; None before that, or when kept in memory."""
        target = None if self.folder is None else self.folder / f"{name}.parquet"
        return target if name in self._ready and target is not None and target.is_file() else None

    def _make(self, name: str) -> None:
        sql = rollup_text(name)
        self.ensure(other for other in rollups_named_in(sql) if other != name and other not in self._ready)
        if self.folder is not None:
            target = self.folder / f"{name}.parquet"
            try:
                if not target.is_file():
                    with self._cursor() as cursor:
                        write_atomically(
                            target, lambda temporary: cursor.sql(sql).write_parquet(str(temporary), compression="zstd")
                        )
                self._connection.read_parquet(str(target)).create_view(name, replace=True)
                return
            except (OSError, duckdb.IOException):
                pass  # the folder turned out not to be writable: keep it in memory
        with self._cursor() as cursor:
            cursor.execute(f'CREATE OR REPLACE TABLE "kept_{name}" AS\n{sql}')
            cursor.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM "kept_{name}"')
