"""The Goals page, run by AppTest with the as-of date and its own choices taken from the URL."""

from __future__ import annotations

import datetime as dt

from analytics.domain.goals import STATUSES, goal_status
from analytics.store.reader import open_store
from tests.apptest import metric_values, run_page, shown

AS_OF = "2025-06-30"


def frame_with(app, column):
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def matrix_of(app):
    """The status matrix: the table whose first column is the area of emphasis."""
    return next(frame.value for frame in app.dataframe if frame.value.columns[0] == "Area of emphasis")


def goal_list(app):
    """The last table with a Goal id column: the goal list under the matrix (the at-risk list comes first)."""
    return [frame.value for frame in app.dataframe if "Goal id" in frame.value.columns][-1]


def test_statuses_are_those_of_the_as_of_date_in_the_url(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query={"as_of": AS_OF})
    assert not app.exception
    store = open_store(tiny_data_dir)
    goals = store.table("goals")
    direct = goal_status(goals, store.table("goal_checkins"), dt.date(2025, 6, 30))
    expected = dict(zip(direct["goal_id"], direct["status"].astype(str).str.replace("_", " "), strict=True))
    shown = goal_list(app)
    assert dict(zip(shown["Goal id"], shown["Status"], strict=True)) == expected
    assert expected == {"G0001": "at risk", "G0002": "at risk", "G0003": "off track"}
    metrics = metric_values(app)
    assert (metrics["Goals"], metrics["At risk"], metrics["Off track"], metrics["Stale"]) == ("3", "2", "1", "1")
    assert any("as of 2025-06-30" in caption.value for caption in app.caption)


def test_page_shows_the_matrix_and_the_at_risk_list(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query={"as_of": AS_OF})
    matrix = matrix_of(app).set_index("Area of emphasis")
    assert list(matrix.columns) == ["international", "state"]
    assert matrix.loc["Membership Development, Engagement, and Support", "state"] == "1 at risk"
    at_risk = next(frame.value for frame in app.dataframe if "Goal id" in frame.value.columns)
    assert at_risk["Goal id"].tolist()[0] == "G0003"
    assert set(at_risk["Liaison"]) == {"Avery Stone", "Jordan Lee"}
    assert any(button.label == "Briefing as HTML" for button in app.get("download_button"))


def test_later_checkins_change_the_statuses(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query={"as_of": "2026-06-30"})
    shown = goal_list(app).set_index("Goal id")
    assert shown.loc["G0003", "Status"] == "achieved"  # the 2026-06-30 check-in reached 7.5 <= 8


def test_matrix_columns_and_goal_filters_come_from_the_url(monkeypatch, tiny_data_dir):
    query = {"as_of": AS_OF, "goals_matrix_by": "ICMA region", "goals_area": "Ethics"}
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query=query)
    assert not app.exception
    matrix = matrix_of(app)
    assert list(matrix.columns) == ["Area of emphasis", "International", "West Coast"]
    assert goal_list(app)["Goal id"].tolist() == ["G0002"]


def test_thresholds_come_from_the_url_and_are_shown(monkeypatch, tiny_data_dir):
    query = {"as_of": AS_OF, "goals_at_risk_below": "50", "goals_off_track_below": "20"}
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query=query)
    assert goal_list(app).set_index("Goal id").loc["G0001", "Status"] == "on track"
    assert any("at risk below 50%" in caption.value for caption in app.caption)


def test_inconsistent_thresholds_are_a_clear_error(monkeypatch, tiny_data_dir):
    query = {"as_of": AS_OF, "goals_at_risk_below": "50", "goals_off_track_below": "80"}
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query=query)
    assert not app.exception
    message = shown(app.error[0].value)
    assert "“Off track below” is 80% but “At risk below” is 50%" in message
    assert "in the sidebar" in message


def test_progress_of_one_goal_shows_its_checkins(monkeypatch, tiny_data_dir):
    query = {"as_of": "2026-06-30", "goals_subject": "One goal"}
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query=query)
    assert not app.exception
    checkins = frame_with(app, "Narrative")
    assert len(checkins) == 1 and len(app.get("plotly_chart")) == 2


def test_no_goal_in_scope_is_a_friendly_message(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query={"region": "Southeast"})
    assert not app.exception
    assert "No goal matches" in app.info[0].value


def test_each_count_lists_the_goals_it_counts(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, page="goals", query={"as_of": AS_OF, "goals_status": "overdue"})
    metrics = metric_values(app)
    for key, card, status in (
        ("goals_card_at_risk", "At risk", "at risk"),
        ("goals_card_off_track", "Off track", "off track"),
    ):
        app.button(key=key).click().run()
        shown = goal_list(app)
        assert len(shown) == int(metrics[card])
        assert set(shown["Status"]) == {status}
    app.button(key="goals_card_stale").click().run()
    assert len(goal_list(app)) == int(metrics["Stale"])
    app.button(key="goals_card_all").click().run()
    assert len(goal_list(app)) == int(metrics["Goals"])


def test_a_long_goal_list_shows_its_worst_rows_first_and_says_how_many_more(monkeypatch, bundled_data_dir):
    as_of = dt.date(2026, 6, 30)
    app = run_page(monkeypatch, bundled_data_dir, page="goals", query={"as_of": as_of.isoformat()})
    assert not app.exception
    store = open_store(bundled_data_dir)
    statuses = goal_status(store.table("goals"), store.table("goal_checkins"), as_of)
    assert len(statuses) > 200  # the bundled data holds more goals than a table shows
    shown_rows = goal_list(app)
    assert len(shown_rows) == 200
    assert shown_rows.columns[:3].tolist() == ["Affiliate", "Status", "Stale"]  # in view on a phone
    caption = f"{len(statuses):,} of {len(statuses):,} goals. The first 200 are shown; the download holds them all."
    assert caption in [element.value for element in app.caption]
    # Worst first: every goal of a status worse than the last one shown is among the rows shown.
    order = [status.replace("_", " ") for status in STATUSES]
    last = max(order.index(status) for status in shown_rows["Status"])
    worse = statuses.loc[statuses["status"].astype(str).map(lambda status: STATUSES.index(status) < last), "goal_id"]
    assert set(worse) <= set(shown_rows["Goal id"])
    assert list(shown_rows["Status"].map(order.index)) == sorted(shown_rows["Status"].map(order.index))
