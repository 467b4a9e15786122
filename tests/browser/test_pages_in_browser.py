"""Every page, opened from a fresh server in headless Chromium: drawn, no error, nothing fetched from elsewhere."""

from __future__ import annotations

import pytest

# (url path, whether the page draws a plotly chart); pages add themselves here as they land.
PAGES = [
    ("/", True),
    ("/overview", True),
    ("/goals", True),
    ("/coverage", True),
    ("/affiliate?id=state-ca", True),
    ("/calendar", True),
    ("/membership", True),
    ("/upload", False),
    ("/roles", False),
]


@pytest.mark.parametrize(("path", "has_chart"), PAGES)
def test_page_draws_without_errors_or_external_requests(browser_page, path, has_chart):
    browser_page.open(path, wait_for_chart=has_chart)
    name = path.strip("/") or "home"
    browser_page.screenshot(f"page-{name}")
    assert browser_page.streamlit_errors() == []
    assert browser_page.page_errors == []
    assert browser_page.external_requests == []
    if has_chart:
        assert browser_page.page.locator(".js-plotly-plot .main-svg").count() > 0


def test_deep_link_keeps_filters_from_the_url(browser_page):
    browser_page.open("/overview?region=International&as_of=2023-10-01")
    text = browser_page.page.inner_text("[data-testid=stMain]")
    assert "as of 2023-10-01" in text
    assert "International" in text
