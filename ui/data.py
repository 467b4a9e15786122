"""Cached access to the store. Pages call `run_query`, `load_table` and `kept_per_data`, never DuckDB.

The store is cached as a resource per data folder and folder fingerprint (file names, sizes and
modification times, and the upload ledger's version), and query results per query, parameters and
fingerprint: when a file of the data folder changes, every page sees the new data on its next run,
without a restart. `folder_fingerprint` is a few `stat` calls, cheap enough for every query. What a
page derives from the results (a frame, a figure) is kept the same way by `kept_per_data`, so a page
never handles the fingerprint itself.

Opening the store is cheap after the first time for a given state of the files: `open_store`
reads the remembered outcome of the folder's check and the Parquet copies of its CSV tables from
`<data_dir>/store/` (see docs/architecture.md, Validation), so a restarted server does not check
ten million rows again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from analytics.core.settings import Settings
from analytics.domain.membership import MAX_CARRY_MONTHS
from analytics.store.ledger import COMMITTED, batches
from analytics.store.reader import Store, folder_fingerprint, open_store
from analytics.uploads.delta import rejected_cells
from ui.text import affiliate_choice_labels

P = ParamSpec("P")
R = TypeVar("R")


def settings() -> Settings:
    return Settings.from_environment()


def data_state() -> tuple[str, tuple]:
    """The configured data folder and its fingerprint: what every cached result is kept for."""
    data_dir = settings().data_dir
    return str(data_dir), folder_fingerprint(data_dir)


@st.cache_resource(show_spinner="Opening the data…", max_entries=4)
def _store(data_dir: str, fingerprint: tuple) -> Store:
    return open_store(data_dir)


def store() -> Store:
    """The checked store over the configured data folder (DataValidationError when it is broken)."""
    return _store(*data_state())


@st.cache_data(show_spinner=False, max_entries=256)
def _query(data_dir: str, fingerprint: tuple, name: str, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return _store(data_dir, fingerprint).query(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def run_query(name: str, **params: Any) -> pd.DataFrame:
    """The result of a named query, cached until the data changes. Lists in params become tuples for the key."""
    state = data_state()
    _store(*state)  # opens and checks the folder first, raising a clear error
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _query(*state, name, key)


@st.cache_data(show_spinner=False, max_entries=32)
def _table(data_dir: str, fingerprint: tuple, name: str) -> pd.DataFrame:
    return _store(data_dir, fingerprint).table(name)


def load_table(name: str) -> pd.DataFrame:
    """A whole small table (affiliates, liaisons, events...), cached until the data changes."""
    return _table(*data_state(), name)


@st.cache_data(show_spinner=False, max_entries=8)
def _batches(data_dir: str, fingerprint: tuple) -> pd.DataFrame:
    return batches(Path(data_dir))


def upload_batches() -> pd.DataFrame:
    """The upload ledger, one row per batch, newest first, with its status (analytics.store.ledger.batches),
    cached until the data changes (a commit or an undo changes the ledger's version, so the fingerprint)."""
    return _batches(*data_state())


def counting_batches() -> pd.DataFrame:
    """The batches that count now (committed, not undone), newest first."""
    ledger = upload_batches()
    return ledger[ledger["status"] == COMMITTED]


@st.cache_data(show_spinner=False, max_entries=16)
def _refused_rows(data_dir: str, fingerprint: tuple, batch_id: str) -> pd.DataFrame:
    return rejected_cells(Path(data_dir), batch_id)


def refused_rows(batch_id: str) -> pd.DataFrame:
    """The rows a batch refused, as the file had them, with their row and problem; cached until the data changes."""
    return _refused_rows(*data_state(), batch_id)


def kept_per_data(max_entries: int = 32) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: keep what a function builds from query results (a frame, a figure) until the data changes.

    The function is called as it is written (`coverage_frame(params, window_months)`); the data folder and
    its fingerprint join its arguments in the cache key here. It is kept with `st.cache_resource`, so a
    result is shared, never copied: nothing may change it afterwards (a page filters copies), and no
    figure is unpickled on a rerun, which costs more than building it. The cache is the function's own
    (its module, name and source, as with `st.cache_resource` used directly).
    """

    def decorate(build: Callable[P, R]) -> Callable[P, R]:
        # functools.wraps gives the cache the function's own name, source and argument names.
        @functools.wraps(build)
        def build_for(*args: Any, kept_for: tuple, **kwargs: Any) -> R:
            return build(*args, **kwargs)

        cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(build_for)

        @functools.wraps(build)
        def kept(*args: P.args, **kwargs: P.kwargs) -> R:
            return cached(*args, kept_for=data_state(), **kwargs)

        return kept

    return decorate


@kept_per_data(max_entries=4)
def affiliate_choices() -> dict[str, str]:
    """Every affiliate's id and how it reads in a chooser (`ui.text.affiliate_choice_labels`), sorted by name.

    A small index kept per state of the data and shared, never copied: a chooser reads it on every rerun
    without loading the affiliates table or looping over its rows.
    """
    affiliates = load_table("affiliates").sort_values("name", kind="stable")
    return dict(zip(affiliates["affiliate_id"], affiliate_choice_labels(affiliates), strict=True))


def scope_params(scope: dict[str, Any]) -> dict[str, Any]:
    """Query parameters for the shared filters: lists for regions/types, the as-of date, settings and constants."""
    return {
        "regions": list(scope["regions"]),
        "types": list(scope["types"]),
        "as_of": scope["as_of"],
        "renewal_window_months": settings().renewal_window_months,
        "max_carry_months": MAX_CARRY_MONTHS,
    }
