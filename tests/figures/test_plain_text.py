"""Text from data is shown as written in every chart: plotly reads HTML in labels, legends, hover and titles
(`<a href>` becomes a link, `<b>` bold), so names pass through `theme.plain` on their way in."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.domain import events as ev
from analytics.figures import calendar_charts as cc
from analytics.figures import charts, goal_charts, membership_charts, theme
from tests.figures.test_calendar_charts import calendar_events, month_figure

HOSTILE = '![x](http://127.0.0.1:9/x.png) <a href="http://127.0.0.1:9/">click</a> <b>bold</b> %{y}'


def hostile_events() -> pd.DataFrame:
    events = calendar_events()
    return events.assign(name=HOSTILE + " " + events["event_id"].astype(str), organizer=HOSTILE, city=HOSTILE)


def assert_shown_as_text(figure) -> None:
    text = figure.to_json()
    assert "<a " not in text and "<b>bold" not in text, "markup from the data reached the figure live"
    assert theme.plain("<a href=") in text or theme.plain("<b>bold") in text, "the name is not shown at all"


def test_plain_writes_markup_as_entities_that_plotly_shows_as_characters():
    assert theme.plain("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"
    assert theme.plain_texts(pd.Series(["<i>", None])).tolist() == ["&lt;i&gt;", ""]


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: month_figure(hostile_events()), id="month grid"),
        pytest.param(lambda: cc.year_timeline_figure(hostile_events(), 2023, "Events in 2023"), id="year timeline"),
        pytest.param(lambda: cc.events_map_figure(cc.events_by_country(hostile_events()), "Where"), id="events map"),
        pytest.param(
            lambda: charts.status_by_group(
                pd.DataFrame({"group": [HOSTILE], "status": ["on_track"], "count_goals": [2]}), "group", "group"
            ),
            id="status by group",
        ),
        pytest.param(
            lambda: membership_charts.trend_by_group_chart(
                pd.DataFrame({"group": [HOSTILE], "month_end_on": pd.to_datetime(["2026-10-31"]), "members": [5]}),
                "members",
                "affiliate",
            ),
            id="trend by group",
        ),
        pytest.param(lambda: theme.themed(go.Figure(), HOSTILE), id="title"),
    ],
)
def test_a_hostile_name_is_plain_text_in_every_chart(build):
    assert_shown_as_text(build())


def test_a_hostile_name_cannot_start_a_hovertemplate_placeholder():
    figure = membership_charts.trend_by_group_chart(
        pd.DataFrame({"group": [HOSTILE], "month_end_on": pd.to_datetime(["2026-10-31"]), "members": [5]}),
        "members",
        "affiliate",
    )
    template = figure.data[0].hovertemplate
    assert template.count("%{") == 2  # the chart's own y and x, not the name's


def test_a_narrative_and_an_event_name_are_plain_in_a_goals_hover():
    goal = {"title": HOSTILE, "unit": "members", "baseline_value": 0, "target_value": 10}
    checkins = pd.DataFrame({"reported_on": pd.to_datetime(["2026-01-31"]), "value": [3.0], "narrative": [HOSTILE]})
    expected = pd.DataFrame({"as_of": pd.to_datetime(["2026-01-31"]), "expected_value": [2.0]})
    events = pd.DataFrame({"start_on": pd.to_datetime(["2026-01-15"]), "name": [HOSTILE]})
    assert_shown_as_text(goal_charts.goal_progress_chart(goal, checkins, expected, events))


def test_month_bars_keep_names_for_the_page_and_escape_only_in_the_figure():
    bars = ev.month_bars(hostile_events(), 2023, 10)
    assert bars["name"].str.startswith(HOSTILE).all()
