"""A real sign-in in Chromium: an OpenID Connect provider on loopback, Streamlit's st.login, roles on the server.

The server runs with sign-in required and its own secrets file (--secrets.files through STREAMLIT_SECRETS_FILES,
never the repo's .streamlit/). The viewer gets the role from a group claim of the ID token, the analyst
from the role file. Requests to any address other than the app and the provider are blocked and recorded.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.store import ledger
from bench.server import start_server
from tests.browser.conftest import BrowserPage, _require_browser
from tests.browser.oidc_provider import OidcProvider
from tests.conftest import write_tiny_data

UPDATE = Path(__file__).resolve().parent / "membership_update.csv"
VIEWER = "vera.viewer@example.org"
ANALYST = "avery.analyst@example.org"
USERS = {
    VIEWER: {"name": "Vera Viewer", "groups": ["international-committee"]},
    ANALYST: {"name": "Avery Analyst", "groups": []},
}


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    running = OidcProvider(USERS).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def signed_in_server(tmp_path_factory, provider):
    _require_browser()
    folder = tmp_path_factory.mktemp("sign_in")
    data_dir = write_tiny_data(folder / "data")
    (data_dir / "store").mkdir()
    (data_dir / "store" / "roles.csv").write_text(f"email,role\n{ANALYST},analyst\n")
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{provider.client_id}"\n'
        f'client_secret = "{provider.client_secret}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
    )
    server = start_server(
        data_dir,
        extra_env={
            "STREAMLIT_SECRETS_FILES": str(secrets_file),
            "AFFILIATE_REQUIRE_SIGN_IN": "true",
            "AFFILIATE_GROUP_ROLES": "international-committee=viewer",
            "NO_PROXY": "127.0.0.1,localhost",
        },
    )
    provider.redirect_uris.add(f"{server.url}/oauth2callback")
    yield server
    server.stop()


@pytest.fixture
def new_browser_page(browser, signed_in_server, provider):
    """A factory of fresh browser contexts (no cookies) that may reach only the app and the provider."""
    contexts = []

    def open_context() -> BrowserPage:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        recorded = BrowserPage(page, signed_in_server.url)

        def route(route_request) -> None:
            url = route_request.request.url
            if url.startswith((signed_in_server.url, provider.issuer, "data:", "blob:", "about:")):
                route_request.continue_()
            else:
                recorded.external_requests.append(url)
                route_request.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda error: recorded.page_errors.append(str(error)))
        return recorded

    yield open_context
    for context in contexts:
        context.close()


def sign_in(browser_page: BrowserPage, provider: OidcProvider, email: str) -> None:
    """From the app's sign-in screen through the provider's page and back, signed in."""
    page = browser_page.page
    browser_page.open("/", wait_for_chart=False)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider.issuer}/authorize**", timeout=30_000)
    page.get_by_role("button", name=f"Sign in as {email}").click()
    page.wait_for_url(f"{browser_page.base_url}/**", timeout=30_000)
    page.get_by_text("Signed in as").wait_for(timeout=30_000)
    browser_page.wait_until_idle()


def test_without_signing_in_only_the_sign_in_screen_shows(new_browser_page):
    browser_page = new_browser_page()
    browser_page.open("/membership", wait_for_chart=False)
    browser_page.page.get_by_role("button", name="Sign in").wait_for()
    assert browser_page.page.get_by_text("Please sign in with your organisation").is_visible()
    assert not browser_page.page.query_selector("[data-testid=stMetric]")
    browser_page.screenshot("sign-in-screen")
    assert browser_page.external_requests == []


def test_a_viewer_signs_in_sees_the_dashboard_and_cannot_upload(new_browser_page, signed_in_server, provider):
    browser_page = new_browser_page()
    sign_in(browser_page, provider, VIEWER)
    page = browser_page.page
    page.get_by_text(f"({VIEWER})").wait_for(timeout=30_000)
    navigation = page.locator("[data-testid=stSidebarNav]").inner_text()
    assert "Overview" in navigation and "Upload data" not in navigation and "Roles" not in navigation
    browser_page.screenshot("sign-in-viewer-overview")

    browser_page.open("/upload", wait_for_chart=False)
    page.get_by_text(f"{VIEWER} may not upload data").wait_for(timeout=30_000)
    assert not page.query_selector("[data-testid=stFileUploader]")
    assert not page.get_by_role("button", name="Commit").count()
    browser_page.screenshot("sign-in-viewer-upload-refused")
    assert ledger.batches(signed_in_server.data_dir).empty
    assert browser_page.external_requests == []
    assert browser_page.page_errors == []


def test_an_analyst_signs_in_uploads_and_the_ledger_names_them(new_browser_page, signed_in_server, provider):
    browser_page = new_browser_page()
    sign_in(browser_page, provider, ANALYST)
    page = browser_page.page
    assert "Upload data" in page.locator("[data-testid=stSidebarNav]").inner_text()
    page.locator("[data-testid=stSidebarNav]").get_by_text("Upload data").click()
    page.get_by_text("Upload membership data").wait_for(timeout=30_000)
    browser_page.wait_until_idle()
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(UPDATE))
    page.get_by_text("passed every check").wait_for(timeout=30_000)
    page.get_by_text(f"committed by {ANALYST}").wait_for(timeout=30_000)  # no name to type: the signed-in e-mail
    page.get_by_role("button", name="Commit").click()
    page.get_by_text("committed batch").wait_for(timeout=30_000)
    browser_page.wait_until_idle()
    browser_page.screenshot("sign-in-analyst-committed")

    batch = ledger.batches(signed_in_server.data_dir).iloc[0]
    assert (batch["committed_by"], batch["rows_loaded"], batch["file_name"]) == (ANALYST, 2, UPDATE.name)
    assert browser_page.external_requests == []
    assert browser_page.page_errors == []
