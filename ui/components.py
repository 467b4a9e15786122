"""Small building blocks the pages share: notices, errors, downloads, charts."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.core.errors import AnalyticsError, DataValidationError
from analytics.figures.exports import to_csv_bytes, to_excel_bytes
from analytics.figures.theme import accessible_name
from ui.text import literal

# Where the app serves plotly's map outlines itself (static/topojson/, enableStaticServing).
TOPOJSON_URL = "/app/static/topojson/"
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": TOPOJSON_URL, "responsive": True}

SAMPLE_NOTICE = (
    "**Sample data.** Real, from public sources (each with its confidence): the affiliates' names, places, "
    "websites and relationship years, and the events whose Data column says “public source” (their names, dates "
    "and venues). Generated for illustration: membership numbers, agreements, goals, check-ins, activities, "
    "liaisons, and every event marked “sample”, dates included."
)


def card_row(count: int) -> list:
    """Places for `count` cards side by side, that wrap instead of stacking one per line on a narrow screen: a
    phone shows two cards a line (st.columns would give each card the whole width)."""
    row = st.container(horizontal=True, wrap=True)
    return [row.container(width="stretch") for _ in range(count)]


def sample_data_notice() -> None:
    st.caption(f"ℹ️ {SAMPLE_NOTICE}")


def show_error(error: Exception) -> None:
    """The one place a page reports a problem, in words a user understands."""
    if isinstance(error, DataValidationError):
        st.error(
            f"The data folder has {len(error.problems)} problem(s), so the figures cannot be trusted. "
            "Fix them (or run `python -m analytics check`) and reload.",
            icon="🚫",
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "problem": p.reason}
                    for p in error.problems
                ]
            ),
            hide_index=True,
        )
    elif isinstance(error, AnalyticsError):
        st.error(literal(str(error)), icon="🚫")  # a message may quote a file's name, header or value
    else:
        raise error


def download_buttons(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    base_name: str,
    key: str,
    sheet: str | None = None,
    number_formats: dict[str, str] | Callable[[], dict[str, str]] | None = None,
) -> None:
    """CSV and Excel downloads of one table, side by side; files are built only when clicked.

    `frame` may be a function that builds the table (and `number_formats` one that gives its formats): it is then
    called only when a button is clicked, outside the page's run, so it may not use Streamlit.
    `number_formats` gives Excel formats by column (ui.labels.download_table passes them for each kind).
    """
    rows = frame if callable(frame) else lambda: frame
    formats = number_formats if callable(number_formats) else lambda: number_formats
    left, right = st.columns(2, width=360)
    left.download_button(
        "Download CSV",
        data=lambda: to_csv_bytes(rows()),
        file_name=f"{base_name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon="⬇️",
        on_click="ignore",
    )
    right.download_button(
        "Download Excel",
        data=lambda: to_excel_bytes({sheet or base_name: rows()}, formats()),
        file_name=f"{base_name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon="⬇️",
        on_click="ignore",
    )


def chart(figure: go.Figure, key: str, on_select: str | Callable = "ignore") -> object:
    """A plotly chart with the app's config (offline map outlines, no plotly logo), in the figures' own theme
    (analytics.figures.theme, as in the briefing pack; not Streamlit's), named for screen readers by its title
    (`alt` makes the chart's box a figure with that name)."""
    return st.plotly_chart(
        figure, key=key, config=PLOTLY_CONFIG, on_select=on_select, theme=None, alt=accessible_name(figure)
    )
