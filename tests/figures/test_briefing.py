"""The goals view and the briefing pack, on the tiny data folder; plus the two goals.py helpers the page added."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest

from analytics.domain.goals import GoalStatusRules, goal_status, latest_checkins, progress_by_month
from analytics.figures import briefing
from analytics.store.reader import open_store

AS_OF = dt.date(2025, 6, 30)
ALL_SCOPE = {"regions": [], "types": []}


@pytest.fixture
def tiny_tables(tiny_data_dir):
    store = open_store(tiny_data_dir)
    goal_rows = store.query("goals_in_scope", **ALL_SCOPE, as_of=AS_OF)
    all_checkins = store.query("goal_checkins_in_scope", **ALL_SCOPE, as_of=dt.date(2030, 1, 1))
    return goal_rows, all_checkins


@pytest.fixture
def view(tiny_tables):
    goal_rows, all_checkins = tiny_tables
    return briefing.goals_view(goal_rows, all_checkins, AS_OF)


def test_view_statuses_are_goal_status_as_of_the_date(tiny_tables, view):
    goal_rows, all_checkins = tiny_tables
    direct = goal_status(goal_rows, all_checkins, AS_OF).set_index("goal_id")["status"].astype(str)
    shown = view.statuses.set_index("goal_id")["status"].astype(str)
    assert shown.to_dict() == direct.to_dict() == {"G0001": "at_risk", "G0002": "at_risk", "G0003": "off_track"}


def test_view_never_uses_later_checkins(view):
    narratives = view.statuses.set_index("goal_id")["latest_narrative"]
    assert narratives["G0001"] == "Joint webinar brought new members"  # not the 2026-03-31 one
    assert pd.isna(narratives["G0003"])  # its only check-in came in 2026
    assert view.portfolio["month_end"].max() == pd.Timestamp(AS_OF)


def test_month_ends_until_counts_back_from_the_last_month_end_on_or_before_the_date():
    assert briefing.month_ends_until(dt.date(2025, 6, 30), 3) == list(
        pd.to_datetime(["2025-04-30", "2025-05-31", "2025-06-30"])
    )
    assert briefing.month_ends_until(dt.date(2025, 6, 15), 1) == [pd.Timestamp("2025-05-31")]


def test_at_risk_table_is_worst_first_with_narrative_and_liaison(view):
    table = briefing.at_risk_table(view.statuses)
    assert table["Goal id"].tolist()[0] == "G0003"  # off track before at risk
    assert set(table["Goal id"]) == {"G0001", "G0002", "G0003"}
    first_goal = table.set_index("Goal id").loc["G0001"]
    assert first_goal["Latest narrative"] == "Joint webinar brought new members"
    assert first_goal["Liaison"] == "Avery Stone"
    assert "at risk" in first_goal["Why"]


def test_status_by_area_counts_every_goal_once(view):
    table = briefing.status_by_area(view.statuses).set_index("Area of emphasis")
    assert table["Goals"].sum() == 3
    assert table.loc["Ethics", "Goals at risk"] == 1
    assert table.loc["Membership Development, Engagement, and Support", "Goals off track"] == 1
    assert table.loc["Membership Development, Engagement, and Support", "Stale goals"] == 1


def test_matrix_table_says_the_counts_in_words(view):
    matrix = briefing.matrix_table(view.statuses, "affiliate_type").set_index("Area of emphasis")
    assert matrix.loc["Membership Development, Engagement, and Support", "international"] == "1 off track"
    assert matrix.loc["Membership Development, Engagement, and Support", "state"] == "1 at risk"
    assert matrix.loc["Ethics", "international"] == "–"


def test_rules_change_statuses(tiny_tables):
    goal_rows, all_checkins = tiny_tables
    lenient = briefing.goals_view(goal_rows, all_checkins, AS_OF, GoalStatusRules(0.5, 0.2))
    assert lenient.statuses.set_index("goal_id")["status"].astype(str)["G0001"] == "on_track"
    assert "at risk below 50%" in briefing.rules_text(lenient.rules)


def test_briefing_html_is_self_contained_and_as_of_the_date(view):
    page = briefing.briefing_html(view, "All affiliates in every region", note="Sample data.").decode("utf-8")
    assert "as of 2025-06-30" in page.lower()
    for title in ("Grow dual membership", "Hold ethics trainings", "Cut member lapse rate"):
        assert title in page
    assert "Avery Stone" in page and "Joint webinar brought new members" in page
    # plotly.js is inline: no script has a src, and outside the scripts' code (plotly.js itself mentions
    # map-tile and logo URLs it never fetches for these charts) no element loads anything from a URL.
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.IGNORECASE | re.DOTALL)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", markup, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", markup, re.IGNORECASE)
    assert page.count("Plotly.newPlot") == 2
    assert page.count("<script") >= 2


def test_briefing_html_escapes_text(tiny_tables):
    goal_rows, all_checkins = tiny_tables
    goal_rows = goal_rows.assign(title=goal_rows["title"].where(goal_rows["goal_id"] != "G0001", "<b>x</b> & y"))
    page = briefing.briefing_html(briefing.goals_view(goal_rows, all_checkins, AS_OF), "<scope>").decode()
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt; &amp; y" in page
    assert "&lt;scope&gt;" in page


def test_briefing_workbook_has_the_expected_sheets(view):
    workbook = openpyxl.load_workbook(io.BytesIO(briefing.briefing_workbook(view)))
    assert workbook.sheetnames == ["Status by area", "At-risk list", "Trends"]
    at_risk = workbook["At-risk list"]
    header = [cell.value for cell in at_risk[1]]
    assert {"Goal", "Status", "Why", "Latest narrative", "Liaison"} <= set(header)
    assert at_risk.max_row == 1 + 3
    trends = workbook["Trends"]
    assert trends.max_row == 1 + 24 * 2  # two areas, 24 month ends


def test_empty_scope_is_an_empty_view_not_an_error(tiny_tables):
    goal_rows, all_checkins = tiny_tables
    empty = briefing.goals_view(goal_rows.iloc[0:0], all_checkins.iloc[0:0], AS_OF)
    assert empty.statuses.empty
    assert briefing.at_risk_table(empty.statuses).empty
    assert "No goal is at risk" in briefing.briefing_html(empty, "nothing").decode()
    openpyxl.load_workbook(io.BytesIO(briefing.briefing_workbook(empty)))


# --- goals.latest_checkins and goals.progress_by_month (added to goals.py for this page) --------------


def test_latest_checkins_keeps_the_last_reported_per_goal(tiny_tables):
    _, all_checkins = tiny_tables
    latest = latest_checkins(all_checkins).set_index("goal_id")
    assert latest.loc["G0001", "narrative"] == "Annual conference drive"
    assert len(latest) == 3


def test_progress_by_month_averages_started_goals_and_caps_overshoot():
    goals = pd.DataFrame(
        {
            "goal_id": ["A", "B"],
            "direction": ["increase", "decrease"],
            "baseline_value": [0.0, 10.0],
            "target_value": [100.0, 0.0],
            "start_on": pd.to_datetime(["2025-01-01", "2025-02-01"]),
            "due_on": pd.to_datetime(["2025-12-31", "2025-12-31"]),
            "reporting_interval_months": [3, 3],
        }
    )
    checkins = pd.DataFrame(
        {"goal_id": ["A", "B"], "reported_on": pd.to_datetime(["2025-01-20", "2025-02-20"]), "value": [150.0, 5.0]}
    )
    progress = progress_by_month(goals, checkins, [dt.date(2025, 1, 31), dt.date(2025, 2, 28)])
    january, february = progress.to_dict("records")
    assert january["count_goals_started"] == 1
    assert january["mean_actual_pct"] == 1.0  # 150% of the way counts as 100%
    assert february["count_goals_started"] == 2
    assert february["mean_actual_pct"] == pytest.approx((1.0 + 0.5) / 2)
    assert february["count_on_track"] == 2
