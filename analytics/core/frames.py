"""Small DataFrame helpers that every part may use, where pandas' own way is slow at scale."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def is_among(column: pd.Series, values: Iterable) -> pd.Series:
    """`column.isin(values)`, as quick for a long `values` (hundreds of thousands of ids) as for a short one.

    pandas 3's `isin` on a string column makes one Arrow scalar per value of `values` in Python: 2.3 s for
    160,000 goal ids against 272,700 goals on the 2-core machine. The same test over object arrays is one hash
    lookup per row (0.25 s). A missing value matches a missing value, as with `isin`.

    >>> is_among(pd.Series(["a", "b", None], dtype="str"), pd.Series(["b", "c"], dtype="str")).tolist()
    [False, True, False]
    >>> is_among(pd.Series(["a", None], dtype="str"), ["a", None]).tolist()
    [True, True]
    """
    listed = values if isinstance(values, pd.Series | pd.Index | np.ndarray) else list(values)
    return _objects(pd.Series(listed, dtype=object)).pipe(lambda among: _objects(column).isin(among.to_numpy()))


def _objects(values: pd.Series) -> pd.Series:
    """The values as Python objects, every missing value one NaN (so that None and NaN match each other)."""
    objects = values.astype(object)
    return objects.where(objects.notna(), np.nan)
