"""Helpers for AppTest page tests: run app.py on a given data folder and page."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.navigation import PAGES, page_entry

APP = str(Path(__file__).resolve().parent.parent / "app.py")
DEFAULT_PAGE = next(entry.url_path for entry in PAGES if entry.is_default)


def run_page(
    monkeypatch, data_dir: Path, page: str = DEFAULT_PAGE, query: dict[str, str] | None = None, timeout: float = 60
) -> AppTest:
    """Run the app on `data_dir`, as if opened at /<page>?<query> (`page`: a url_path of ui.navigation.PAGES)."""
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    if page != DEFAULT_PAGE:
        app.switch_page(page_entry(page).script)
    return app.run()


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def shown(markdown: str) -> str:
    """What a reader sees of Markdown the app wrote with ui.text.literal: the escapes and word joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
