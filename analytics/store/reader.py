"""The only module that talks to DuckDB and to the files of a data folder.

A `Store` opens an in-memory DuckDB database over one data folder:

- each table of `analytics.core.schema` is read once from `<table>.parquet` or `<table>.csv` into a raw
  view (`raw_<table>`, every CSV column as text, so that nothing is lost before it is checked);
- a staging view named after the table casts every column to its schema type (its SELECT is
  analytics/store/staging.py's, which Spark runs too); page queries read only these staging views;
- derived views, one per `analytics/store/views/<name>.sql`, are built on the staging views for what
  several queries share (`goal_owners`, `affiliate_liaisons`); they take no parameters;
- rollups, one per `analytics/store/rollups/<name>.sql`, are small precomputed tables made once per state of
  the data and kept as Parquet (analytics/store/rollup.py): each affiliate's latest snapshot per month it
  reported, the network's reports per region, type and month; a query (or a macro it calls) reads them by name;
- macros, one per `analytics/store/macros/<name>.sql` (a `CREATE OR REPLACE MACRO <name>` statement), are
  what several queries share that takes parameters: the shared filters (`scoped_affiliates(regions, types)`),
  the carried-forward membership reports; a query calls them with its bound parameters
  (`FROM scoped_affiliates($regions, $types)`);
- named queries live in `analytics/store/queries/<name>.sql`, one query per file, with bound parameters
  (`$as_of`, `$regions`), and run on a cursor of their own, because a DuckDB 2.x connection
  refuses concurrent use from Streamlit's script threads;
- `validate()` checks the folder against the schema in SQL (types, required values, allowed
  values, keys, references) and names the file, the row and the column of every problem.

File paths never enter SQL text: raw views are made from relations (`read_csv`, `read_parquet`).
Identifiers in the SQL this module writes come from the schema, never from user input.

Opening a folder is made cheap at ten million rows by two records under `<data_dir>/store/`,
both keyed by a hash of the table files' names, sizes and modification times (`files_key`), so
they are made once per state of the files, not once per process:

- `store/cache/<files_key>/<table>.parquet`: each CSV table read once (every column as text) and
  written as Parquet, to a temporary name renamed into place, so a concurrent process never reads
  half a file. Raw views read the Parquet, in the CSV's row order, so validation still names the
  CSV's spreadsheet rows. The latest few cache folders are kept, older ones deleted.
- `store/checks/<files_key>.json`: the outcome of `validate()` (passed, or the problems found).
  `open_store` reads it instead of validating again; `python -m analytics check` always validates.
A read-only folder falls back to reading the CSVs and to remembering checks in this process.

Uploads (analytics.uploads.pipeline) live in the runtime store under `<data_dir>/store/`. The staging view
of an uploadable kind (membership) is the folder's own rows together with the rows of every
committed, not undone batch (analytics.store.ledger): an uploaded row supersedes the folder's row, or an
earlier batch's row, with the same key. The ledger's version is part of `folder_fingerprint`, so
caches keyed by it see a commit or an undo on their next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.core.errors import AnalyticsError, DataFolderError, DataValidationError, Problem, UnknownQueryError
from analytics.core.errors import first_line as _first_line
from analytics.core.files import write_atomically, write_bytes_atomically
from analytics.core.schema import TABLES, TABLES_BY_NAME, Table
from analytics.core.settings import Settings
from analytics.store import ledger, rollup, staging

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
VIEWS_DIR = Path(__file__).resolve().parent / "views"
MACROS_DIR = Path(__file__).resolve().parent / "macros"
# Problems reported per check (per column and rule) before the rest are only counted.
PROBLEMS_PER_CHECK = 20
# Parquet copies of CSV tables kept per folder: the current state and a few earlier ones, so that a
# process still serving an older state keeps its files while another opens the new one.
CACHE_FOLDERS_KEPT = 3
# Remembered check outcomes kept per folder (each a small JSON file).
CHECK_RECORDS_KEPT = 20
# A modification time this recent may be shared by two changes in one clock tick: look again.
RACY_NANOSECONDS = 2_000_000_000
# Bump to discard every Parquet cache (e.g. when the way CSVs are read changes).
CACHE_FORMAT = 1


def _quote(identifier: str) -> str:
    """A schema identifier as a quoted SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


@dataclass(frozen=True)
class ValueCheck:
    """One rule on the values of one column: a SQL condition that is true for a bad row."""

    column: str
    condition: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TableFile:
    """Where one table is stored in a folder, and how its rows are numbered for people."""

    table: Table
    path: Path

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() == ".csv"

    @property
    def first_row_number(self) -> int:
        """The row a person sees for the first record: 2 in a CSV (after its header), 1 in Parquet."""
        return 2 if self.is_csv else 1


def _candidates(data_dir: Path, table: Table) -> list[Path]:
    return [data_dir / f"{table.name}.parquet", data_dir / f"{table.name}.csv"]


def with_absent_columns(relation: duckdb.DuckDBPyRelation, table: Table) -> duckdb.DuckDBPyRelation:
    """The relation with every column the schema says a folder may lack (`may_be_absent`) and this file does, empty."""
    present = set(relation.columns)
    added = [column for column in table.columns if column.may_be_absent and column.name not in present]
    if not added:
        return relation
    return relation.project(", ".join(["*", *(f"CAST(NULL AS VARCHAR) AS {_quote(column.name)}" for column in added)]))


def table_file(data_dir: Path, table: Table) -> TableFile:
    """The file holding `table` in `data_dir`; DataFolderError when there is none or two."""
    candidates = _candidates(data_dir, table)
    present = [path for path in candidates if path.is_file()]
    if not present:
        raise DataFolderError(f"{data_dir}: table {table.name!r} is missing (expected {table.name}.parquet or .csv)")
    if len(present) > 1:
        raise DataFolderError(
            f"{data_dir}: table {table.name!r} is stored twice ({table.name}.parquet and .csv); keep one"
        )
    return TableFile(table, present[0])


def present_table_file(data_dir: Path, table: Table) -> TableFile | None:
    """`table_file`, or None when the folder lacks a table it may lack (schema `may_be_absent`: read as no rows)."""
    if table.may_be_absent and not any(path.is_file() for path in _candidates(data_dir, table)):
        return None
    return table_file(data_dir, table)


def table_files_fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every table file of the folder (not the upload store)."""
    entries = []
    for path in sorted(Path(data_dir).glob("*.parquet")) + sorted(Path(data_dir).glob("*.csv")):
        stat = path.stat()
        entries.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


def folder_fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every table file, and the upload ledger's version.

    It changes whenever the data does, including when an upload is committed or undone. Cheap
    enough for every page run: a few `stat` calls, and the ledger's log is listed only when its
    folder changed.
    """
    data_dir = Path(data_dir)
    return (*table_files_fingerprint(data_dir), ("store/ledger", _ledger_version(data_dir), 0))


_ledger_versions: dict[str, tuple[int, int]] = {}  # ledger log folder -> (its mtime_ns, the version)


def _ledger_version(data_dir: Path) -> int:
    """`ledger.ledger_version`, listed again only when the log folder's modification time changed.

    Every Delta commit adds a file to `_delta_log/`, which changes the folder's modification time.
    A time within the last seconds is not trusted (the file system's clock ticks in milliseconds,
    so two commits in one tick leave the same time), as git does with its index. An object store has no
    folder times: its log is listed on every call.
    """
    table = ledger.StoreLayout(data_dir).ledger
    if not isinstance(table, Path):
        return ledger.ledger_version(data_dir)  # on an object store: one listing, no folder time to trust
    log = table / "_delta_log"
    try:
        modified = log.stat().st_mtime_ns
    except OSError:
        return ledger.ledger_version(data_dir)
    known = _ledger_versions.get(str(log))
    if known is not None and known[0] == modified and time.time_ns() - modified > RACY_NANOSECONDS:
        return known[1]
    version = ledger.ledger_version(data_dir)
    _ledger_versions[str(log)] = (modified, version)
    return version


@cache
def _checks_version() -> str:
    """What the outcome of a check depends on besides the files: the schema and this module's code."""
    source = Path(__file__).read_bytes()
    return hashlib.sha256(repr(TABLES).encode() + source + str(CACHE_FORMAT).encode()).hexdigest()


def files_key(data_dir: Path) -> str:
    """A hash naming one state of the folder's table files (and of the schema and checks)."""
    text = json.dumps([_checks_version(), list(table_files_fingerprint(data_dir))])
    return hashlib.sha256(text.encode()).hexdigest()


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database within the memory limit and thread count of the settings."""
    settings = Settings.from_environment()
    try:
        return duckdb.connect(
            ":memory:", config={"memory_limit": settings.duckdb_memory_limit, "threads": settings.duckdb_threads}
        )
    except duckdb.Error as error:
        raise AnalyticsError(
            f"AFFILIATE_DUCKDB_MEMORY_LIMIT or AFFILIATE_DUCKDB_THREADS is not valid ({_first_line(error)})"
        ) from error


# pandas' nullable integer type for each Arrow integer type: an integer column with NULLs stays integer.
_NULLABLE_INTEGERS = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
}


def frame_of(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """A query's rows as the DataFrame pages read, fetched as Arrow (about 2.5x quicker than DuckDB's `.df()` at
    hundreds of thousands of rows, because text is not turned into Python strings one value at a time).

    The columns read as `.df()` would give them, except text, which is pandas' own string type:
    dates as datetime64[us], DECIMAL and HUGEINT (what DuckDB's SUM gives) as float64, integers with NULLs
    as pandas' nullable integers.
    """
    table = relation.to_arrow_table()
    types = [
        pa.timestamp("us") if pa.types.is_date(kind) else pa.float64() if pa.types.is_decimal(kind) else kind
        for kind in table.schema.types
    ]
    if types != table.schema.types:
        schema = pa.schema([column.with_type(kind) for column, kind in zip(table.schema, types, strict=True)])
        table = table.cast(schema)
    frame = table.to_pandas()
    for position, kind in enumerate(types):
        if pa.types.is_integer(kind) and table.column(position).null_count:
            frame.isetitem(position, table.column(position).to_pandas(types_mapper=_NULLABLE_INTEGERS.get))
    return frame


@cache
def query_text(name: str) -> str:
    """The SQL of the named query, read from analytics/store/queries/<name>.sql."""
    path = QUERIES_DIR / f"{name}.sql"
    if not name.replace("_", "").isalnum() or not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUERIES_DIR.glob("*.sql")))
        raise UnknownQueryError(f"no query named {name!r}; known queries: {known}")
    return path.read_text(encoding="utf-8")


@cache
def query_parameters(name: str) -> frozenset[str]:
    """The `$name` parameters the named query uses."""
    return frozenset(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query_text(name)))


@cache
def query_rollups(name: str) -> tuple[str, ...]:
    """The rollups the named query reads, itself or through the macros it calls (analytics/store/rollup.py)."""
    texts = {path.stem: path.read_text(encoding="utf-8") for path in macro_files()}
    seen, sql, pending = set(), query_text(name), [query_text(name)]
    while pending:
        text = pending.pop()
        for macro in texts.keys() - seen:
            if re.search(rf"\b{macro}\s*\(", text):
                seen.add(macro)
                pending.append(texts[macro])
                sql += "\n" + texts[macro]
    return rollup.rollups_named_in(sql)


@cache
def macro_files() -> tuple[Path, ...]:
    """The files of analytics/store/macros/, each after the macros it calls (DuckDB needs them when creating it)."""
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(MACROS_DIR.glob("*.sql"))}
    calls = {
        name: {other for other in texts if other != name and re.search(rf"\b{other}\s*\(", text)}
        for name, text in texts.items()
    }
    return tuple(MACROS_DIR / f"{name}.sql" for name in TopologicalSorter(calls).static_order())


class Store:
    """Read access to one data folder through DuckDB. Safe to share between threads."""

    def __init__(self, data_dir: Path | str, without_batches: frozenset[str] = frozenset()):
        """`without_batches`: uploaded batches to leave out, to see the data as it would be once they are undone."""
        self.data_dir = Path(data_dir)
        self.without_batches = without_batches
        if not self.data_dir.is_dir():
            raise DataFolderError(f"data folder {self.data_dir} does not exist or is not a folder")
        self._connection = connect()
        self._connection.execute("SET enable_progress_bar = false")  # no bar on the server's terminal
        self._lock = threading.Lock()
        self.files: dict[str, TableFile] = {}
        self.uploads: dict[str, Any] = {}  # kind -> the visible uploaded rows (an Arrow table), kept alive here
        absent = []  # tables the folder may lack (schema `may_be_absent`) and does: read as having no rows
        for table in TABLES:
            found = present_table_file(self.data_dir, table)
            if found is None:
                absent.append(table)
            else:
                self.files[table.name] = found
        self.files_key = files_key(self.data_dir)
        cache_dir = self._cache_dir()
        for table_file_ in self.files.values():
            self._create_raw_view(table_file_, cache_dir)
        for table in absent:
            self._create_empty_raw_view(table)
        missing = self._missing_columns()
        if missing:
            raise DataValidationError(missing)
        for table in TABLES:
            self._create_staging_view(table)
        self.state_key = rollup.state_key(
            self.files_key,
            {kind: pc.unique(rows["batch_id"]).to_pylist() for kind, rows in self.uploads.items()},
            [path.read_text(encoding="utf-8") for path in (*sorted(VIEWS_DIR.glob("*.sql")), *macro_files())]
            + [rollup.rollup_text(name) for name in rollup.rollup_names()],
        )
        self._create_derived_views()

    # -- views ---------------------------------------------------------------------------------

    def _cache_dir(self) -> Path | None:
        """The folder of this state's Parquet copies of CSV tables; None when the store is read-only."""
        return self._state_dir("cache", self.files_key)

    def _state_dir(self, kind: str, key: str) -> Path | None:
        """`<store>/<kind>/<key>/`, made and marked as recently used, the least recently used others of its kind
        pruned (CACHE_FOLDERS_KEPT are kept); None when the store is read-only."""
        root = ledger.StoreLayout(self.data_dir).root / kind
        folder = root / key
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        try:
            os.utime(folder)  # marks it as recently used, for pruning
        except OSError:
            return folder  # made by another user, readable but not ours to prune
        _prune(root, keep=CACHE_FOLDERS_KEPT, current=folder)
        return folder

    def _create_raw_view(self, table_file_: TableFile, cache_dir: Path | None) -> None:
        path = str(table_file_.path)
        try:
            if table_file_.is_csv and cache_dir is not None:
                relation = self._cached_parquet(path, cache_dir / f"{table_file_.table.name}.parquet")
            elif table_file_.is_csv:
                relation = self._read_csv(path)
            else:
                relation = self._connection.read_parquet(path)
            relation = with_absent_columns(relation, table_file_.table)
            relation.create_view(f"raw_{table_file_.table.name}", replace=True)
        except duckdb.Error as error:
            raise DataFolderError(f"{table_file_.path.name}: cannot be read ({_first_line(error)})") from error

    def _create_empty_raw_view(self, table: Table) -> None:
        """The raw view of a table the folder has no file of: its columns, as text, and no row."""
        columns = ", ".join(f"CAST(NULL AS VARCHAR) AS {_quote(column.name)}" for column in table.columns)
        with self.cursor() as cursor:
            cursor.execute(f"CREATE OR REPLACE VIEW raw_{table.name} AS SELECT {columns} WHERE false")

    def _read_csv(self, path: str) -> duckdb.DuckDBPyRelation:
        """A CSV file's rows, every column as text."""
        return self._connection.read_csv(path, header=True, all_varchar=True, encoding="utf-8")

    def _cached_parquet(self, csv_path: str, target: Path) -> duckdb.DuckDBPyRelation:
        """The CSV's rows written once to `target` (in their order in the file), then read from there.

        Written under a temporary name and renamed, so another process sees either no file or a
        whole one; two processes writing at once write the same rows, and the last rename wins.
        When the file cannot be written the relation itself is kept (the CSV is read per query).
        """
        if not target.is_file():
            relation = self._read_csv(csv_path)
            try:
                write_atomically(target, lambda temporary: relation.write_parquet(str(temporary), compression="zstd"))
            except (OSError, duckdb.IOException):
                return relation
        return self._connection.read_parquet(str(target))

    def _raw_columns(self, table_name: str) -> list[str]:
        with self.cursor() as cursor:
            return [row[0] for row in cursor.execute(f"DESCRIBE raw_{table_name}").fetchall()]

    def _missing_columns(self) -> list[Problem]:
        problems = []
        for name, table_file_ in self.files.items():
            present = set(self._raw_columns(name))
            for column in table_file_.table.columns:
                if column.name not in present:
                    problems.append(
                        Problem(table_file_.path.name, None, column.name, "required column is missing from the file")
                    )
        return problems

    def _create_staging_view(self, table: Table) -> None:
        uploaded = self._create_upload_view(table)
        with self.cursor() as cursor:
            cursor.execute(f"CREATE OR REPLACE VIEW {table.name} AS\n{staging.staging_select(table, uploaded, _quote)}")

    def _create_derived_views(self) -> None:
        """The views of analytics/store/views/ over the staging views (in name order; none reads another), the
        rollups of analytics/store/rollups/ (analytics/store/rollup.py), then the macros of analytics/store/macros/
        over them all (`macro_files()`: each after the macros it calls)."""
        with self.cursor() as cursor:
            for path in sorted(VIEWS_DIR.glob("*.sql")):
                cursor.execute(f"CREATE OR REPLACE VIEW {_quote(path.stem)} AS\n{path.read_text(encoding='utf-8')}")
        self._rollups = rollup.Rollups(self._connection, self.cursor, self._state_dir("rollups", self.state_key))
        with self.cursor() as cursor:
            for path in macro_files():
                cursor.execute(path.read_text(encoding="utf-8"))

    def _create_upload_view(self, table: Table) -> bool:
        """A view `uploaded_<table>` of the committed uploads of this kind; False when there are none."""
        if not table.is_uploadable:
            return False
        try:
            rows = ledger.visible_rows(self.data_dir, table.name, self.without_batches)
        except Exception as error:  # deltalake raises its own types (and OSError) for a damaged store
            raise DataFolderError(f"the upload store of {table.name} cannot be read ({_first_line(error)})") from error
        if rows is None or rows.num_rows == 0:
            return False
        self.uploads[table.name] = rows
        # Batches committed before a column was added lack it (schema `may_be_absent`): empty there.
        with_absent_columns(self._connection.from_arrow(rows), table).create_view(
            f"uploaded_{table.name}", replace=True
        )
        return True

    # -- running queries -----------------------------------------------------------------------

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one query, closed afterwards."""
        with self._lock:
            cursor = self._connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run analytics/store/queries/<name>.sql with bound parameters; the result as a DataFrame.

        Pages pass one shared set of parameters (scope, as-of date); each query receives the ones
        its SQL names. A parameter the SQL names but the caller did not give is an error.
        """
        sql = query_text(name)
        wanted = query_parameters(name)
        missing = wanted - params.keys()
        if missing:
            raise AnalyticsError(f"query {name!r} needs parameter(s): {', '.join(sorted(missing))}")
        bound = {key: value for key, value in params.items() if key in wanted}
        with self.cursor() as cursor:
            try:
                self._rollups.ensure(query_rollups(name))
                return frame_of(cursor.sql(sql, params=bound or None))
            except duckdb.ConversionException as error:
                raise AnalyticsError(
                    f"the data has a value of the wrong type ({_first_line(error)}); run `python -m analytics check`"
                ) from error
            except duckdb.Error as error:
                raise AnalyticsError(f"query {name!r} failed: {_first_line(error)}") from error

    def rollup(self, name: str) -> pd.DataFrame:
        """Every row of one rollup (analytics/store/rollups/<name>.sql) of this store's state, made if not kept yet."""
        self._ensure_rollup(name)
        with self.cursor() as cursor:
            return frame_of(cursor.sql(f"SELECT * FROM {_quote(name)}"))

    def rollup_file(self, name: str, folder: Path | None = None) -> Path:
        """One rollup of this store's state as a Parquet file: the one the store keeps and reads itself
        (`rollups_folder`), or, given a `folder`, a copy written there as `<name>.parquet`."""
        self._ensure_rollup(name)
        if folder is None:
            kept = self._rollups.kept_file(name)
            if kept is None:
                raise AnalyticsError(f"{self.data_dir}: its store cannot be written, so rollups are kept in memory")
            return kept
        target = folder / f"{name}.parquet"
        with self.cursor() as cursor:
            relation = cursor.sql(f"SELECT * FROM {_quote(name)}")
            write_atomically(target, lambda temporary: relation.write_parquet(str(temporary), compression="zstd"))
        return target

    @property
    def rollups_folder(self) -> Path | None:
        """Where this state's rollups are kept (`<store>/rollups/<state_key>/`); None when the store is read-only."""
        return self._rollups.folder

    def uploaded_batches(self) -> dict[str, list[tuple[str, int]]]:
        """The batches whose rows this store reads, per kind: (batch_id, upload_order), a later order winning."""
        batches = {}
        for kind, rows in self.uploads.items():
            pairs = rows.group_by(["batch_id", "upload_order"]).aggregate([])
            batches[kind] = sorted(zip(pairs["batch_id"].to_pylist(), pairs["upload_order"].to_pylist(), strict=True))
        return batches

    def _ensure_rollup(self, name: str) -> None:
        if name not in rollup.rollup_names():
            raise UnknownQueryError(f"no rollup named {name!r}; known rollups: {', '.join(rollup.rollup_names())}")
        self._rollups.ensure([name])

    def table(self, name: str) -> pd.DataFrame:
        """A whole staging table (for small tables; big ones go through named queries)."""
        if name not in TABLES_BY_NAME:
            raise UnknownQueryError(f"no table named {name!r}")
        with self.cursor() as cursor:
            try:
                return frame_of(cursor.sql(f"SELECT * FROM {name}"))
            except duckdb.Error as error:
                where = self.files[name].path.name if name in self.files else name
                raise AnalyticsError(f"{where}: {_first_line(error)}; run `python -m analytics check`") from error

    def count_rows(self) -> dict[str, int]:
        """Rows per table."""
        counts = {}
        with self.cursor() as cursor:
            for name in self.files:
                counts[name] = cursor.execute(f"SELECT count(*) FROM raw_{name}").fetchone()[0]
        return counts

    # -- validation ------------------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        """Every problem in the folder: values, keys and references, each with file, row and column."""
        problems: list[Problem] = []
        for table_file_ in self.files.values():
            problems.extend(self._value_problems(table_file_))
            problems.extend(self._key_problems(table_file_))
        for table_file_ in self.files.values():
            problems.extend(self._reference_problems(table_file_))
        return problems

    def _numbered(self, table_file_: TableFile) -> str:
        """SQL for the raw rows, each with the row number a person sees in the file."""
        offset = table_file_.first_row_number
        return f"(SELECT row_number() OVER () - 1 + {offset} AS _row, * FROM raw_{table_file_.table.name})"

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        with self.cursor() as cursor:
            return cursor.execute(sql, params).fetchall()

    def _value_checks(self, table_file_: TableFile) -> list[ValueCheck]:
        checks = []
        for column in table_file_.table.columns:
            name = _quote(column.name)
            text = f"trim({name}::VARCHAR)"
            if not column.nullable:
                checks.append(ValueCheck(column.name, f"({name} IS NULL OR {text} = '')", "a value is required"))
            if column.type != "VARCHAR":
                checks.append(
                    ValueCheck(
                        column.name,
                        f"({name} IS NOT NULL AND {text} <> '' AND TRY_CAST({name} AS {column.type}) IS NULL)",
                        f"not a valid {_type_word(column.type)}",
                    )
                )
            if column.allowed:
                parameter = f"allowed_{len(checks)}"
                checks.append(
                    ValueCheck(
                        column.name,
                        f"({name} IS NOT NULL AND NOT list_contains(${parameter}, {name}::VARCHAR))",
                        "not one of: " + ", ".join(column.allowed),
                        {parameter: list(column.allowed)},
                    )
                )
            if column.minimum is not None:
                parameter = f"minimum_{len(checks)}"
                checks.append(
                    ValueCheck(
                        column.name,
                        f"(TRY_CAST({name} AS DOUBLE) < ${parameter})",
                        f"must be at least {column.minimum:g}",
                        {parameter: column.minimum},
                    )
                )
        if table_file_.table.name == "membership":
            checks.append(
                ValueCheck(
                    "icma_members",
                    "(TRY_CAST(icma_members AS BIGINT) > TRY_CAST(members AS BIGINT))",
                    "more members also in ICMA than members",
                )
            )
        return checks

    def _value_problems(self, table_file_: TableFile) -> list[Problem]:
        """One scan counts the failures of every check; only failing checks are then located by row."""
        checks = self._value_checks(table_file_)
        params = {key: value for check in checks for key, value in check.params.items()}
        counts = self._rows(
            f"SELECT {', '.join(f'count_if({check.condition})' for check in checks)} FROM raw_{table_file_.table.name}",
            params or None,
        )[0]
        problems = []
        for check, count in zip(checks, counts, strict=True):
            if not count:
                continue
            rows = self._rows(
                f"SELECT _row, {_quote(check.column)}::VARCHAR FROM {self._numbered(table_file_)} "
                f"WHERE {check.condition} ORDER BY _row LIMIT {PROBLEMS_PER_CHECK}",
                check.params or None,
            )
            problems.extend(
                Problem(table_file_.path.name, row, check.column, check.reason, value) for row, value in rows
            )
        return problems

    def _key_problems(self, table_file_: TableFile) -> list[Problem]:
        key = ", ".join(_quote(column) for column in table_file_.table.key)
        has_duplicates = self._rows(
            f"SELECT EXISTS (SELECT 1 FROM raw_{table_file_.table.name} GROUP BY {key} HAVING count(*) > 1)"
        )[0][0]
        if not has_duplicates:
            return []
        rows = self._rows(
            f"SELECT list(_row ORDER BY _row), concat_ws(' / ', {key}) FROM {self._numbered(table_file_)} "
            f"GROUP BY {key} HAVING count(*) > 1 ORDER BY min(_row) LIMIT {PROBLEMS_PER_CHECK}"
        )
        key_words = " + ".join(table_file_.table.key)
        return [
            Problem(
                table_file_.path.name,
                rows_[1],
                key_words,
                f"duplicate key: the same {key_words} also stands in row(s) {', '.join(map(str, rows_[:1]))}",
                value,
            )
            for rows_, value in rows
        ]

    def _reference_problems(self, table_file_: TableFile) -> list[Problem]:
        problems = []
        for column, (parent, parent_column) in table_file_.table.references.items():
            name = _quote(column)
            orphan = (
                f"{name} IS NOT NULL AND {name}::VARCHAR NOT IN "
                f"(SELECT {_quote(parent_column)}::VARCHAR FROM raw_{parent} WHERE {_quote(parent_column)} IS NOT NULL)"
            )
            if not self._rows(f"SELECT count_if({orphan}) FROM raw_{table_file_.table.name}")[0][0]:
                continue
            rows = self._rows(
                f"SELECT _row, {name}::VARCHAR FROM {self._numbered(table_file_)} "
                f"WHERE {orphan} ORDER BY _row LIMIT {PROBLEMS_PER_CHECK}"
            )
            problems.extend(
                Problem(
                    table_file_.path.name,
                    row,
                    column,
                    f"no {parent} row has this {parent_column} ({self.files[parent].path.name})",
                    value,
                )
                for row, value in rows
            )
        return problems


def _type_word(duckdb_type: str) -> str:
    return {
        "DATE": "date (YYYY-MM-DD)",
        "INTEGER": "whole number",
        "BIGINT": "whole number",
        "DOUBLE": "number",
        "BOOLEAN": "true/false value",
    }.get(duckdb_type, duckdb_type.lower())


def _prune(folder: Path, keep: int, current: Path) -> None:
    """Delete all but the `keep` most recently used entries of `folder` (never `current`)."""
    try:
        entries = sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for entry in [entry for entry in entries if entry != current][max(keep - 1, 0) :]:
        try:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            pass  # another process pruned it first, or it is in use: try again next time


# Check outcomes remembered in this process, for folders whose store cannot be written.
_remembered_checks: dict[tuple[str, str], list[Problem]] = {}


def _check_record(store: Store) -> Path:
    return ledger.StoreLayout(store.data_dir).root / "checks" / f"{store.files_key}.json"


def _remembered_problems(store: Store) -> list[Problem] | None:
    """The problems an earlier check of this state of the folder found; None when it was never checked."""
    remembered = _remembered_checks.get((str(store.data_dir.resolve()), store.files_key))
    if remembered is not None:
        return remembered
    try:
        record = json.loads(_check_record(store).read_text(encoding="utf-8"))
        return [Problem(**problem) for problem in record["problems"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember_problems(store: Store, problems: list[Problem]) -> None:
    """Keep the outcome of a check: in a file under store/checks/ and, in any case, in this process."""
    _remembered_checks[(str(store.data_dir.resolve()), store.files_key)] = list(problems)
    record = {
        "files": [list(entry) for entry in table_files_fingerprint(store.data_dir)],
        "passed": not problems,
        "problems": [vars(problem) for problem in problems],
    }
    path = _check_record(store)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(path, json.dumps(record, indent=1).encode("utf-8"))
    except OSError:
        return
    _prune(path.parent, keep=CHECK_RECORDS_KEPT, current=path)


def open_store(data_dir: Path | str) -> Store:
    """A Store over `data_dir`, after checking it: DataValidationError lists every problem found.

    The folder is validated once per state of its files: the outcome (passed, or the problems) is
    remembered under `<data_dir>/store/checks/`, and a later open of the same state reads it.
    `python -m analytics check` calls `Store.validate()` itself and always checks everything.
    """
    store = Store(data_dir)
    problems = _remembered_problems(store)
    if problems is None:
        problems = store.validate()
        _remember_problems(store, problems)
    if problems:
        raise DataValidationError(problems)
    return store
