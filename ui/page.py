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

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from analytics.core.errors import AnalyticsError
from analytics.core.settings import Settings
from ui.components import sample_data_notice, show_error
from ui.data import scope_params, settings
from ui.filters import current_scope, describe_scope
from ui.shell import ensure_app_shell

# Whether this run of a page has drawn a title yet: an error before that comes under the page's menu title.
_title_drawn: ContextVar[bool] = ContextVar("title_drawn", default=False)


@dataclass(frozen=True)
class Frame:
    """What a page works with: the shared filters' values and the settings in force."""

    scope: dict[str, Any]
    settings: Settings

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
    frame = Frame(scope=current_scope(), settings=settings())
    if title is not None:
        page_title(title)
        if shows_data:
            st.caption(describe_scope(frame.scope) + scope_note)
            sample_data_notice()
    return frame


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
