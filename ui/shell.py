"""Make every page run inside app.py's frame, even when opened by a deep link on a fresh server.

Streamlit decides at start-up that an app with a `pages/` folder is a legacy multipage app, and
until app.py has called `st.navigation` once in that process it runs a deep-linked page file
(`/coverage`) directly, skipping app.py: no page config, no shared filters, the legacy menu.
Every page therefore calls `ensure_app_shell()` first (its frame, ui.page.page_frame, does): when
the page was started that way, it switches the process to app.py's navigation and reruns, which
opens the same page in the frame.
A browser test opens every page by deep link from a fresh server to prove it.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_shell() -> None:
    """Rerun through app.py when Streamlit started this page file on its own (legacy pages/ mode)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
