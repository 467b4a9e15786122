"""Cached access to the store. Pages call `run_query`, never DuckDB.

The store is cached as a resource per data folder and folder fingerprint (file names, sizes and
modification times, and the upload ledger's version), and query results per query, parameters and
fingerprint: when a file of the data folder changes, every page sees the new data on its next run,
without a restart. `folder_fingerprint` is a few `stat` calls, cheap enough for every query.

Opening the store is cheap after the first time for a given state of the files: `open_store`
reads the remembered outcome of the folder's check and the Parquet copies of its CSV tables from
`<data_dir>/store/` (see docs/architecture.md, Validation), so a restarted server does not check
ten million rows again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics.core.settings import Settings
from analytics.domain.membership import MAX_CARRY_MONTHS
from analytics.store.reader import Store, folder_fingerprint, open_store


def settings() -> Settings:
    return Settings.from_environment()


@st.cache_resource(show_spinner="Opening the data…", max_entries=4)
def _store(data_dir: str, fingerprint: tuple) -> Store:
    return open_store(data_dir)


def store() -> Store:
    """The checked store over the configured data folder (DataValidationError when it is broken)."""
    data_dir = settings().data_dir
    return _store(str(data_dir), folder_fingerprint(data_dir))


@st.cache_data(show_spinner=False, max_entries=256)
def _query(data_dir: str, fingerprint: tuple, name: str, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return _store(data_dir, fingerprint).query(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def run_query(name: str, **params: Any) -> pd.DataFrame:
    """The result of a named query, cached until the data changes. Lists in params become tuples for the key."""
    data_dir = settings().data_dir
    fingerprint = folder_fingerprint(data_dir)
    _store(str(data_dir), fingerprint)  # opens and checks the folder first, raising a clear error
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _query(str(data_dir), fingerprint, name, key)


@st.cache_data(show_spinner=False, max_entries=32)
def _table(data_dir: str, fingerprint: tuple, name: str) -> pd.DataFrame:
    return _store(data_dir, fingerprint).table(name)


def load_table(name: str) -> pd.DataFrame:
    """A whole small table (affiliates, liaisons, events...), cached until the data changes."""
    data_dir = settings().data_dir
    return _table(str(data_dir), folder_fingerprint(data_dir), name)


def scope_params(scope: dict[str, Any]) -> dict[str, Any]:
    """Query parameters for the shared filters: lists for regions/types, the as-of date, settings and constants."""
    return {
        "regions": list(scope["regions"]),
        "types": list(scope["types"]),
        "as_of": scope["as_of"],
        "renewal_window_months": settings().renewal_window_months,
        "max_carry_months": MAX_CARRY_MONTHS,
    }


def today() -> date:
    return date.today()
