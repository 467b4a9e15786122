"""The only module that talks to DuckDB and to the files of a data folder.

A `Store` opens an in-memory DuckDB database over one data folder:

- each table of `analytics.schema` is read once from `<table>.parquet` or `<table>.csv` into a raw
  view (`raw_<table>`, every CSV column as text, so that nothing is lost before it is checked);
- a staging view named after the table casts every column to its schema type; page queries read
  only these staging views;
- named queries live in `analytics/queries/<name>.sql`, one query per file, with bound parameters
  (`$as_of`, `$regions`), and run on a cursor of their own, because a DuckDB 2.x connection
  refuses concurrent use from Streamlit's script threads;
- `validate()` checks the folder against the schema in SQL (types, required values, allowed
  values, keys, references) and names the file, the row and the column of every problem.

File paths never enter SQL text: raw views are made from relations (`read_csv`, `read_parquet`).
Identifiers in the SQL this module writes come from the schema, never from user input.

Uploads (analytics.uploads) live in the runtime store under `<data_dir>/store/`. The staging view
of an uploadable kind (membership) is the folder's own rows together with the rows of every
committed, not undone batch (analytics.ledger): an uploaded row supersedes the folder's row, or an
earlier batch's row, with the same key. The ledger's version is part of `folder_fingerprint`, so
caches keyed by it see a commit or an undo on their next run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics import ledger
from analytics.errors import AnalyticsError, DataFolderError, DataValidationError, Problem, UnknownQueryError
from analytics.schema import TABLES, Table

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
# Problems reported per check (per column and rule) before the rest are only counted.
PROBLEMS_PER_CHECK = 20


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


def table_file(data_dir: Path, table: Table) -> TableFile:
    """The file holding `table` in `data_dir`; DataFolderError when there is none or two."""
    candidates = [data_dir / f"{table.name}.parquet", data_dir / f"{table.name}.csv"]
    present = [path for path in candidates if path.is_file()]
    if not present:
        raise DataFolderError(f"{data_dir}: table {table.name!r} is missing (expected {table.name}.parquet or .csv)")
    if len(present) > 1:
        raise DataFolderError(
            f"{data_dir}: table {table.name!r} is stored twice ({table.name}.parquet and .csv); keep one"
        )
    return TableFile(table, present[0])


def folder_fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every table file, and the upload ledger's version.

    It changes whenever the data does, including when an upload is committed or undone.
    """
    data_dir = Path(data_dir)
    entries = []
    for path in sorted(data_dir.glob("*.parquet")) + sorted(data_dir.glob("*.csv")):
        stat = path.stat()
        entries.append((path.name, stat.st_size, stat.st_mtime_ns))
    entries.append(("store/ledger", ledger.ledger_version(data_dir), 0))
    return tuple(entries)


@cache
def query_text(name: str) -> str:
    """The SQL of the named query, read from analytics/queries/<name>.sql."""
    path = QUERIES_DIR / f"{name}.sql"
    if not name.replace("_", "").isalnum() or not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUERIES_DIR.glob("*.sql")))
        raise UnknownQueryError(f"no query named {name!r}; known queries: {known}")
    return path.read_text(encoding="utf-8")


@cache
def query_parameters(name: str) -> frozenset[str]:
    """The `$name` parameters the named query uses."""
    return frozenset(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query_text(name)))


class Store:
    """Read access to one data folder through DuckDB. Safe to share between threads."""

    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        if not self.data_dir.is_dir():
            raise DataFolderError(f"data folder {self.data_dir} does not exist or is not a folder")
        self._connection = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        self.files: dict[str, TableFile] = {}
        self.uploads: dict[str, Any] = {}  # kind -> the visible uploaded rows (an Arrow table), kept alive here
        for table in TABLES:
            self.files[table.name] = table_file(self.data_dir, table)
        for table_file_ in self.files.values():
            self._create_raw_view(table_file_)
        missing = self._missing_columns()
        if missing:
            raise DataValidationError(missing)
        for table_file_ in self.files.values():
            self._create_staging_view(table_file_.table)

    # -- views ---------------------------------------------------------------------------------

    def _create_raw_view(self, table_file_: TableFile) -> None:
        path = str(table_file_.path)
        try:
            if table_file_.is_csv:
                relation = self._connection.read_csv(path, header=True, all_varchar=True, encoding="utf-8")
            else:
                relation = self._connection.read_parquet(path)
            relation.create_view(f"raw_{table_file_.table.name}", replace=True)
        except duckdb.Error as error:
            raise DataFolderError(f"{table_file_.path.name}: cannot be read ({_first_line(error)})") from error

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
        casts = ",\n  ".join(f"CAST({_quote(c.name)} AS {c.type}) AS {_quote(c.name)}" for c in table.columns)
        uploaded = self._create_upload_view(table)
        with self.cursor() as cursor:
            if not uploaded:
                cursor.execute(f"CREATE OR REPLACE VIEW {table.name} AS SELECT\n  {casts}\nFROM raw_{table.name}")
                return
            columns = ", ".join(_quote(c.name) for c in table.columns)
            key = ", ".join(_quote(name) for name in table.key)
            cursor.execute(
                f"CREATE OR REPLACE VIEW {table.name} AS SELECT {columns} FROM (\n"
                f"  SELECT {casts}, 0 AS _upload_order FROM raw_{table.name}\n"
                f"  UNION ALL\n"
                f"  SELECT {casts}, upload_order AS _upload_order FROM uploaded_{table.name}\n"
                f") QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _upload_order DESC) = 1"
            )

    def _create_upload_view(self, table: Table) -> bool:
        """A view `uploaded_<table>` of the committed uploads of this kind; False when there are none."""
        if table.name not in ledger.UPLOAD_KINDS:
            return False
        try:
            rows = ledger.visible_rows(self.data_dir, table.name)
        except Exception as error:  # deltalake raises its own types (and OSError) for a damaged store
            raise DataFolderError(f"the upload store of {table.name} cannot be read ({_first_line(error)})") from error
        if rows is None or rows.num_rows == 0:
            return False
        self.uploads[table.name] = rows
        self._connection.from_arrow(rows).create_view(f"uploaded_{table.name}", replace=True)
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
        """Run analytics/queries/<name>.sql with bound parameters; the result as a DataFrame.

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
                return cursor.execute(sql, bound or None).df()
            except duckdb.ConversionException as error:
                raise AnalyticsError(
                    f"the data has a value of the wrong type ({_first_line(error)}); run `python -m analytics check`"
                ) from error
            except duckdb.Error as error:
                raise AnalyticsError(f"query {name!r} failed: {_first_line(error)}") from error

    def table(self, name: str) -> pd.DataFrame:
        """A whole staging table (for small tables; big ones go through named queries)."""
        if name not in self.files:
            raise UnknownQueryError(f"no table named {name!r}")
        with self.cursor() as cursor:
            try:
                return cursor.execute(f"SELECT * FROM {name}").df()
            except duckdb.Error as error:
                raise AnalyticsError(
                    f"{self.files[name].path.name}: {_first_line(error)}; run `python -m analytics check`"
                ) from error

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


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def open_store(data_dir: Path | str) -> Store:
    """A Store over `data_dir`, after checking it: DataValidationError lists every problem found."""
    store = Store(data_dir)
    problems = store.validate()
    if problems:
        raise DataValidationError(problems)
    return store
