"""Goal figures: what each trace shows, hover narratives, event markers, and a note when empty."""

from __future__ import annotations

import pandas as pd

from analytics.figures.goal_charts import goal_progress_chart, group_progress_chart, portfolio_chart

GOAL = {
    "title": "Grow dual membership",
    "unit": "members",
    "baseline_value": 100.0,
    "target_value": 200.0,
    "start_on": pd.Timestamp("2024-01-01"),
    "due_on": pd.Timestamp("2027-12-31"),
}
CHECKINS = pd.DataFrame(
    {
        "goal_id": ["G1", "G1"],
        "reported_on": pd.to_datetime(["2025-03-31", "2025-03-05"]),
        "value": [130.0, 120.0],
        "narrative": ["Joint webinar brought new members", None],
    }
)
EXPECTED = pd.DataFrame(
    {
        "as_of": pd.to_datetime(["2024-01-01", "2027-12-31"]),
        "expected_pct": [0.0, 1.0],
        "expected_value": [100.0, 200.0],
    }
)
EVENTS = pd.DataFrame({"start_on": pd.to_datetime(["2025-02-10"]), "name": ["Cal-ICMA Annual Conference"]})


def traces(figure):
    return {trace.name: trace for trace in figure.data}


def test_goal_progress_shows_reported_expected_target_and_events():
    figure = goal_progress_chart(GOAL, CHECKINS, EXPECTED, EVENTS)
    shown = traces(figure)
    assert set(shown) == {"Expected path", "Reported", "Events of the affiliate"}
    assert list(shown["Reported"].x) == list(pd.to_datetime(["2025-03-05", "2025-03-31"]))  # in date order
    assert [row[0] for row in shown["Reported"].customdata] == ["(no narrative)", "Joint webinar brought new members"]
    assert shown["Events of the affiliate"].customdata[0][0] == "Cal-ICMA Annual Conference"
    target_lines = [shape for shape in figure.layout.shapes if shape.y0 == 200.0 and shape.y1 == 200.0]
    assert len(target_lines) == 1
    assert any("target 200 members" in annotation.text for annotation in figure.layout.annotations)


def test_goal_without_checkins_says_so():
    figure = goal_progress_chart(GOAL, CHECKINS.iloc[0:0], EXPECTED, EVENTS.iloc[0:0])
    assert set(traces(figure)) == {"Expected path"}
    assert any("No check-in" in annotation.text for annotation in figure.layout.annotations)


def test_portfolio_has_one_line_per_area_in_percent_with_its_own_dash():
    portfolio = pd.DataFrame(
        {
            "month_end": pd.to_datetime(["2025-01-31", "2025-02-28"] * 2),
            "area_of_emphasis": ["Ethics", "Ethics", "ICMA Governance", "ICMA Governance"],
            "count_goals_started": [2, 2, 0, 4],
            "share_on_track": [0.5, 1.0, None, 0.25],
        }
    )
    figure = portfolio_chart(portfolio)
    shown = traces(figure)
    assert list(shown["Ethics"].y) == [50.0, 100.0]
    assert list(shown["ICMA Governance"].y) == [25.0]  # a month with no started goal is left out
    assert shown["Ethics"].line.dash != shown["ICMA Governance"].line.dash


def test_empty_portfolio_is_a_note():
    figure = portfolio_chart(pd.DataFrame(columns=["month_end", "area_of_emphasis", "share_on_track"]))
    assert not figure.data
    assert "No goal had started" in figure.layout.annotations[0].text


def test_group_progress_puts_the_months_narratives_on_hover():
    progress = pd.DataFrame(
        {
            "month_end": pd.to_datetime(["2025-02-28", "2025-03-31"]),
            "count_goals_started": [2, 2],
            "mean_expected_pct": [0.2, 0.25],
            "mean_actual_pct": [0.1, 0.3],
            "count_on_track": [0, 2],
        }
    )
    figure = group_progress_chart(progress, CHECKINS, EVENTS, "Cal-ICMA")
    shown = traces(figure)
    assert list(shown["Reported (average)"].y) == [10.0, 30.0]
    assert list(shown["Expected path (average)"].y) == [20.0, 25.0]
    hover = [row[1] for row in shown["Reported (average)"].customdata]
    assert hover[0] == "no check-in this month"
    assert "Joint webinar brought new members" in hover[1]
    assert "Events of the affiliate" in shown
    assert group_progress_chart(progress, CHECKINS, None, "An area").data[-1].name == "Reported (average)"
