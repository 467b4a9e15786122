"""The filters every page shares (region, affiliate type, as-of date, goal status thresholds), bound to the URL.

They are drawn once, in the sidebar, by app.py; pages read them with `current_scope()` and `status_rules()`
(through ui.page's frame). Because each widget is bound to a query parameter and drawn on every page, a view
is shared by copying its link, and the thresholds a user sets stay in force, and in the link, on every page
that counts goal statuses (the Overview, Goals, What changed, the profiles).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from analytics.core.errors import AnalyticsError
from analytics.core.schema import AFFILIATE_TYPES, ICMA_REGIONS
from analytics.domain.goals import GoalStatusRules

REGION_OPTIONS: tuple[str, ...] = (*ICMA_REGIONS, "National")
TYPE_LABELS: dict[str, str] = {
    "state": "State associations",
    "national": "National and equity affiliates",
    "international": "International affiliates",
}
EARLIEST_AS_OF = date(2015, 1, 1)
LATEST_AS_OF = date(2030, 12, 31)
# The goal status thresholds, by the GoalStatusRules field each sets: (query parameter and widget key, label).
THRESHOLDS: dict[str, tuple[str, str]] = {
    "at_risk_below": ("goals_at_risk_below", "At risk below (% of expected progress)"),
    "off_track_below": ("goals_off_track_below", "Off track below (% of expected progress)"),
}


def shared_filters() -> None:
    """Draw the shared filters in the sidebar."""
    with st.sidebar:
        st.header("Filters")
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
        defaults = GoalStatusRules()
        with st.expander("Goal status thresholds", icon="⚖️"):
            for field, (key, text) in THRESHOLDS.items():
                st.number_input(
                    text,
                    min_value=0,
                    max_value=100,
                    value=round(getattr(defaults, field) * 100),
                    step=5,
                    key=key,
                    bind="query-params",
                    help="Applies on every page that counts goal statuses, and travels in the link.",
                )


def current_scope() -> dict[str, Any]:
    """The shared filters' values: regions and types (empty means all) and the as-of date."""
    as_of = st.session_state.get("as_of") or date.today()
    return {
        "regions": list(st.session_state.get("region") or []),
        "types": list(st.session_state.get("type") or []),
        "as_of": as_of,
    }


def status_rules() -> GoalStatusRules:
    """The goal status thresholds in force (the sidebar's, from the link), as shares of 1.

    AnalyticsError when they contradict each other (off track below more than at risk below): a page shows it,
    in the sidebar's words.
    """
    defaults = GoalStatusRules()
    values = {
        field: (st.session_state[key] / 100 if st.session_state.get(key) is not None else getattr(defaults, field))
        for field, (key, _) in THRESHOLDS.items()
    }
    if not 0 <= values["off_track_below"] <= values["at_risk_below"]:
        names = {field: text.split(" (")[0] for field, (_, text) in THRESHOLDS.items()}
        raise AnalyticsError(
            f"The goal status thresholds contradict each other: “{names['off_track_below']}” is "
            f"{values['off_track_below']:.0%} but “{names['at_risk_below']}” is {values['at_risk_below']:.0%}, "
            "and a goal cannot be off track before it is at risk. Change them in the sidebar, under "
            "“Goal status thresholds”."
        )
    return GoalStatusRules(**values)


def describe_scope(scope: dict[str, Any]) -> str:
    """The scope in words, for captions: "International affiliates in Europe, as of 2026-11-27"."""
    types = ", ".join(TYPE_LABELS[t].lower() for t in scope["types"]) or "all affiliates"
    regions = ", ".join(scope["regions"]) or "every region"
    return f"{types[0].upper()}{types[1:]} in {regions}, as of {scope['as_of']:%Y-%m-%d}"
