"""The staging views' SELECT, written once for both engines that build them: DuckDB (analytics.store.reader, for the
app) and Spark (analytics.store.spark, for rollups built on a cluster).

A staging view casts every column of a table's raw rows (`raw_<table>`: every CSV column as text) to its schema
type; for an uploadable table it also takes the rows of the committed, not undone batches (`uploaded_<table>`,
with their `upload_order`), and a row uploaded later supersedes an earlier one, or the folder's own, with the
same key. Each engine makes `raw_<table>` and `uploaded_<table>` from the files itself; this text is what both
then run, so both read the same typed rows.

The SQL is of the dialect the two share (DuckDB 2, Spark 4.3+: QUALIFY, CAST); the engines differ in how they
quote an identifier (DuckDB "x", Spark `x`), which the caller passes, and in one type name: VARCHAR, which Spark
accepts only with a length, is written STRING (DuckDB's alias of VARCHAR).
"""

from __future__ import annotations

from collections.abc import Callable

from analytics.core.schema import Table

# The schema's (DuckDB) type names as both engines accept them in a CAST.
SQL_TYPES = {
    "VARCHAR": "STRING",
    "INTEGER": "INTEGER",
    "BIGINT": "BIGINT",
    "DOUBLE": "DOUBLE",
    "DATE": "DATE",
    "BOOLEAN": "BOOLEAN",
}


def staging_select(table: Table, with_uploads: bool, quote: Callable[[str], str]) -> str:
    """The SELECT of `table`'s staging view, over `raw_<table>` (and `uploaded_<table>` when `with_uploads`)."""
    casts = ",\n  ".join(f"CAST({quote(c.name)} AS {SQL_TYPES[c.type]}) AS {quote(c.name)}" for c in table.columns)
    if not with_uploads:
        return f"SELECT\n  {casts}\nFROM raw_{table.name}"
    columns = ", ".join(quote(c.name) for c in table.columns)
    key = ", ".join(quote(name) for name in table.key)
    return (
        f"SELECT {columns} FROM (\n"
        f"  SELECT {casts}, 0 AS _upload_order FROM raw_{table.name}\n"
        f"  UNION ALL\n"
        f"  SELECT {casts}, upload_order AS _upload_order FROM uploaded_{table.name}\n"
        f") AS staged QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _upload_order DESC) = 1"
    )
