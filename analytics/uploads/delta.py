"""The writes of an upload: the raw file into the archive, and rows appended to the Delta tables of the
runtime store (`store/<kind>/`, `store/rejected/`, `store/ledger/`); and reading back the rows a batch refused.

Each append is one atomic Delta commit. Appends from two processes both land, in some order (delta-rs retries
an append against the newer version; two processes creating a table at the same moment are retried here); an
append that still conflicts is refused with UploadConflictError, and nothing of it is visible.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, write_deltalake
from deltalake.exceptions import CommitFailedError, DeltaError

from analytics.core.errors import first_line
from analytics.core.schema import table as schema_table
from analytics.store import ledger
from analytics.store.ledger import StoreLayout
from analytics.uploads.checked import Checked
from analytics.uploads.errors import UploadConflictError

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
REJECTED_SCHEMA = pa.schema(
    [
        ("batch_id", pa.string()),
        ("kind", pa.string()),
        ("row_number", pa.int64()),
        ("problem", pa.string()),
        ("cells_json", pa.string()),
    ]
)


def rows_schema(kind: str) -> pa.Schema:
    """The columns of store/<kind>/: the batch, the row in the uploaded file, then the schema table's columns."""
    columns = [(column.name, ARROW_TYPES[column.type]) for column in schema_table(kind).columns]
    return pa.schema([("batch_id", pa.string()), ("row_number", pa.int64()), *columns])


def archive(layout: StoreLayout, data: bytes, sha256: str) -> Path | str:
    """The raw file under its hash (never its uploaded name), whole or absent (store.location)."""
    name = f"archive/{sha256}"
    if not layout.location.exists(name):
        layout.location.write_bytes(name, data)
    return layout.location.path(name)


def append(path: Path | str, table: pa.Table) -> None:
    """One atomic Delta append; retried when two processes create the table at once.

    Timestamps must carry a time zone: a naive one would switch on Delta's timestampNtz feature and raise the
    table to reader 3 / writer 7, which older Spark and Databricks readers refuse (docs/storage.md).
    """
    naive = [field.name for field in table.schema if pa.types.is_timestamp(field.type) and field.type.tz is None]
    if naive:
        raise ValueError(f"timestamps without a time zone in {', '.join(naive)}: write them as UTC")
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(CREATE_RETRIES):
        try:
            write_deltalake(
                str(path),
                table,
                mode="append",
                storage_options=ledger.storage_options(path),
                schema_mode="merge",  # a column the schema gained since the table was made joins it, empty before
                commit_properties=CommitProperties(max_commit_retries=DELTA_COMMIT_RETRIES),
            )
            return
        except (CommitFailedError, DeltaError, OSError) as error:
            if attempt == CREATE_RETRIES - 1:
                raise UploadConflictError(
                    "another upload was being committed at the same moment and this one could not be; "
                    f"nothing of it is visible. Try again. ({first_line(error)})"
                ) from error
            time.sleep(0.05 * (attempt + 1) + secrets.randbelow(50) / 1000)


def rows_table(
    checked: Checked, batch_id: str, committed_by: str, filled_by_committer: tuple[str, ...] = ()
) -> pa.Table:
    """The valid rows as store/<kind>/ holds them; a column of `filled_by_committer` that a row leaves blank
    names whoever commits (a check-in's reporter)."""
    rows = checked.rows
    if filled_by_committer:
        rows = rows.assign(**{name: rows[name].fillna(committed_by) for name in filled_by_committer})
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


def rejected_table(checked: Checked, batch_id: str) -> pa.Table:
    """The rows the checks refused, as store/rejected/ holds them: the problem and the row's cells as JSON."""
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


def rejected_rows(data_dir: Path, batch_id: str) -> pd.DataFrame:
    """The rows a batch refused, with the problem of each and the cells as they were in the file."""
    path = StoreLayout(Path(data_dir)).rejected
    if not ledger.is_table(path):
        return REJECTED_SCHEMA.empty_table().to_pandas()
    rows = ledger.delta_table(path).to_pyarrow_dataset().to_table(filter=pc.field("batch_id") == batch_id)
    return rows.to_pandas().sort_values("row_number").reset_index(drop=True)


def rejected_cells(data_dir: Path, batch_id: str) -> pd.DataFrame:
    """The rows a batch refused as the analyst sees them: row, problem, then the file's own columns."""
    rows = rejected_rows(data_dir, batch_id)
    cells = pd.DataFrame([json.loads(text) for text in rows["cells_json"]], index=rows.index)
    return pd.concat([rows[["row_number", "problem"]].rename(columns={"row_number": "row"}), cells], axis=1)
