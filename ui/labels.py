"""Tables on a page and their downloads: every column under its label, formatted by the kind of its cells.

The labels themselves are declared once in `analytics.figures.labels` (the briefing pack and the event
listing, built without Streamlit, carry them too); this module adds how each kind is shown: counts with
thousands separators, shares as percents, dates as dates, years as plain numbers, links as links. A page
builds a table with the data's own column names and calls `show_table` and `download_table`; it never
writes a label or a column format itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from analytics.core.links import Link
from analytics.core.settings import Settings
from analytics.figures import labels
from analytics.figures.labels import ColumnLabel
from ui.components import download_buttons
from ui.data import settings
from ui.navigation import open_selected_row, profile_link_of
from ui.text import MISSING

# Rows tall enough for three lines: st.dataframe wraps text only in rows taller than 4rem (64 px).
WRAPPED_ROW_HEIGHT = 72

# How each kind of cell is drawn on a page (st.column_config), and written into a workbook (Excel formats).
EXCEL_FORMATS: dict[str, str] = {
    "count": "#,##0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "year": "0",
}
# A change reads with its sign (labels.ColumnLabel.signed); a workbook can also keep the thousands separators.
SIGNED_EXCEL_FORMATS: dict[str, str] = {"count": "+#,##0;-#,##0;0", "percent": "+0.0%;-0.0%;0.0%"}
# On a page a signed change is drawn by a printf format, which has no thousands separator: signed percents only
# (shown from percent points, so the cells hold value * 100), signed counts keep their separators and no "+".
SIGNED_PERCENT_FORMAT = "%+.1f%%"


def _excel_format(entry: ColumnLabel) -> str | None:
    return (SIGNED_EXCEL_FORMATS if entry.signed else EXCEL_FORMATS).get(entry.kind)


def label(name: str) -> str:
    """The header of column `name`, as the pages show it (with the settings in force)."""
    return labels.label_text(name, settings())


def labelled(frame: pd.DataFrame, data_columns: Iterable[str] = ()) -> pd.DataFrame:
    """`frame` with every column under its label (analytics.figures.labels.labelled, with the settings in force)."""
    return labels.labelled(frame, settings(), tuple(data_columns))


def _column_format(entry: ColumnLabel) -> dict[str, Any] | None:
    if entry.kind in ("count", "number"):
        return st.column_config.NumberColumn(format="localized", help=entry.help)
    if entry.kind == "percent":
        shown = SIGNED_PERCENT_FORMAT if entry.signed else "percent"
        return st.column_config.NumberColumn(format=shown, help=entry.help)
    if entry.kind == "year":
        return st.column_config.NumberColumn(format="%d", help=entry.help)
    if entry.kind == "date":
        return st.column_config.DateColumn(help=entry.help)
    if entry.kind in ("link", "profile_link"):
        return st.column_config.LinkColumn(display_text=entry.link_text, help=entry.help)
    return st.column_config.Column(help=entry.help) if entry.help else None


def column_formats(view: pd.DataFrame, options: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """st.column_config for a labelled table: each column's format by its kind, plus `options` (by column name).

    `options` adds presentation a table needs for itself (`{"event_name": {"pinned": True}}`) to the format.
    """
    by_text = labels.labels_by_text(settings())
    formats: dict[str, Any] = {}
    for column in view.columns:
        entry = by_text.get(column)
        if entry is not None and (shown := _column_format(entry)) is not None:
            formats[column] = shown
    for name, extra in (options or {}).items():
        column = label(name)
        formats[column] = {**formats.get(column, {}), **extra}
    return formats


class ProfileLinks(Sequence):
    """The Link of each row's profile address (a `profile_links` column), made only for the row asked for: a table
    of tens of thousands of affiliates opens one profile when a row is selected, so parsing every address on
    every rerun would be wasted."""

    def __init__(self, paths: pd.Series):
        self._paths = paths

    def __len__(self) -> int:
        return len(self._paths)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[index] for index in range(*row.indices(len(self)))]
        path = self._paths.iloc[row]
        return profile_link_of(path) if isinstance(path, str) else None


def show_table(
    frame: pd.DataFrame,
    key: str | None = None,
    *,
    options: dict[str, dict[str, Any]] | None = None,
    data_columns: Iterable[str] = (),
    wrap: bool = False,
    links: Sequence[Link | None] | None = None,
    **dataframe_options: Any,
) -> Any:
    """`frame` as a table on the page: labelled, formatted by kind, without its index, a blank cell as "–".

    `options` adds per-column presentation (width, pinned); `data_columns` are headers that are data values
    (shown as they are); `wrap` gives rows of three lines, so long text (a reason, a narrative) wraps in its
    column instead of running out of view; `dataframe_options` go to st.dataframe (height, on_select...).

    `links` (one per row, or None for a row that leads nowhere) makes the rows selectable: selecting one
    opens its link in the same tab. A table with a profile column (kind "profile_link") leads to the profiles
    by itself: the column is left out of view (a LinkColumn opens a new tab) and its rows open them.
    """
    view = labelled(frame, data_columns)
    by_text = labels.labels_by_text(settings())
    entries = {column: by_text[column] for column in view.columns if column in by_text}
    signed_percents = [column for column, entry in entries.items() if entry.kind == "percent" and entry.signed]
    view[signed_percents] = view[signed_percents] * 100  # in points, for SIGNED_PERCENT_FORMAT
    profiles = [column for column in view.columns if column in by_text and by_text[column].kind == "profile_link"]
    if profiles:
        if links is None:
            links = ProfileLinks(view[profiles[0]])
        dataframe_options.setdefault("column_order", [column for column in view.columns if column not in profiles])
    if links is not None:
        dataframe_options.update(on_select="rerun", selection_mode="single-row")
    if wrap:
        dataframe_options.setdefault("row_height", WRAPPED_ROW_HEIGHT)
    dataframe_options.setdefault("placeholder", MISSING)
    event = st.dataframe(
        view, hide_index=True, column_config=column_formats(view, options), key=key, **dataframe_options
    )
    if links is not None:
        open_selected_row(event, links)
    return event


def download_view(
    frame: pd.DataFrame, data_columns: Iterable[str] = (), in_force: Settings | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """What a download of `frame` holds: the labelled table without links into the app, and each column's
    Excel format (counts with thousands separators, shares as percents, dates as dates). `in_force`: the settings
    (those of the environment when not given)."""
    in_force = in_force or settings()
    by_text = labels.labels_by_text(in_force)
    view = labels.labelled(frame, in_force, tuple(data_columns))
    entries = {column: by_text[column] for column in view.columns if column in by_text}
    view = view.drop(columns=[column for column, entry in entries.items() if entry.kind == "profile_link"])
    formats = {column: _excel_format(entry) for column, entry in entries.items()}
    return view, {column: shown for column, shown in formats.items() if shown is not None}


def download_table(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    base_name: str,
    key: str,
    sheet: str | None = None,
    data_columns: Iterable[str] = (),
) -> None:
    """CSV and Excel downloads of `frame` under the labels the page shows (ui.components.download_buttons).

    `frame` may be a function that builds the table when a button is clicked (a long list the page shows only the
    head of): it runs outside the page's run, so it may not use Streamlit (ui.goal_status.needing_attention_later
    makes one)."""
    in_force = settings()
    if callable(frame):
        build = frame
    else:
        # Labelled when a button is clicked, like the file itself; a column without a label still fails the page.
        labels.check_labels(frame.columns, in_force, tuple(data_columns))
        build = lambda: frame  # noqa: E731

    @functools.cache
    def built() -> tuple[pd.DataFrame, dict[str, str]]:
        return download_view(build(), data_columns, in_force)

    download_buttons(lambda: built()[0], base_name, key=key, sheet=sheet, number_formats=lambda: built()[1])
