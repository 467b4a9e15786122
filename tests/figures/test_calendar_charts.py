"""Tests for analytics.figures.calendar_charts: event labels, the listing table and the calendar's figures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.domain import events as ev
from analytics.figures import calendar_charts as cc
from tests.domain.test_events import LIAISONS, make_activities, make_affiliates, make_events

OCTOBER = make_events(
    {
        "event_id": "scma",
        "name": "SCMA Professional Conference 2023",
        "start_on": "2023-10-11",
        "end_on": "2023-10-13",
        "country_name": "Slovakia",
        "country_iso3": "SVK",
        "affiliate_id": "intl-svk",
    },
    {
        "event_id": "solace",
        "name": "Solace Summit 2023",
        "start_on": "2023-10-18",
        "city": "Birmingham",
        "country_name": "United Kingdom",
        "country_iso3": "GBR",
        "affiliate_id": "intl-gbr",
        "website": "https://solace.org.uk",
    },
    {
        "event_id": "europe",
        "name": "ICMA Europe Summit 2023",
        "event_type": "icma",
        "start_on": "2023-10-19",
        "end_on": "2023-10-20",
        "city": "Birmingham",
        "country_name": "United Kingdom",
        "country_iso3": "GBR",
    },
    {"event_id": "crossing", "name": "Crossing", "start_on": "2023-10-30", "end_on": "2023-11-02"},
    {"event_id": "muniexpo", "name": "MUNIEXPO 2024", "start_on": "2024-02-20", "end_on": "2024-02-22"},
    {
        "event_id": "off",
        "name": "Called off",
        "start_on": "2023-10-24",
        "end_on": "2023-10-25",
        "is_cancelled": True,
        "is_sample": True,
        "affiliate_id": "state-ca",
    },
)
AFFILIATES = make_affiliates(
    ("intl-svk", "international", "International", "SVK"),
    ("intl-gbr", "international", "International", "GBR"),
    ("state-ca", "state", "West Coast", "USA"),
)
ACTIVITIES = make_activities(("A1", "L1", "confirmed", "solace"), ("A2", "L2", "planned", "scma"))


def calendar_events() -> pd.DataFrame:
    """OCTOBER with representation and organizer, as the page builds it."""
    return ev.events_with_organizer(ev.icma_representation(OCTOBER, ACTIVITIES, LIAISONS), AFFILIATES)


# --- labels ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"start_on": "2023-10-11", "end_on": "2023-10-13"}, "11–13 Oct 2023"),
        ({"start_on": "2023-10-19", "end_on": "2023-10-19"}, "19 Oct 2023"),
        ({"start_on": "2023-10-18"}, "18 Oct 2023 (end date not known)"),
        ({"start_on": "2023-10-30", "end_on": "2023-11-02"}, "30 Oct – 2 Nov 2023"),
        ({"start_on": "2023-12-30", "end_on": "2024-01-02"}, "30 Dec 2023 – 2 Jan 2024"),
        ({"start_on": "2018-06-01", "date_precision": "month"}, "June 2018 (exact dates not known)"),
    ],
)
def test_event_dates_text(row, expected):
    events = make_events({"event_id": "e", "name": "E", **row})
    assert cc.event_dates_text(events).tolist() == [expected]


def test_event_place_text_says_place_unknown_without_a_country():
    events = make_events(
        {"event_id": "a", "name": "A", "start_on": "2023-10-01", "city": "Tábor", "country_name": "Czech Republic"},
        {"event_id": "b", "name": "B", "start_on": "2023-10-01", "country_name": "Slovakia"},
        {"event_id": "c", "name": "C", "start_on": "2023-10-01"},
        {"event_id": "d", "name": "D", "start_on": "2023-10-01", "city": "Somewhere"},
    )
    assert cc.event_place_text(events).tolist() == [
        "Tábor, Czech Republic",
        "Slovakia",
        "place unknown",
        "Somewhere (country unknown)",
    ]


def test_event_listing_shows_what_a_reader_needs_for_each_event():
    listing = cc.event_listing(calendar_events())
    assert list(listing.columns) == [
        "Dates",
        "Event",
        "ICMA representation",
        "Planned",
        "Organizer",
        "Organizer type",
        "City",
        "Country",
        "Website",
        "Status",
        "Data",
        "Confidence",
    ]
    listing = listing.set_index("Event")
    assert listing.loc["Solace Summit 2023", "ICMA representation"] == "Ana Ruiz (Regional Vice President)"
    assert listing.loc["SCMA Professional Conference 2023", "ICMA representation"] == "none"
    assert listing.loc["SCMA Professional Conference 2023", "Planned"] == "Ben Cole (Staff)"
    assert listing.loc["MUNIEXPO 2024", "Country"] == "place unknown"
    assert listing.loc["Solace Summit 2023", "Website"] == "https://solace.org.uk"
    assert pd.isna(listing.loc["MUNIEXPO 2024", "Website"])
    assert listing.loc["Called off", "Status"] == "cancelled"
    assert listing.loc["Called off", "Data"] == "sample"
    assert listing.loc["ICMA Europe Summit 2023", "Organizer type"] == "ICMA"


def test_event_listing_marks_an_event_under_way():
    upcoming = ev.upcoming_as_of(calendar_events(), date(2023, 10, 12))
    listing = cc.event_listing(upcoming).set_index("Event")
    assert listing.loc["SCMA Professional Conference 2023", "Status"] == "under way"
    assert listing.loc["Solace Summit 2023", "Status"] == ""


def test_event_listing_of_no_events_is_an_empty_table():
    assert cc.event_listing(calendar_events().iloc[0:0]).empty


# --- month grid ------------------------------------------------------------------------------------


def month_figure(events: pd.DataFrame, marked_day: date | None = None) -> go.Figure:
    return cc.month_grid_figure(
        ev.month_grid_days(2023, 10), ev.month_bars(events, 2023, 10), events, "October 2023", marked_day
    )


def bar_texts(figure: go.Figure) -> list[str]:
    return [text for trace in figure.data if isinstance(trace, go.Bar) for text in trace.text]


def test_month_grid_draws_a_cell_per_day_and_a_bar_per_event_week():
    figure = month_figure(calendar_events())
    assert len([shape for shape in figure.layout.shapes if shape.type == "rect"]) == 42  # six Monday-first weeks
    texts = bar_texts(figure)
    assert "Solace Summit 2023" in texts
    assert "SCMA Professional Conference 2023" in texts
    assert "Crossing" in texts  # 30 Oct - 2 Nov: November's first days are in the grid's last row
    assert list(figure.layout.xaxis.ticktext) == list(cc.WEEKDAY_NAMES)


def test_a_crowded_week_counts_the_events_past_its_last_line_per_day():
    crowded = make_events(
        *({"event_id": f"m{index:02d}", "name": f"Meeting {index}", "start_on": "2023-10-10"} for index in range(20)),
        {"event_id": "long", "name": "Long", "start_on": "2023-10-09", "end_on": "2023-10-12"},
        {"event_id": "alone", "name": "Alone", "start_on": "2023-10-25"},
    )
    figure = month_figure(crowded)
    shown = cc.GRID_MAX_LANES - 1  # the last line holds the "+N more"
    assert len(bar_texts(figure)) == shown + 1  # the long bar and four meetings; "Alone" in its own week
    assert "Alone" in bar_texts(figure) and "Long" in bar_texts(figure)
    more = [(note.text, note.hovertext) for note in figure.layout.annotations if note.text.startswith("+")]
    assert more == [(f"+{21 - shown}", f"{21 - shown} more events this day, not drawn")]  # 21 on Tue 10 Oct, 5 drawn
    weeks = 6
    assert figure.layout.height == 170 + weeks * (cc.GRID_MAX_LANES + 1) * cc.GRID_PIXELS_PER_LINE


def test_month_grid_bar_spans_the_days_of_its_event():
    figure = month_figure(calendar_events())
    scma = next(trace for trace in figure.data if "SCMA Professional Conference 2023" in list(trace.text))
    index = list(scma.text).index("SCMA Professional Conference 2023")
    assert scma.base[index] == pytest.approx(2.03)  # Wednesday 11 October
    assert scma.x[index] == pytest.approx(3 - 0.06)  # three days


def test_month_grid_marks_continuations_across_weeks():
    events = make_events({"event_id": "long", "name": "Long", "start_on": "2023-10-06", "end_on": "2023-10-10"})
    assert sorted(bar_texts(month_figure(events))) == ["Long ▶", "◀ Long"]


def test_month_grid_labels_cancelled_events_and_names_organizer_types_in_the_legend():
    figure = month_figure(calendar_events())
    names = {trace.name for trace in figure.data}
    assert {"ICMA", "international affiliate", "cancelled"} <= names
    assert "Cancelled: Called off (sample)" in bar_texts(figure)


def test_month_grid_and_timeline_label_sample_events():
    events = calendar_events()
    assert "Cancelled: Called off (sample)" in bar_texts(month_figure(events))
    timeline = cc.year_timeline_figure(events, 2023, "2023")
    assert "Called off (sample)" in [label for trace in timeline.data for label in trace.y]


def test_month_grid_marks_the_as_of_day():
    figure = month_figure(calendar_events(), marked_day=date(2023, 10, 1))
    assert any("as of" in annotation.text for annotation in figure.layout.annotations)


def test_month_grid_without_events_says_so():
    figure = month_figure(calendar_events().iloc[0:0])
    assert any("No events this month" in annotation.text for annotation in figure.layout.annotations)


def test_month_grid_hover_shows_dates_place_and_representation():
    figure = month_figure(calendar_events())
    hover = " ".join(text for trace in figure.data for text in trace.hovertext)
    assert "18 Oct 2023 (end date not known)" in hover
    assert "Birmingham, United Kingdom" in hover
    assert "ICMA representation: 1 confirmed, 0 planned" in hover


# --- year timeline, map, representation --------------------------------------------------------------


def test_year_timeline_has_one_bar_per_event_from_start_to_end():
    year_events = ev.events_overlapping(calendar_events(), date(2023, 1, 1), date(2023, 12, 31))
    figure = cc.year_timeline_figure(year_events, 2023, "2023", marked_day=date(2023, 10, 1))
    labels = [label for trace in figure.data for label in trace.y]
    assert sorted(labels) == sorted(year_events["name"].str.replace("Called off", "Called off (sample)"))
    europe = next(trace for trace in figure.data if trace.name == "ICMA")
    assert europe.base[0] == "2023-10-19"
    assert europe.x[0] == pytest.approx(2 * 24 * 3600 * 1000)  # 19 and 20 October
    assert any(annotation.text == "as of 2023-10-01" for annotation in figure.layout.annotations)


def test_year_timeline_without_events_says_so():
    figure = cc.year_timeline_figure(calendar_events().iloc[0:0], 2030, "2030")
    assert "No events in 2030" in figure.layout.annotations[0].text


def test_events_by_country_counts_located_events_only():
    per_country = cc.events_by_country(calendar_events())
    assert per_country["country_iso3"].tolist() == ["GBR", "SVK"]
    assert per_country["count_events"].tolist() == [2, 1]
    assert per_country.loc[0, "event_names"] == "Solace Summit 2023; ICMA Europe Summit 2023"


def test_events_map_shows_the_whole_world_at_50m_resolution():
    figure = cc.events_map_figure(cc.events_by_country(calendar_events()), "Where")
    marker_trace = figure.data[0]
    assert isinstance(marker_trace, go.Scattergeo)
    assert list(marker_trace.locations) == ["GBR", "SVK"]
    assert list(marker_trace.text) == ["2", "1"]
    assert figure.layout.geo.scope == "world"
    assert figure.layout.geo.resolution == 50
    assert figure.layout.geo.fitbounds is False


def test_events_map_without_located_events_says_so():
    figure = cc.events_map_figure(cc.events_by_country(calendar_events().iloc[0:0]), "Where")
    assert "No event with a known country" in figure.layout.annotations[0].text


def test_representation_by_year_figure_labels_each_year_k_of_n():
    counts = ev.representation_by_year(calendar_events(), AFFILIATES)
    figure = cc.representation_by_year_figure(counts, "Representation")
    assert figure.layout.barmode == "stack"
    assert [trace.name for trace in figure.data] == ["International", "No region"]
    assert {annotation.text for annotation in figure.layout.annotations} == {"2 of 3", "0 of 1"}


def test_representation_by_year_figure_without_conferences_says_so():
    figure = cc.representation_by_year_figure(ev.representation_by_year(calendar_events().iloc[0:0], AFFILIATES), "R")
    assert "No affiliate conference" in figure.layout.annotations[0].text


def test_figures_leave_their_input_unchanged():
    events = calendar_events()
    before = events.copy()
    month_figure(events)
    cc.year_timeline_figure(events, 2023, "2023")
    cc.event_listing(events)
    cc.events_by_country(events)
    pd.testing.assert_frame_equal(events, before)
