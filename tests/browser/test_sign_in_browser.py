"""A real sign-in in Chromium: an OpenID Connect provider on loopback, Streamlit's st.login, roles on the server.

The server runs with sign-in required and its own secrets file (--secrets.files through STREAMLIT_SECRETS_FILES,
never the repo's .streamlit/). The viewer gets the role from a group claim of the ID token, the analyst
and the liaison from the role file (the liaison is Avery Stone of the tiny data, owner of goal G0001).
Requests to any address other than the app and the provider are blocked and recorded.
"""

from __future__ import annotations

import re
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
LIAISON = "avery.stone@example.org"
USERS = {
    VIEWER: {"name": "Vera Viewer", "groups": ["international-committee"]},
    ANALYST: {"name": "Avery Analyst", "groups": []},
    LIAISON: {"name": "Avery Stone", "groups": []},
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
    (data_dir / "store" / "roles.csv").write_text(f"email,role\n{ANALYST},analyst\n{LIAISON},liaison\n")
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


def as_shown(text: str) -> re.Pattern:
    """`text` as a page shows text from data: an address's "@" comes after a word joiner (ui.text.literal), so
    that Markdown does not make a link of it."""
    return re.compile(re.escape(text).replace("@", "\u2060?@"))


def test_a_viewer_signs_in_sees_the_dashboard_and_cannot_upload(new_browser_page, signed_in_server, provider):
    browser_page = new_browser_page()
    sign_in(browser_page, provider, VIEWER)
    page = browser_page.page
    page.get_by_text(as_shown(f"({VIEWER})")).wait_for(timeout=30_000)
    navigation = page.locator("[data-testid=stSidebarNav]").inner_text()
    assert "Overview" in navigation and "Upload data" not in navigation and "Roles" not in navigation
    browser_page.screenshot("sign-in-viewer-overview")

    browser_page.open("/upload", wait_for_chart=False)
    page.get_by_text(as_shown(f"{VIEWER} may not upload data")).wait_for(timeout=30_000)
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


GOAL_VIEW = "/goals?goals_subject=One+goal&goals_goal=Cal-ICMA+%E2%80%94+"


def record_checkin_in_browser(browser_page: BrowserPage, goal_title: str, value: str, note: str) -> None:
    """On the Goals page's view of one goal: fill "Record a check-in", check it, and press "Record the check-in"."""
    page = browser_page.page
    browser_page.open(GOAL_VIEW + goal_title.replace(" ", "+"), wait_for_chart=False)
    value_box = page.get_by_role("textbox", name="Value (")
    try:
        value_box.wait_for(timeout=90_000)
    except Exception:
        browser_page.screenshot("liaison-goal-view-not-drawn")
        raise
    browser_page.wait_until_idle(timeout_ms=90_000)
    value_box.fill(value)
    page.get_by_label("Narrative: what happened").fill(note)
    page.get_by_role("button", name="Check the check-in").click()
    page.get_by_role("button", name="Record the check-in").wait_for(timeout=30_000)
    browser_page.wait_until_idle()
    page.get_by_role("button", name="Record the check-in").click()
    browser_page.wait_until_idle()


def on_track_share(browser_page: BrowserPage) -> str:
    browser_page.open("/overview", wait_for_chart=False)
    card = browser_page.page.locator("[data-testid=stMetric]", has_text="Goals on track")
    card.wait_for(timeout=90_000)
    browser_page.wait_until_idle(timeout_ms=90_000)
    return card.locator("[data-testid=stMetricValue]").inner_text()


def test_a_liaison_records_a_check_in_sees_it_everywhere_undoes_it_and_is_refused_elsewhere(
    new_browser_page, signed_in_server, provider
):
    browser_page = new_browser_page()
    sign_in(browser_page, provider, LIAISON)
    page = browser_page.page
    page.get_by_role("heading", name="My work").wait_for(timeout=30_000)  # their page at the app's own address
    navigation = page.locator("[data-testid=stSidebarNav]").inner_text()
    assert navigation.index("My work") < navigation.index("Overview") and "Upload data" not in navigation
    before = on_track_share(browser_page)

    record_checkin_in_browser(browser_page, "Grow dual membership", "195", "Fall membership drive")
    page.get_by_text("Check-in recorded (batch").wait_for(timeout=30_000)
    browser_page.screenshot("liaison-checkin-recorded")
    batch = ledger.batches(signed_in_server.data_dir).iloc[0]
    assert (batch["kind"], batch["committed_by"], batch["status"]) == ("goal_checkins", LIAISON, "committed")
    goal_caption = page.locator("[data-testid=stCaptionContainer]", has_text="reported 95%")  # the goal's status
    goal_caption.wait_for(timeout=30_000)

    after = on_track_share(browser_page)
    assert after != before
    browser_page.open("/affiliate?id=state-ca", wait_for_chart=False)
    browser_page.page.get_by_text("Record an activity with this affiliate").wait_for(timeout=30_000)
    latest = browser_page.page.locator("td[role=gridcell]", has_text="195")  # the goals table's "Latest" cell
    latest.first.wait_for(state="attached", timeout=30_000)

    browser_page.open("/", wait_for_chart=False)  # a liaison's My work is the page at / (Streamlit's default page)
    page.get_by_role("heading", name="My records").wait_for(timeout=30_000)
    browser_page.wait_until_idle()
    browser_page.screenshot("liaison-my-work")
    page.locator("label", has_text="Yes, undo this record").last.click()  # undo asks for confirmation first
    page.get_by_role("button", name="Undo it").last.click()
    page.get_by_text("undone: it no longer counts").wait_for(timeout=30_000)
    assert ledger.batches(signed_in_server.data_dir).iloc[0]["status"] == "undone"
    assert on_track_share(browser_page) == before

    written = len(ledger.batches(signed_in_server.data_dir))
    record_checkin_in_browser(browser_page, "Hold ethics trainings", "8", "Eight trainings held")
    page.get_by_text("Nothing was recorded:").wait_for(timeout=30_000)
    page.get_by_text("G0002 is not one of them").wait_for(timeout=30_000)
    browser_page.screenshot("liaison-refused-on-another-goal")
    assert len(ledger.batches(signed_in_server.data_dir)) == written  # nothing written
    assert browser_page.external_requests == []
    assert browser_page.page_errors == []
