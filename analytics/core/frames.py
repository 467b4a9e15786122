"""Small DataFrame helpers that every part may use, where pandas' own way is slow at scale."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def is_among(column: pd.Series, values: Iterable) -> pd.Series:
    """`column.isin(values)`, as quick for a long `values` (hundreds of thousands of ids) as for a short one.

    pandas 3's `isin` on a string column makes one Arrow scalar per value of `values` in Python: 2.3 s for
    160,000 goal ids against 272,700 goals on the 2-core machine. The same test over object arrays is one hash
    lookup per row (0.25 s), and in Arrow (`pyarrow.compute.is_in`) it needs no Python object at all. A missing value
    matches a missing value, as with `isin`.

    >>> is_among(pd.Series(["a", "b", None], dtype="str"), pd.Series(["b", "c"], dtype="str")).tolist()
    [False, True, False]
    >>> is_among(pd.Series(["a", None], dtype="str"), ["a", None]).tolist()
    [True, True]
    """
    listed = values if isinstance(values, pd.Series | pd.Index | np.ndarray) else list(values)
    found = _is_among_strings(column, listed)
    if found is not None:
        return found
    return _objects(column).isin(_objects(pd.Series(listed, dtype=object)).to_numpy())


def _is_among_strings(column: pd.Series, listed: pd.Series | pd.Index | np.ndarray | list) -> pd.Series | None:
    """is_among in Arrow, for a pyarrow string column and string values (None otherwise): no Python object per row."""
    if not (isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"):
        return None
    arrow = pa.array(column)
    try:
        among = pa.array(listed if isinstance(listed, pd.Series | pd.Index) else np.asarray(listed, dtype=object))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    kind = among.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)):
        return None
    found = pc.is_in(arrow, value_set=among.cast(arrow.type))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=column.index, name=column.name, dtype=bool)


def _objects(values: pd.Series) -> pd.Series:
    """The values as Python objects, every missing value one NaN (so that None and NaN match each other)."""
    objects = values.astype(object)
    return objects.where(objects.notna(), np.nan)
