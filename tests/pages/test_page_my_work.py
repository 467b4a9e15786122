"""Liaisons at work in the running app (AppTest), signed in as Streamlit's harness simulates it: a check-in recorded
on the Goals page shows on the Goals page, the Overview and the profile at once and undoes; someone else's goal is
refused with nothing written; an activity on the profile and a comment; My work first for a liaison.

Tiny data: G0001 "Grow dual membership" is Avery Stone's, G0002 "Hold ethics trainings" Morgan Reyes's.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.store import ledger
from analytics.store.reader import Store
from tests.apptest import APP, shown
from tests.pages.test_page_auth import AUTH
from ui.navigation import PAGES, menu_for, page_entry

AS_OF = "2026-11-30"
ROLES = "email,role\navery.stone@example.org,liaison\nmorgan.reyes@example.org,liaison\nlee@example.org,analyst\n"
GOAL_VIEW = {"goals_subject": "One goal", "as_of": AS_OF}


def signed_in(monkeypatch, data_dir, page: str, email: str = "avery.stone@example.org", query: dict | None = None):
    """The app at /<page>?<query> with sign-in configured, as `email` signed in, roles from ROLES."""
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(data_dir))
    roles = data_dir / "roles-liaisons.csv"
    roles.write_text(ROLES)
    monkeypatch.setenv("AFFILIATE_ROLES_FILE", str(roles))
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": True, "email": email, "name": email}
    for name, value in (query or {}).items():
        app.query_params[name] = value
    app.switch_page(page_entry(page).script)  # a liaison's page at / is My work, not DEFAULT_PAGE
    return app.run()


def goal_view(monkeypatch, data_dir, title: str, email: str = "avery.stone@example.org"):
    query = {**GOAL_VIEW, "goals_goal": f"Cal-ICMA — {title}"}
    return signed_in(monkeypatch, data_dir, "goals", email, query)


def button(app, label: str):
    return next(element for element in app.button if element.label == label)


def record_checkin(app, value: str, note: str, on: dt.date = dt.date(2026, 11, 1)):
    app.date_input(key="goals_work_checkin_on").set_value(on)
    app.text_input(key="goals_work_checkin_value").input(value)
    app.text_area(key="goals_work_checkin_narrative").input(note)
    app = button(app, "Check the check-in").click().run()
    assert not app.exception
    return app


def tables(app) -> list:
    return [frame.value for frame in app.dataframe]


def test_a_liaison_records_a_check_in_seen_on_goals_overview_and_profile_at_once_then_undoes_it(
    monkeypatch, tiny_data_dir
):
    app = record_checkin(goal_view(monkeypatch, tiny_data_dir, "Grow dual membership"), "190", "Fall <b>drive</b>")
    assert any("Value: 190" in text.value for text in app.text)
    app = button(app, "Record the check-in").click().run()
    assert any("Check-in recorded (batch" in success.value for success in app.success)
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert (batch["kind"], batch["committed_by"]) == ("goal_checkins", "avery.stone@example.org")

    history = next(frame for frame in tables(app) if "Entry" in frame.columns)
    recorded = history[history["Details"].str.contains("190 members on 2026-11-01", regex=False)]
    assert recorded["Who"].tolist() == ["avery.stone@example.org"]
    assert "Fall <b>drive</b>" in recorded["Details"].iloc[0]  # as typed, shown as text in a table

    overview = signed_in(monkeypatch, tiny_data_dir, "overview", query={"as_of": AS_OF})
    at_risk = next(frame for frame in tables(overview) if "Goal" in frame.columns)
    assert "Grow dual membership" not in at_risk["Goal"].tolist()
    profile = signed_in(monkeypatch, tiny_data_dir, "affiliate", query={"id": "state-ca", "as_of": AS_OF})
    goals = next(frame for frame in tables(profile) if "Latest" in frame.columns).set_index("Goal")
    assert goals.loc["Grow dual membership", "Latest"] == 190

    app = goal_view(monkeypatch, tiny_data_dir, "Grow dual membership")
    assert button(app, "Undo it").disabled  # asked first, saying what it undoes
    assert any("stops its 1 goal checkins row(s) counting" in shown(caption.value) for caption in app.caption)
    app.checkbox(key="goals_work_undo_confirm").check()
    app = button(app.run(), "Undo it").click().run()
    assert any("undone" in success.value for success in app.success)
    assert ledger.batches(tiny_data_dir).iloc[0]["status"] == "undone"
    overview = signed_in(monkeypatch, tiny_data_dir, "overview", query={"as_of": AS_OF})
    at_risk = next(frame for frame in tables(overview) if "Goal" in frame.columns)
    assert "Grow dual membership" in at_risk["Goal"].tolist()


def test_a_liaison_is_refused_on_someone_elses_goal_with_nothing_written(monkeypatch, tiny_data_dir):
    app = record_checkin(goal_view(monkeypatch, tiny_data_dir, "Hold ethics trainings"), "8", "Eight held")
    app = button(app, "Record the check-in").click().run()
    assert any("Nothing was recorded" in error.value for error in app.error)
    assert any("G0002 is not one of them" in text.value for text in app.text)
    assert ledger.batches(tiny_data_dir).empty


def test_bad_input_gets_the_uploads_messages_and_no_record_button(monkeypatch, tiny_data_dir):
    app = record_checkin(goal_view(monkeypatch, tiny_data_dir, "Grow dual membership"), "120", "")
    problems = next(frame for frame in tables(app) if "Problem" in frame.columns)
    assert problems["Field"].tolist() == ["Narrative"]
    assert problems["Problem"].iloc[0].startswith("a narrative is needed")
    assert not any(element.label == "Record the check-in" for element in app.button)


def test_an_activity_on_the_profile_and_a_comment_on_a_goal(monkeypatch, tiny_data_dir):
    app = signed_in(monkeypatch, tiny_data_dir, "affiliate", query={"id": "state-ca", "as_of": AS_OF})
    app.text_input(key="affiliate_work_activity_title").input("Spoke at the fall meeting")
    app.date_input(key="affiliate_work_activity_on").set_value(dt.date(2026, 11, 20))
    app = button(app, "Check the activity").click().run()
    app = button(app, "Record the activity").click().run()
    assert any("Activity recorded" in success.value for success in app.success)
    profile = signed_in(monkeypatch, tiny_data_dir, "affiliate", query={"id": "state-ca", "as_of": AS_OF})
    activities = next(frame for frame in tables(profile) if "What" in frame.columns)
    assert "Spoke at the fall meeting" in activities["What"].tolist()

    app = goal_view(monkeypatch, tiny_data_dir, "Grow dual membership", email="morgan.reyes@example.org")
    app.text_area(key="goals_work_comment_text").input("**Nice** work")
    app = button(app, "Check the comment").click().run()
    app = button(app, "Record the comment").click().run()
    assert any("Comment recorded" in success.value for success in app.success)
    assert any(text.value.endswith("\n**Nice** work") for text in app.text)  # as text, never Markdown
    comments = Store(tiny_data_dir).table("goal_comments")
    assert "**Nice** work" in comments["comment"].tolist()


def test_my_work_opens_first_for_a_liaison_with_their_goals(monkeypatch, tiny_data_dir):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    (tiny_data_dir / "roles-liaisons.csv").write_text(ROLES)
    monkeypatch.setenv("AFFILIATE_ROLES_FILE", str(tiny_data_dir / "roles-liaisons.csv"))
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": True, "email": "avery.stone@example.org", "name": "Avery"}
    app.query_params["as_of"] = AS_OF
    app = app.run()  # at the app's own address
    assert not app.exception
    assert app.title[0].value == "My work"
    goals = next(frame for frame in tables(app) if "Check-in due" in frame.columns)
    assert goals["Goal"].tolist() == ["Grow dual membership"]
    affiliates = next(frame for frame in tables(app) if "Agreement liaison" in frame.columns)
    assert set(affiliates["Affiliate"]) == {"Cal-ICMA", "National Forum for Black Public Administrators"}


def test_the_menu_leads_with_my_work_for_a_liaison_only():
    from analytics.auth.roles import Identity, Role

    liaison = Identity(email="a@example.org", name="A", roles=frozenset({Role.VIEWER, Role.LIAISON}))
    analyst = Identity(email="b@example.org", name="B", roles=frozenset({Role.LIAISON, Role.ANALYST}))
    first, is_default = menu_for(liaison)[0]
    assert (first.url_path, is_default) == ("my_work", True)
    assert [entry.url_path for entry, default in menu_for(analyst) if default] == ["overview"]
    assert [entry.url_path for entry, _ in menu_for(analyst)] == [entry.url_path for entry in PAGES]


def test_a_check_in_far_beyond_its_target_is_recorded_only_once_acknowledged(monkeypatch, tiny_data_dir):
    app = record_checkin(goal_view(monkeypatch, tiny_data_dir, "Grow dual membership"), "900", "Huge drive")
    assert any("far from what is recorded" in warning.value for warning in app.warning)
    assert any("far beyond its target of 200" in shown(text.value) for text in app.markdown)
    assert button(app, "Record the check-in").disabled
    app.checkbox(key="goals_work_checkin_accept_warnings").check()
    app = button(app.run(), "Record the check-in").click().run()
    assert any("Check-in recorded (batch" in success.value for success in app.success)
    assert "far beyond its target of 200" in ledger.batches(tiny_data_dir).iloc[0]["warnings_acknowledged"]
