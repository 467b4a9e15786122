"""The frame every page opens with, and the one way a page's problem reaches the person using it.

A page starts with `frame = page_frame("Coverage")`: that makes sure the page runs inside app.py's
navigation (ui.shell), draws the title, the shared filters in words and the sample-data notice, and
returns what the page's queries need (the scope, its query parameters, the settings).

app.py runs the chosen page through `run_page`: an AnalyticsError raised anywhere in the page (a broken
data folder, a missing file, inconsistent thresholds) is shown once, in words (ui.components.show_error),
under the page's title, and the run stops there. Anything else is a bug and is raised as it is. Pages
therefore hold no `try`/`except AnalyticsError` of their own.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from analytics.core.errors import AnalyticsError
from analytics.core.settings import Settings
from analytics.domain.goals import GoalStatusRules
from analytics.domain.membership import latest_as_of
from ui.components import sample_data_notice, show_error
from ui.data import run_query, scope_params, settings
from ui.filters import current_scope, describe_scope, status_rules
from ui.shell import ensure_app_shell

# Whether this run of a page has drawn a title yet: an error before that comes under the page's menu title.
_title_drawn: ContextVar[bool] = ContextVar("title_drawn", default=False)


@dataclass(frozen=True)
class Frame:
    """What a page works with: the shared filters' values, the goal status thresholds and the settings in force."""

    scope: dict[str, Any]
    settings: Settings

    @property
    def rules(self) -> GoalStatusRules:
        """The goal status thresholds in force (ui.filters.status_rules); AnalyticsError when they contradict."""
        return status_rules()

    @property
    def as_of(self) -> date:
        return self.scope["as_of"]

    @property
    def params(self) -> dict[str, Any]:
        """Query parameters for the shared filters (ui.data.scope_params)."""
        return scope_params(self.scope)


def page_frame(title: str | None, scope_note: str = "", *, shows_data: bool = True) -> Frame:
    """Open a page: in app.py's frame, with its title, the filters in words and the sample-data notice.

    `scope_note` follows the filters in the caption (", using only check-ins reported by then.").
    `title=None` is for a page whose title comes from its data (the profile: the affiliate's name): the
    frame draws nothing, and the page draws its own heading. `shows_data=False` is for a page about no
    data (roles): the title alone.
    """
    ensure_app_shell()
    scope = current_scope()
    if title is not None:
        page_title(title)
    if not shows_data:
        return Frame(scope=scope, settings=settings())
    chosen_on = scope["as_of"]
    scope = {**scope, "as_of": min(chosen_on, data_latest_as_of())}
    if title is not None:
        st.caption(describe_scope(scope) + scope_note)
    if scope["as_of"] < chosen_on:
        clamped = (
            f"The data's latest report is dated {latest_reported_on():%Y-%m-%d}: figures are shown as of "
            f"{scope['as_of']:%Y-%m-%d}, the end of the month after it"
        )
        if "as_of" in st.query_params:  # chosen (in the link or the sidebar): said plainly
            st.warning(
                f"{clamped}, not {chosen_on:%Y-%m-%d}: later than that every figure would be a guess.", icon="📅"
            )
        else:  # today's date, the default
            st.caption(f"{clamped}.")
    if title is not None:
        sample_data_notice()
    return Frame(scope=scope, settings=settings())


def latest_reported_on() -> date:
    """The date of the latest fact reported so far, whatever the filters (query latest_reported_on)."""
    reported_on = run_query("latest_reported_on")["latest_reported_on"].iloc[0]
    return date.max if pd.isna(reported_on) else pd.Timestamp(reported_on).date()


def data_latest_as_of() -> date:
    """The latest as-of date the data answers for (analytics.domain.membership.latest_as_of)."""
    reported_on = latest_reported_on()
    return date.max if reported_on == date.max else latest_as_of(reported_on)


def page_title(title: str) -> None:
    """The page's title (for a page that draws its own heading later than the frame)."""
    st.title(title)
    _title_drawn.set(True)


def run_page(page: StreamlitPage) -> None:
    """Run the page st.navigation chose; an AnalyticsError in it is shown in words and ends the run."""
    _title_drawn.set(False)
    try:
        page.run()
    except AnalyticsError as error:
        if not _title_drawn.get():
            st.title(page.title)
        show_error(error)
        st.stop()
