"""Browser tests: a fresh Streamlit server per test module, driven by Debian's chromium via Playwright.

Every request that leaves the app's own address is blocked and recorded, so a test can assert that
the page works offline. Screenshots go to tests/artifacts/ (kept by CI as test artifacts).

Without chromium the tests are skipped, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.server import CHROMIUM, CHROMIUM_ARGS, Server, start_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _require_browser() -> None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("playwright is not installed (pip install -r requirements-dev.txt)")
    if not CHROMIUM:
        _missing("chromium is not installed (apt-get install chromium)")


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A fresh server on the bundled data, for the tests of one module."""
    _require_browser()
    running = start_server(ROOT / "data")
    yield running
    running.stop()


@dataclass
class BrowserPage:
    """A Playwright page plus what it tried to fetch from elsewhere and what went wrong in it."""

    page: object
    base_url: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def open(self, path: str, wait_for_chart: bool = True, timeout_ms: int = 30_000) -> None:
        """Go to `path`, wait for the script to finish (and for a plotly chart to draw, if asked)."""
        self.page.goto(f"{self.base_url}{path}", wait_until="domcontentloaded", timeout=timeout_ms)
        self.page.wait_for_selector("[data-testid=stApp]", timeout=timeout_ms)
        if wait_for_chart:
            self.page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=timeout_ms)
        self.wait_until_idle(timeout_ms)

    def wait_until_idle(self, timeout_ms: int = 30_000) -> None:
        self.page.wait_for_timeout(300)
        self.page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=timeout_ms)
        self.page.wait_for_timeout(500)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def streamlit_errors(self) -> list[str]:
        """Texts of st.error / st.exception elements on the page."""
        return [
            element.inner_text()
            for element in self.page.query_selector_all("[data-testid=stException], [data-testid=stAlertContentError]")
        ]


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser, server) -> Iterator[BrowserPage]:
    """A new page in a 1400x1000 window; requests to any other address are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    recorded = BrowserPage(page, server.url)

    def route(route_request) -> None:
        url = route_request.request.url
        if url.startswith(server.url) or url.startswith(("data:", "blob:", "about:")):
            route_request.continue_()
        else:
            recorded.external_requests.append(url)
            route_request.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and recorded.console_errors.append(message.text))
    page.on("pageerror", lambda error: recorded.page_errors.append(str(error)))
    yield recorded
    context.close()
