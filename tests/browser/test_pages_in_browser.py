"""Every page, opened from a fresh server in headless Chromium: drawn, no error, nothing fetched from elsewhere."""

from __future__ import annotations

import pytest

from bench.pages import discover_pages

# The pages that draw no plotly chart; every other page of the navigation must draw one.
WITHOUT_CHARTS = {"upload", "roles", "my_work"}
# Every page of the app's navigation, by the address a person opens, and the app's own address.
PAGES = [("/", True), *((page.browser_path, page.url_path not in WITHOUT_CHARTS) for page in discover_pages())]


def test_the_pages_without_charts_are_pages_of_the_app():
    assert WITHOUT_CHARTS.issubset(page.url_path for page in discover_pages())


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
