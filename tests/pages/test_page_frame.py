"""The page frame (ui/page.py): every page opens with it, and an AnalyticsError anywhere in a page is shown once.

Pages are taken from the app's navigation (ui.navigation.PAGES). The upload page keeps its own messages for
upload problems, and the roles page is for administrators only, so both are left to their own tests here.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import run_page, shown
from ui.navigation import PAGES

DATA_PAGES = [entry for entry in PAGES if entry.url_path not in ("upload", "roles")]
QUERIES = {"affiliate": {"id": "state-ca"}}


def last_element(app: AppTest):
    return list(app.main)[-1]


@pytest.mark.parametrize("entry", DATA_PAGES, ids=lambda entry: entry.url_path)
def test_a_missing_table_is_a_message_under_the_title_and_the_page_stops(monkeypatch, tiny_data_dir, entry):
    (tiny_data_dir / "activities.csv").unlink()
    app = run_page(monkeypatch, tiny_data_dir, entry.url_path, QUERIES.get(entry.url_path))
    assert not app.exception
    assert len(app.error) == 1
    assert "activities" in app.error[0].value
    assert [title.value for title in app.title] == [entry.title]
    assert type(last_element(app)).__name__ == "Error"  # nothing after the message
    assert not app.metric and not app.get("plotly_chart")


@pytest.mark.parametrize("entry", DATA_PAGES, ids=lambda entry: entry.url_path)
def test_a_broken_folder_lists_its_problems_and_the_page_stops(monkeypatch, tiny_data_dir, entry):
    path = tiny_data_dir / "goal_checkins.csv"
    path.write_text(path.read_text().replace("2026-03-31", "31/03/2026"))
    app = run_page(monkeypatch, tiny_data_dir, entry.url_path, QUERIES.get(entry.url_path))
    assert not app.exception
    assert [error.value for error in app.error] == [app.error[0].value]
    assert "problem" in app.error[0].value
    problems = app.dataframe[-1].value
    assert problems.iloc[0][["file", "row", "column"]].tolist() == ["goal_checkins.csv", 3, "reported_on"]
    assert type(last_element(app)).__name__ == "Dataframe"  # nothing after the problems


@pytest.mark.parametrize("entry", DATA_PAGES, ids=lambda entry: entry.url_path)
def test_every_page_opens_with_the_frame(monkeypatch, tiny_data_dir, entry):
    app = run_page(
        monkeypatch, tiny_data_dir, entry.url_path, {"as_of": "2026-11-27", **QUERIES.get(entry.url_path, {})}
    )
    assert not app.exception
    assert app.title
    assert any(caption.value.startswith("ℹ️ **Sample data.**") for caption in app.caption)
    if entry.url_path != "affiliate":  # the profile says its date in its own words
        assert any("as of 2026-11-27" in caption.value for caption in app.caption)


def frame_page_that_fails(failure: str) -> None:
    """A page in the frame that draws a line, fails as told, and draws another line (AppTest.from_function)."""
    import streamlit as st

    from analytics.core.errors import AnalyticsError
    from ui.page import page_frame, run_page

    def page() -> None:
        page_frame("A page")
        st.write("before")
        if failure == "analytics":
            raise AnalyticsError("The data folder has no events table.")
        if failure == "bug":
            raise ZeroDivisionError("a bug")
        st.write("after")

    run_page(st.navigation([st.Page(page, title="A page")]))


def run_failing(failure: str) -> AppTest:
    return AppTest.from_function(frame_page_that_fails, args=(failure,), default_timeout=30).run()


def markdown_texts(app: AppTest) -> list[str]:
    return [element.value for element in app.markdown]


def test_an_analytics_error_is_shown_once_in_words_and_stops_the_run():
    app = run_failing("analytics")
    assert not app.exception  # no traceback
    assert [shown(error.value) for error in app.error] == ["The data folder has no events table."]
    assert "before" in markdown_texts(app)
    assert "after" not in markdown_texts(app)
    assert [title.value for title in app.title] == ["A page"]  # once: the frame's, not a second one


def test_anything_else_is_raised_as_it_is():
    app = run_failing("bug")
    assert app.exception  # raised, not turned into a message of the app's own
    assert not app.error
    # and shown to the user without its details (client.showErrorDetails = "none" in .streamlit/config.toml):
    # the traceback and the exception's type and message go to the server's log only
    assert "ZeroDivisionError" not in app.exception[0].message + "\n".join(app.exception[0].stack_trace)
    assert "redacted" in app.exception[0].message


def test_a_page_that_runs_through_draws_everything():
    app = run_failing("none")
    assert not app.exception and not app.error
    assert markdown_texts(app)[-2:] == ["before", "after"]
