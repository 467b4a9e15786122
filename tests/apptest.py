"""Helpers for AppTest page tests: run app.py on a given data folder and page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_page(
    monkeypatch, data_dir: Path, page: str = "overview", query: dict[str, str] | None = None, timeout: float = 60
) -> AppTest:
    """Run the app on `data_dir`, as if opened at /<page>?<query>, from cold caches."""
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    if page != "overview":
        app.switch_page(f"pages/{page}.py")
    return app.run()


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}
