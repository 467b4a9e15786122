"""Sign-in and roles in the running app (AppTest): local mode, the sign-in screen, refusals, who the ledger names.

A signed-in person is simulated the way Streamlit's own test harness does it: `AppTest.secrets` holds an [auth]
section and `AppTest.user` the claims of the ID token. No test hook exists in the app itself.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.store import ledger
from tests.apptest import APP, DEFAULT_PAGE, shown
from ui.navigation import page_entry

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-that-is-long-enough",
    "client_id": "insights",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = "email,role\nviewer@example.org,viewer\navery@example.org,analyst\nlee@example.org,admin\n"
GOOD = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\nSolace,2025-12-31,530,41\n"


def open_app(
    monkeypatch,
    data_dir: Path,
    page: str = DEFAULT_PAGE,
    email: str | None = None,
    auth: dict | None = AUTH,
    environment: dict[str, str] | None = None,
) -> AppTest:
    """The app at /<page>, as `email` signed in (None: nobody), with sign-in configured unless auth is None."""
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(data_dir))
    for name, value in (environment or {}).items():
        monkeypatch.setenv(name, value)
    (data_dir / "store").mkdir(exist_ok=True)
    (data_dir / "store" / "roles.csv").write_text(ROLES)
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    if auth is not None:
        app.secrets["auth"] = auth
        app.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email, "name": email}
    if page != DEFAULT_PAGE:
        app.switch_page(page_entry(page).script)
    return app.run()


def texts(elements) -> str:
    return "\n".join(shown(element.value) for element in elements)


def test_local_mode_says_so_on_every_page(monkeypatch, tiny_data_dir):
    for page in ("overview", "membership", "upload"):
        app = open_app(monkeypatch, tiny_data_dir, page, auth=None)
        assert not app.exception
        assert "**Local mode:** sign-in is not configured; you have every role." in texts(app.sidebar.info)


def test_required_sign_in_without_configuration_keeps_the_app_closed(monkeypatch, tiny_data_dir):
    for page in ("overview", "upload"):
        app = open_app(monkeypatch, tiny_data_dir, page, auth=None, environment={"AFFILIATE_REQUIRE_SIGN_IN": "true"})
        assert not app.exception
        assert "requires sign-in" in app.error[0].value
        assert not app.metric and not app.get("file_uploader")


def test_a_half_configured_sign_in_keeps_the_app_closed(monkeypatch, tiny_data_dir):
    app = open_app(monkeypatch, tiny_data_dir, auth={k: v for k, v in AUTH.items() if k != "cookie_secret"})
    assert "only partly configured" in app.error[0].value
    assert "[auth] has no cookie_secret" in app.error[0].value


def test_nobody_signed_in_sees_only_the_sign_in_screen(monkeypatch, tiny_data_dir):
    for page in ("overview", "upload"):
        app = open_app(monkeypatch, tiny_data_dir, page)
        assert not app.exception
        assert [button.label for button in app.button] == ["Sign in"]
        assert not app.metric and not app.get("file_uploader") and not app.dataframe


def test_someone_with_no_role_is_told_politely(monkeypatch, tiny_data_dir):
    app = open_app(monkeypatch, tiny_data_dir, email="stranger@example.com")
    assert "do not hold a role" in shown(app.warning[0].value)
    assert not app.metric
    opened = open_app(
        monkeypatch, tiny_data_dir, email="stranger@example.com", environment={"AFFILIATE_UNLISTED_ROLE": "viewer"}
    )
    assert not opened.warning and opened.metric


def test_a_viewer_sees_the_dashboard_and_who_they_are(monkeypatch, tiny_data_dir):
    app = open_app(monkeypatch, tiny_data_dir, email="viewer@example.org")
    assert not app.exception
    assert app.metric
    assert "Signed in as" in texts(app.sidebar.caption) and "viewer" in texts(app.sidebar.caption)
    assert "Local mode" not in texts(app.sidebar.info)


def test_a_viewer_who_opens_the_upload_page_is_refused_and_nothing_is_written(monkeypatch, tiny_data_dir):
    app = open_app(monkeypatch, tiny_data_dir, "upload", email="viewer@example.org")
    assert not app.exception
    assert "viewer@example.org may not upload data" in shown(app.warning[0].value)
    assert not app.get("file_uploader")
    assert not [button for button in app.button if button.key in ("upload_commit", "upload_undo")]
    assert not app.dataframe  # not even the ledger
    assert ledger.batches(tiny_data_dir).empty


def test_an_analyst_uploads_and_the_ledger_names_their_email(monkeypatch, tiny_data_dir):
    app = open_app(monkeypatch, tiny_data_dir, "upload", email="avery@example.org")
    assert not app.exception
    app.file_uploader(key="upload_file").set_value(("members.csv", GOOD, "text/csv"))
    app = app.run()
    assert not app.get("text_input")  # no name to type: the identity is the signed-in one
    assert "committed by avery@example.org" in texts(app.caption)
    app.button(key="upload_commit").click()
    app = app.run()
    assert "committed batch" in app.success[0].value
    assert ledger.batches(tiny_data_dir).iloc[0]["committed_by"] == "avery@example.org"
    assert "avery@example.org" in app.dataframe[-1].value["By"].tolist()


def test_only_an_admin_opens_the_roles_page(monkeypatch, tiny_data_dir):
    refused = open_app(monkeypatch, tiny_data_dir, "roles", email="avery@example.org")
    assert "may not see or change who holds which role" in shown(refused.warning[0].value)
    assert not refused.dataframe
    app = open_app(monkeypatch, tiny_data_dir, "roles", email="lee@example.org")
    assert not app.exception
    holders = app.dataframe[0].value
    assert holders.to_dict("records")[0] == {"E-mail": "avery@example.org", "Roles": "analyst"}
    assert len(holders) == 3


def revoke(data_dir: Path, email: str) -> None:
    """The administrator makes the analyst a viewer in the role file, while their page is open."""
    roles = data_dir / "store" / "roles.csv"
    roles.write_text(roles.read_text().replace(f"{email},analyst", f"{email},viewer"))


def test_an_analyst_whose_role_is_revoked_while_the_page_is_open_cannot_commit(monkeypatch, tiny_data_dir):
    app = open_app(monkeypatch, tiny_data_dir, "upload", email="avery@example.org")
    app.file_uploader(key="upload_file").set_value(("members.csv", GOOD, "text/csv"))
    app = app.run()
    assert not app.button(key="upload_commit").disabled
    revoke(tiny_data_dir, "avery@example.org")
    app.button(key="upload_commit").click()
    app = app.run()
    assert not app.exception
    assert "may not upload" in texts(app.warning)  # refused in words, the role named
    assert ledger.batches(tiny_data_dir).empty  # nothing written
    assert not (tiny_data_dir / "store" / "membership").exists()


def test_an_analyst_whose_role_is_revoked_while_the_page_is_open_cannot_undo(monkeypatch, tiny_data_dir):
    app = open_app(monkeypatch, tiny_data_dir, "upload", email="avery@example.org")
    app.file_uploader(key="upload_file").set_value(("members.csv", GOOD, "text/csv"))
    app = app.run()
    app.button(key="upload_commit").click()
    app = app.run()
    assert ledger.batches(tiny_data_dir)["status"].tolist() == ["committed"]
    app.checkbox(key="upload_undo_confirm").check()
    app = app.run()
    revoke(tiny_data_dir, "avery@example.org")
    app.button(key="upload_undo").click()
    app = app.run()
    assert not app.exception
    assert ledger.batches(tiny_data_dir)["status"].tolist() == ["committed"]  # not undone
    assert "may not upload" in texts(app.warning)
