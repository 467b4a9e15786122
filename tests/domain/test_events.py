"""Tests for analytics.domain.events: upcoming events, month grids, ICMA representation, filters."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.core.schema import table
from analytics.domain import events as ev
from tests.frames import make_events

EVENT_COLUMNS = table("events").column_names


def make_affiliates(*rows: tuple[str, str, str | None, str]) -> pd.DataFrame:
    """(affiliate_id, affiliate_type, icma_region, country_iso3) rows as an `affiliates` frame."""
    return pd.DataFrame(rows, columns=["affiliate_id", "affiliate_type", "icma_region", "country_iso3"]).assign(
        name=lambda frame: frame["affiliate_id"].str.upper()
    )


def make_activities(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    """(activity_id, liaison_id, status, event_id) conference attendance rows as an `activities` frame."""
    frame = pd.DataFrame(rows, columns=["activity_id", "liaison_id", "status", "event_id"])
    return frame.assign(
        affiliate_id="state-ca",
        activity_type="conference_attendance",
        occurred_on=pd.Timestamp("2023-10-01"),
        title="Attend",
        is_sample=True,
    )


LIAISONS = pd.DataFrame(
    {
        "liaison_id": ["L1", "L2", "L3"],
        "name": ["Ana Ruiz", "Ben Cole", "Cy Park"],
        "role": ["Regional Vice President", "Staff", "Regional Director"],
        "icma_region": ["West Coast", "Midwest", "International"],
        "is_sample": [True, True, True],
    }
)


# --- event_end and upcoming_as_of ---------------------------------------------------------------

UPCOMING = make_events(
    {"event_id": "past", "name": "Past", "start_on": "2023-09-10", "end_on": "2023-09-12"},
    {"event_id": "running", "name": "Running", "start_on": "2023-09-29", "end_on": "2023-10-02"},
    {"event_id": "no-end", "name": "No end", "start_on": "2023-10-01"},
    {"event_id": "later", "name": "Later", "start_on": "2023-12-05", "end_on": "2023-12-07"},
    {"event_id": "month", "name": "Month only", "start_on": "2023-11-01", "date_precision": "month"},
    {"event_id": "off", "name": "Cancelled", "start_on": "2023-10-20", "end_on": "2023-10-21", "is_cancelled": True},
)
AS_OF = date(2023, 10, 1)


def test_event_end_falls_back_to_start_when_no_end():
    ends = ev.event_end(UPCOMING)
    assert ends.name == "effective_end_on"
    assert (
        ends.tolist()
        == pd.to_datetime(["2023-09-12", "2023-10-02", "2023-10-01", "2023-12-07", "2023-11-01", "2023-10-21"]).tolist()
    )


def test_upcoming_keeps_events_not_over_sorted_by_start_without_cancelled():
    upcoming = ev.upcoming_as_of(UPCOMING, AS_OF)
    assert upcoming["event_id"].tolist() == ["running", "no-end", "month", "later"]


def test_upcoming_counts_an_event_in_progress():
    upcoming = ev.upcoming_as_of(UPCOMING, AS_OF).set_index("event_id")
    assert upcoming.loc["running", "is_in_progress"]
    assert not upcoming.loc["no-end", "is_in_progress"]


def test_upcoming_event_without_end_is_over_the_day_after_it_starts():
    assert "no-end" not in ev.upcoming_as_of(UPCOMING, date(2023, 10, 2))["event_id"].tolist()


def test_upcoming_includes_cancelled_only_when_asked():
    upcoming = ev.upcoming_as_of(UPCOMING, AS_OF, include_cancelled=True)
    assert upcoming["event_id"].tolist() == ["running", "no-end", "off", "month", "later"]


def test_upcoming_horizon_limits_how_far_ahead():
    upcoming = ev.upcoming_as_of(UPCOMING, AS_OF, horizon_days=31)
    assert upcoming["event_id"].tolist() == ["running", "no-end", "month"]


def test_upcoming_leaves_its_input_unchanged():
    before = UPCOMING.copy()
    ev.upcoming_as_of(UPCOMING, AS_OF, horizon_days=10)
    pd.testing.assert_frame_equal(UPCOMING, before)


# --- events_overlapping, month_grid_days and month_bars --------------------------------------------

CROSSING = make_events({"event_id": "cross", "name": "Crossing", "start_on": "2023-10-30", "end_on": "2023-11-02"})


@pytest.mark.parametrize(
    ("first_day", "last_day"), [(date(2023, 10, 1), date(2023, 10, 31)), (date(2023, 11, 1), date(2023, 11, 30))]
)
def test_event_crossing_a_month_boundary_overlaps_both_months(first_day, last_day):
    assert ev.events_overlapping(CROSSING, first_day, last_day)["event_id"].tolist() == ["cross"]


def test_event_outside_window_does_not_overlap():
    assert ev.events_overlapping(CROSSING, date(2023, 11, 3), date(2023, 11, 30)).empty


def test_month_grid_days_start_on_monday_and_cover_whole_weeks():
    days = ev.month_grid_days(2023, 10)
    assert len(days) == 6 * 7
    assert days["day_on"].iloc[0] == pd.Timestamp("2023-09-25")
    assert days["day_on"].iloc[-1] == pd.Timestamp("2023-11-05")
    assert (days["day_on"].dt.day_of_week == days["weekday"]).all()
    assert days["is_in_month"].sum() == 31


def drawn_days(bars: pd.DataFrame) -> list[pd.Timestamp]:
    """The days the bars cover, in order."""
    return sorted(day for bar in bars.itertuples() for day in pd.date_range(bar.first_on, bar.last_on))


def test_crossing_event_bar_in_october_grid_spans_its_last_week_row():
    bars = ev.month_bars(CROSSING, 2023, 10)
    assert bars[["week_index", "first_weekday", "last_weekday", "lane"]].values.tolist() == [[5, 0, 3, 0]]
    assert not bars["is_continued_before"].iloc[0]
    assert not bars["is_continued_after"].iloc[0]


def test_crossing_event_bar_in_november_grid_spans_its_first_week_row():
    bars = ev.month_bars(CROSSING, 2023, 11)
    assert bars[["week_index", "first_weekday", "last_weekday"]].values.tolist() == [[0, 0, 3]]
    drawn = drawn_days(bars)
    assert drawn == list(pd.date_range("2023-10-30", "2023-11-02"))
    days = ev.month_grid_days(2023, 11).set_index("day_on")
    assert days.loc[drawn, "is_in_month"].tolist() == [False, False, True, True]


def test_event_crossing_a_week_gets_one_bar_per_week_row():
    spanning = make_events({"event_id": "long", "name": "Long", "start_on": "2023-10-05", "end_on": "2023-10-10"})
    bars = ev.month_bars(spanning, 2023, 10)
    assert bars[["week_index", "first_weekday", "last_weekday"]].values.tolist() == [[1, 3, 6], [2, 0, 1]]
    assert bars["is_continued_after"].tolist() == [True, False]
    assert bars["is_continued_before"].tolist() == [False, True]


def test_one_day_event_is_a_single_cell_bar():
    one_day = make_events({"event_id": "one", "name": "One day", "start_on": "2023-10-18"})
    bars = ev.month_bars(one_day, 2023, 10)
    assert bars[["week_index", "first_weekday", "last_weekday"]].values.tolist() == [[3, 2, 2]]
    assert not bars["is_multi_day"].iloc[0]
    assert drawn_days(bars) == [pd.Timestamp("2023-10-18")]
    assert bars["name"].tolist() == ["One day"]


def test_overlapping_bars_take_different_lanes_and_free_lanes_are_reused():
    overlapping = make_events(
        {"event_id": "a", "name": "A", "start_on": "2023-10-09", "end_on": "2023-10-11"},
        {"event_id": "b", "name": "B", "start_on": "2023-10-10", "end_on": "2023-10-13"},
        {"event_id": "c", "name": "C", "start_on": "2023-10-12"},
    )
    lanes = ev.month_bars(overlapping, 2023, 10).set_index("event_id")["lane"].to_dict()
    assert lanes == {"a": 0, "b": 1, "c": 0}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=60), st.integers(min_value=-2, max_value=20)),
        min_size=1,
        max_size=25,
    )
)
def test_month_bars_cover_each_event_day_once_and_take_the_lowest_free_lane(spans):
    events = make_events(
        *(
            {
                "event_id": f"e{index:02d}",
                "name": f"Event {index}",
                "start_on": date(2023, 9, 10) + timedelta(days=offset),
                "end_on": date(2023, 9, 10) + timedelta(days=offset + length),
            }
            for index, (offset, length) in enumerate(spans)
        )
    )
    bars = ev.month_bars(events, 2023, 10)
    grid = ev.month_grid_days(2023, 10)["day_on"]
    for event in ev.events_overlapping(events, grid.min().date(), grid.max().date()).itertuples():
        shown = pd.date_range(max(event.start_on, grid.min()), min(event.effective_end_on, grid.max()))
        assert drawn_days(bars[bars["event_id"] == event.event_id]) == list(shown)
    for _, week in bars.groupby("week_index"):
        placed: list[tuple[int, int, int]] = []  # (lane, first, last) in the order lanes were given
        starts = week["event_id"].map(events.set_index("event_id")["start_on"])
        order = week.assign(span=week["last_weekday"] - week["first_weekday"], event_start_on=starts).sort_values(
            ["first_weekday", "span", "event_start_on", "event_id"], ascending=[True, False, True, True]
        )
        for bar in order.itertuples():
            in_use = {lane for lane, first, last in placed if first <= bar.last_weekday and bar.first_weekday <= last}
            assert bar.lane not in in_use  # bars sharing a day never share a lane
            assert bar.lane == min(set(range(len(placed) + 1)) - in_use)  # and each takes the lowest one free
            placed.append((bar.lane, bar.first_weekday, bar.last_weekday))


def test_month_without_events_has_no_bars():
    assert ev.month_bars(CROSSING, 2024, 2).empty
    assert list(ev.month_bars(CROSSING, 2024, 2).columns) == list(ev.BAR_COLUMNS)


# --- ICMA representation -----------------------------------------------------------------------

REPRESENTED = make_events(
    {"event_id": "e1", "name": "One", "start_on": "2023-05-01", "affiliate_id": "state-ca"},
    {"event_id": "e2", "name": "Two", "start_on": "2023-06-01", "affiliate_id": "state-ny"},
    {"event_id": "e3", "name": "Three", "start_on": "2024-06-01", "affiliate_id": "state-ca"},
    {"event_id": "e4", "name": "Four", "start_on": "2023-07-01", "affiliate_id": "natl-x"},
    {"event_id": "e5", "name": "Five", "start_on": "2023-08-01", "event_type": "icma_annual"},
)
ATTENDANCE = make_activities(
    ("A1", "L2", "confirmed", "e1"),
    ("A2", "L1", "done", "e1"),
    ("A3", "L3", "planned", "e1"),
    ("A4", "L3", "cancelled", "e2"),
    ("A5", "L1", "planned", "e3"),
    ("A6", "L1", "confirmed", "e3"),
    ("A7", "L2", "confirmed", None),
)
AFFILIATES = make_affiliates(
    ("state-ca", "state", "West Coast", "USA"),
    ("state-ny", "state", "Northeast", "USA"),
    ("natl-x", "national", None, "USA"),
    ("intl-gbr", "international", "International", "GBR"),
)


def test_representation_separates_confirmed_and_planned():
    result = ev.icma_representation(REPRESENTED, ATTENDANCE, LIAISONS).set_index("event_id")
    assert result.loc["e1", "representatives"] == "Ana Ruiz (Regional Vice President), Ben Cole (Staff)"
    assert result.loc["e1", "planned_representatives"] == "Cy Park (Regional Director)"
    assert (result.loc["e1", "count_confirmed"], result.loc["e1", "count_planned"]) == (2, 1)
    assert result.loc["e1", "has_icma_representation"]


def test_representation_ignores_cancelled_attendance():
    result = ev.icma_representation(REPRESENTED, ATTENDANCE, LIAISONS).set_index("event_id")
    assert result.loc["e2", ["representatives", "planned_representatives"]].tolist() == ["", ""]
    assert (result.loc["e2", "count_confirmed"], result.loc["e2", "count_planned"]) == (0, 0)
    assert not result.loc["e2", "has_icma_representation"]


def test_representation_counts_a_liaison_both_planned_and_confirmed_once_as_confirmed():
    result = ev.icma_representation(REPRESENTED, ATTENDANCE, LIAISONS).set_index("event_id")
    assert (result.loc["e3", "count_confirmed"], result.loc["e3", "count_planned"]) == (1, 0)


def test_representation_keeps_one_row_per_event_and_the_input():
    before = REPRESENTED.copy()
    result = ev.icma_representation(REPRESENTED, ATTENDANCE, LIAISONS)
    assert result["event_id"].tolist() == REPRESENTED["event_id"].tolist()
    pd.testing.assert_frame_equal(REPRESENTED, before)


def test_representation_by_year_counts_affiliate_conferences_per_region():
    represented = ev.icma_representation(REPRESENTED, ATTENDANCE, LIAISONS)
    result = ev.representation_by_year(represented, AFFILIATES)
    assert result.values.tolist() == [
        [2023, "Northeast", 1, 0, 0.0],
        [2023, "Unknown", 1, 0, 0.0],
        [2023, "West Coast", 1, 1, 1.0],
        [2024, "West Coast", 1, 1, 1.0],
    ]
    assert list(result.columns) == [
        "year",
        "organizer_region",
        "count_events",
        "count_with_representation",
        "share_with_representation",
    ]


def test_representation_by_year_leaves_out_cancelled_conferences():
    cancelled = REPRESENTED.assign(is_cancelled=REPRESENTED["event_id"] == "e1")
    represented = ev.icma_representation(cancelled, ATTENDANCE, LIAISONS)
    result = ev.representation_by_year(represented, AFFILIATES)
    assert result.loc[result["year"] == 2023, "count_events"].sum() == 2


# --- organizer type and filters ----------------------------------------------------------------

ORGANIZED = make_events(
    {"event_id": "icma", "name": "ICMA", "start_on": "2023-09-01", "event_type": "icma_regional"},
    {
        "event_id": "state",
        "name": "State",
        "start_on": "2023-09-02",
        "affiliate_id": "state-ca",
        "country_iso3": "USA",
        "country_name": "United States",
    },
    {
        "event_id": "natl",
        "name": "Natl",
        "start_on": "2023-09-03",
        "affiliate_id": "natl-x",
        "country_iso3": "USA",
        "country_name": "United States",
    },
    {
        "event_id": "intl",
        "name": "Intl",
        "start_on": "2023-09-04",
        "affiliate_id": "intl-gbr",
        "country_iso3": "GBR",
        "country_name": "United Kingdom",
    },
    {"event_id": "other", "name": "Other", "start_on": "2023-09-05"},
    {"event_id": "missing", "name": "Missing", "start_on": "2023-09-06", "affiliate_id": "gone"},
)


def test_organizer_type_classifies_each_event():
    assert ev.organizer_type(ORGANIZED, AFFILIATES).tolist() == [
        "ICMA",
        "state affiliate",
        "national affiliate",
        "international affiliate",
        "other affiliate",
        "other affiliate",
    ]


def test_filter_events_by_region_country_and_organizer_type():
    enriched = ev.events_with_organizer(ORGANIZED, AFFILIATES)
    assert ev.filter_events(enriched, regions=["West Coast", "International"])["event_id"].tolist() == ["state", "intl"]
    assert ev.filter_events(enriched, countries=["GBR"])["event_id"].tolist() == ["intl"]
    assert ev.filter_events(enriched, countries=["United States"])["event_id"].tolist() == ["state", "natl"]
    assert ev.filter_events(enriched, organizer_types=["ICMA"])["event_id"].tolist() == ["icma"]
    assert len(ev.filter_events(enriched, regions=[], organizer_types=None)) == len(enriched)


def test_filter_events_by_representation():
    represented = ev.icma_representation(REPRESENTED, ATTENDANCE, LIAISONS)
    assert ev.filter_events(represented, representation="with")["event_id"].tolist() == ["e1", "e3"]
    assert ev.filter_events(represented, representation="without")["event_id"].tolist() == ["e2", "e4", "e5"]
    assert len(ev.filter_events(represented, representation="any")) == 5


def test_filter_events_explains_a_missing_column_and_a_bad_choice():
    with pytest.raises(KeyError, match="events_with_organizer"):
        ev.filter_events(ORGANIZED, regions=["West Coast"])
    with pytest.raises(ValueError, match="representation"):
        ev.filter_events(ORGANIZED, representation="maybe")


# --- properties --------------------------------------------------------------------------------

EPOCH = date(2023, 8, 1)


@st.composite
def random_events(draw) -> pd.DataFrame:
    count = draw(st.integers(min_value=0, max_value=12))
    rows = []
    for number in range(count):
        start_on = EPOCH + timedelta(days=draw(st.integers(min_value=0, max_value=180)))
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=40)))
        end_on = None if length is None else start_on + timedelta(days=length)
        rows.append(
            {
                "event_id": f"E{number}",
                "name": f"Event {number}",
                "start_on": start_on,
                "end_on": end_on,
                "is_cancelled": draw(st.booleans()),
            }
        )
    if not rows:
        return make_events({"event_id": "x", "name": "x", "start_on": EPOCH}).iloc[0:0]
    return make_events(*rows)


@settings(max_examples=150, deadline=None)
@given(events=random_events(), year_month=st.sampled_from([(2023, month) for month in range(8, 13)] + [(2024, 1)]))
def test_every_event_in_a_month_is_drawn_exactly_on_the_days_it_covers(events, year_month):
    year, month = year_month
    days = ev.month_grid_days(year, month)
    bars = ev.month_bars(events, year, month)
    grid_days = set(days["day_on"])
    month_first = pd.Timestamp(year, month, 1)
    month_last = month_first + pd.offsets.MonthEnd(0)
    ends = ev.event_end(events)
    for event_id, start_on, end_on in zip(events["event_id"], events["start_on"], ends, strict=True):
        covered = set(pd.date_range(start_on, end_on)) & grid_days
        drawn = bars.loc[bars["event_id"] == event_id]
        drawn_days = [day for bar in drawn.itertuples() for day in pd.date_range(bar.first_on, bar.last_on)]
        assert len(drawn_days) == len(set(drawn_days)), "a day is drawn twice"
        assert set(drawn_days) == covered
        if start_on <= month_last and end_on >= month_first:
            assert not drawn.empty
    for bar in bars.itertuples():
        assert bar.first_on.weekday() == bar.first_weekday and bar.last_on.weekday() == bar.last_weekday
        assert days.loc[days["day_on"] == bar.first_on, "week_index"].item() == bar.week_index


@settings(max_examples=150, deadline=None)
@given(events=random_events(), month=st.integers(min_value=8, max_value=12))
def test_bars_in_the_same_lane_never_share_a_day(events, month):
    bars = ev.month_bars(events, 2023, month)
    for _, same_lane in bars.groupby(["week_index", "lane"]):
        spans = sorted(zip(same_lane["first_weekday"], same_lane["last_weekday"], strict=True))
        for (_, previous_last), (next_first, _) in zip(spans, spans[1:], strict=False):
            assert previous_last < next_first


def test_representation_can_be_recomputed_on_its_own_output():
    once = ev.icma_representation(REPRESENTED, ATTENDANCE, LIAISONS)
    pd.testing.assert_frame_equal(ev.icma_representation(once, ATTENDANCE, LIAISONS), once)
