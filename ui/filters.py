"""The filters every page shares (region, affiliate type, as-of date), bound to the URL.

They are drawn once, in the sidebar, by app.py; pages read them with `current_scope()`. Because
each widget is bound to a query parameter, a view is shared by copying its link.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from analytics.core.schema import AFFILIATE_TYPES, ICMA_REGIONS

REGION_OPTIONS: tuple[str, ...] = (*ICMA_REGIONS, "National")
TYPE_LABELS: dict[str, str] = {
    "state": "State associations",
    "national": "National and equity affiliates",
    "international": "International affiliates",
}
EARLIEST_AS_OF = date(2015, 1, 1)
LATEST_AS_OF = date(2030, 12, 31)


def shared_filters() -> None:
    """Draw the shared filters in the sidebar."""
    with st.sidebar:
        st.subheader("Filters")
        st.multiselect(
            "ICMA region",
            REGION_OPTIONS,
            key="region",
            bind="query-params",
            placeholder="All regions",
            help="US regions, International, or National for the national and equity affiliates.",
        )
        st.multiselect(
            "Affiliate type",
            AFFILIATE_TYPES,
            format_func=TYPE_LABELS.__getitem__,
            key="type",
            bind="query-params",
            placeholder="All types",
        )
        st.date_input(
            "As of",
            value=date.today(),
            min_value=EARLIEST_AS_OF,
            max_value=LATEST_AS_OF,
            key="as_of",
            bind="query-params",
            format="YYYY-MM-DD",
            help="Every figure as it stood on this date, using only data reported by then.",
        )


def current_scope() -> dict[str, Any]:
    """The shared filters' values: regions and types (empty means all) and the as-of date."""
    as_of = st.session_state.get("as_of") or date.today()
    return {
        "regions": list(st.session_state.get("region") or []),
        "types": list(st.session_state.get("type") or []),
        "as_of": as_of,
    }


def describe_scope(scope: dict[str, Any]) -> str:
    """The scope in words, for captions: "International affiliates in Europe, as of 2026-11-27"."""
    types = ", ".join(TYPE_LABELS[t].lower() for t in scope["types"]) or "all affiliates"
    regions = ", ".join(scope["regions"]) or "every region"
    return f"{types[0].upper()}{types[1:]} in {regions}, as of {scope['as_of']:%Y-%m-%d}"
