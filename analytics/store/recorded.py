"""Every row an upload or a form ever committed, with its batch's ledger facts: the goal's history reads it.

`ledger.visible_rows` gives what readers see now; this gives everything committed, the rows later batches
replaced and those of undone batches included, each with `committed_at`, `committed_by`, `file_name`,
`status` (committed or undone), `undone_at` and `undone_by`. Nothing is ever deleted, so a history built from it
shows every correction and undo.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
from deltalake import DeltaTable

from analytics.core.schema import table as schema_table
from analytics.store.ledger import StoreLayout, batches, is_table

BATCH_FACTS = ["batch_id", "committed_at", "committed_by", "file_name", "status", "undone_at", "undone_by"]


def recorded_rows(data_dir: Path, kind: str, column: str, value: str) -> pd.DataFrame:
    """The committed rows of `kind` whose `column` is `value` (a goal's check-ins), oldest batch first."""
    return recorded_rows_of(data_dir, kind, column, [value])


def recorded_rows_of(data_dir: Path, kind: str, column: str, values: list[str]) -> pd.DataFrame:
    """The committed rows of `kind` whose `column` is one of `values` (many goals' check-ins), oldest batch first."""
    columns = [*schema_table(kind).column_names, *BATCH_FACTS]
    path = StoreLayout(Path(data_dir)).rows(kind)
    if not is_table(path):
        return pd.DataFrame(columns=columns)
    dataset = DeltaTable(str(path)).to_pyarrow_dataset()
    if column not in dataset.schema.names:
        return pd.DataFrame(columns=columns)
    rows = dataset.to_table(filter=pc.field(column).isin(list(values))).to_pandas()
    committed = batches(data_dir)[BATCH_FACTS]
    rows = rows.merge(committed, on="batch_id", how="inner")  # a batch without a ledger row was never committed
    rows = rows.reindex(columns=[*columns, "row_number"])
    return rows.sort_values(["committed_at", "batch_id", "row_number"], kind="stable").reset_index(drop=True)
