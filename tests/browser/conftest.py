"""Browser tests: a fresh Streamlit server per test module, driven by Debian's chromium via Playwright.

Every request that leaves the app's own address is blocked and recorded, so a test can assert that
the page works offline. Screenshots go to tests/artifacts/ (kept by CI as test artifacts).

Without chromium the tests are skipped, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    data_dir: Path


def start_server(data_dir: Path, extra_env: dict[str, str] | None = None) -> Server:
    """A fresh `streamlit run app.py` on a free loopback port, ready to serve."""
    port = _free_port()
    env = {**os.environ, "AFFILIATE_DATA_DIR": str(data_dir), **(extra_env or {})}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"streamlit exited early:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return Server(url, process, data_dir)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A fresh server on the bundled data, for the tests of one module."""
    _require_browser()
    running = start_server(ROOT / "data")
    yield running
    stop_server(running)


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
            self.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout_ms)
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
