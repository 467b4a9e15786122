"""The event calendar: what is coming up, what falls in a month, who from ICMA is going.

Pure pandas transforms over the `events`, `activities`, `affiliates` and `liaisons` tables
(columns as in `analytics.core.schema`). Every function returns a new frame and leaves its input
untouched. Dates are pandas datetime64 values; every event is all-day, from `start_on` to its
effective end (see `event_end`), both inclusive.
"""

from __future__ import annotations

import calendar
import heapq
from collections.abc import Iterable
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

ICMA_EVENT_TYPES: tuple[str, ...] = ("icma", "icma_annual", "icma_regional")
ORGANIZER_TYPES: tuple[str, ...] = (
    "ICMA",
    "state affiliate",
    "national affiliate",
    "international affiliate",
    "other affiliate",
)
UNKNOWN_REGION = "Unknown"
# How that region reads wherever it is shown (a chart's legend, a table, a filter): one text.
NO_REGION_TEXT = "No region"


def region_text(region: str) -> str:
    """An organizer's region as shown: "No region" for `UNKNOWN_REGION`.

    >>> region_text("Unknown"), region_text("Southeast")
    ('No region', 'Southeast')
    """
    return NO_REGION_TEXT if region == UNKNOWN_REGION else region


# Conference attendance in one of these states means an ICMA representative is going (or went).
CONFIRMED_STATUSES: tuple[str, ...] = ("confirmed", "in_progress", "done")
PLANNED_STATUSES: tuple[str, ...] = ("planned",)
REPRESENTATION_CHOICES: tuple[str, ...] = ("any", "with", "without")
REPRESENTATION_COLUMNS: tuple[str, ...] = (
    "representatives",
    "planned_representatives",
    "count_confirmed",
    "count_planned",
    "has_icma_representation",
)

BAR_COLUMNS: tuple[str, ...] = (
    "week_index",
    "first_weekday",
    "last_weekday",
    "first_on",
    "last_on",
    "event_id",
    "name",
    "lane",
    "is_multi_day",
    "is_continued_before",
    "is_continued_after",
    "is_cancelled",
)


def event_end(events: pd.DataFrame) -> pd.Series:
    """Each event's effective last day (inclusive), named `effective_end_on`.

    `end_on` when it is given, otherwise `start_on`: an event with no known end, including a
    month-precision event, is taken to be one day long (the first of the month for the latter).
    An `end_on` before `start_on` is treated as a one-day event rather than a negative one.
    """
    start_on = pd.to_datetime(events["start_on"])
    end_on = pd.to_datetime(events["end_on"]).fillna(start_on)
    return end_on.where(end_on >= start_on, start_on).rename("effective_end_on")


def upcoming_as_of(
    events: pd.DataFrame,
    as_of: date,
    horizon_days: int | None = None,
    include_cancelled: bool = False,
) -> pd.DataFrame:
    """Events not yet over on `as_of`, soonest first.

    An event counts when its effective end is on or after `as_of`, so one in progress is
    included. With `horizon_days`, only events starting within that many days of `as_of` are
    kept. Cancelled events are left out unless `include_cancelled`.
    Adds `effective_end_on` and `is_in_progress` (started before `as_of`, not yet over).
    """
    as_of_at = pd.Timestamp(as_of)
    result = events.assign(effective_end_on=event_end(events))
    start_on = pd.to_datetime(result["start_on"])
    keep = result["effective_end_on"] >= as_of_at
    if horizon_days is not None:
        keep &= start_on <= as_of_at + pd.Timedelta(days=horizon_days)
    if not include_cancelled:
        keep &= ~result["is_cancelled"].fillna(False).astype(bool)
    result = result.loc[keep].assign(is_in_progress=lambda frame: pd.to_datetime(frame["start_on"]) < as_of_at)
    return result.sort_values(["start_on", "effective_end_on", "event_id"], kind="stable").reset_index(drop=True)


def events_overlapping(events: pd.DataFrame, first_day: date, last_day: date) -> pd.DataFrame:
    """Events that take place on at least one day of the inclusive window `first_day`..`last_day`.

    An event crossing the window's edge counts, so an event from 30 October to 2 November
    belongs to both the October and the November window. Sorted by start; adds `effective_end_on`.
    """
    result = events.assign(effective_end_on=event_end(events))
    start_on = pd.to_datetime(result["start_on"])
    keep = (start_on <= pd.Timestamp(last_day)) & (result["effective_end_on"] >= pd.Timestamp(first_day))
    return result.loc[keep].sort_values(["start_on", "event_id"], kind="stable").reset_index(drop=True)


def month_grid_days(year: int, month: int) -> pd.DataFrame:
    """The day cells of a month's calendar grid, weeks starting on Monday.

    One row per cell: `week_index` (0 for the row holding the 1st), `weekday` (0 Monday .. 6 Sunday),
    `day_on`, and `is_in_month` (False for the leading and trailing days of the neighbouring months).
    """
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    rows = [
        {"week_index": week_index, "weekday": weekday, "day_on": day, "is_in_month": day.month == month}
        for week_index, week in enumerate(weeks)
        for weekday, day in enumerate(week)
    ]
    days = pd.DataFrame(rows)
    return days.assign(day_on=pd.to_datetime(days["day_on"]))


def month_bars(events: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """The bars to draw on a month's grid: one row per event per week row it covers.

    Every event visible in the grid (including on the neighbouring months' days shown in the first
    and last rows) gets a bar in each week row it touches, from `first_weekday` to `last_weekday`
    (0 Monday .. 6 Sunday, inclusive; `first_on`/`last_on` are the same days as dates). `lane`
    (0, 1, ...) stacks bars so that bars sharing a day in the same week row never share a lane.
    `is_continued_before`/`is_continued_after` say the event goes on past the bar's left/right end.
    Columns: see `BAR_COLUMNS`. One-day events are bars too (`is_multi_day` False).
    """
    days = month_grid_days(year, month)
    grid_first, grid_last = days["day_on"].min(), days["day_on"].max()
    visible = events_overlapping(events, grid_first.date(), grid_last.date())
    if visible.empty:
        return _empty_bars()
    # Every event's shown days cut into week rows: one bar per event per week row it touches (the grid
    # starts on a Monday, so a day's week row and weekday are its distance from the grid's first day).
    day = np.timedelta64(1, "D")
    grid_start = np.datetime64(grid_first.date(), "D")
    start_on = pd.to_datetime(visible["start_on"]).to_numpy().astype("datetime64[D]")
    end_on = visible["effective_end_on"].to_numpy().astype("datetime64[D]")
    shown_first = (np.maximum(start_on, grid_start) - grid_start) // day
    shown_last = (np.minimum(end_on, np.datetime64(grid_last.date(), "D")) - grid_start) // day
    weeks_touched = shown_last // 7 - shown_first // 7 + 1
    event = np.repeat(np.arange(len(visible)), weeks_touched)
    nth_week = np.arange(len(event)) - np.repeat(np.cumsum(weeks_touched) - weeks_touched, weeks_touched)
    week_index = shown_first[event] // 7 + nth_week
    first_day = np.maximum(shown_first[event], week_index * 7)
    last_day = np.minimum(shown_last[event], week_index * 7 + 6)
    first_on = grid_start + first_day * day
    last_on = grid_start + last_day * day
    cancelled = visible["is_cancelled"].astype(object).where(visible["is_cancelled"].notna(), False).astype(bool)
    bars = pd.DataFrame(
        {
            "week_index": week_index.astype("int64"),
            "first_weekday": (first_day % 7).astype("int64"),
            "last_weekday": (last_day % 7).astype("int64"),
            "first_on": first_on.astype("datetime64[us]"),
            "last_on": last_on.astype("datetime64[us]"),
            "event_id": visible["event_id"].to_numpy()[event],
            "name": visible["name"].to_numpy()[event],
            "is_multi_day": (end_on > start_on)[event],
            "is_continued_before": first_on > start_on[event],
            "is_continued_after": last_on < end_on[event],
            "is_cancelled": cancelled.to_numpy()[event],
            "event_start_on": start_on[event].astype("datetime64[us]"),
        }
    )
    bars = bars.assign(lane=_lanes(bars))
    return bars.sort_values(["week_index", "lane"], kind="stable").reset_index(drop=True).loc[:, list(BAR_COLUMNS)]


def icma_representation(events: pd.DataFrame, activities: pd.DataFrame, liaisons: pd.DataFrame) -> pd.DataFrame:
    """The events, each with the ICMA liaisons attending it (conference attendance activities).

    Adds, one row per event:
    - `representatives`: "Name (Role)" of liaisons confirmed, in progress or done, comma-joined
      in name order ("" when none);
    - `planned_representatives`: the same for liaisons only planned to attend;
    - `count_confirmed`, `count_planned`: distinct liaisons in each group (a liaison both
      planned and confirmed counts as confirmed);
    - `has_icma_representation`: True when anyone is confirmed or planned. Cancelled
      attendance is ignored.
    """
    attendance = activities.loc[
        (activities["activity_type"] == "conference_attendance") & activities["event_id"].notna(),
        ["event_id", "liaison_id", "status"],
    ]
    attendance = attendance.assign(
        is_confirmed=attendance["status"].isin(CONFIRMED_STATUSES),
        is_planned=attendance["status"].isin(PLANNED_STATUSES),
    )
    attendance = attendance.loc[attendance["is_confirmed"] | attendance["is_planned"]]
    per_liaison = attendance.groupby(["event_id", "liaison_id"], as_index=False)["is_confirmed"].any()
    people = liaisons.loc[:, ["liaison_id", "name", "role"]].rename(columns={"name": "liaison_name"})
    per_liaison = per_liaison.merge(people, on="liaison_id", how="left")
    label = per_liaison["liaison_name"].fillna(per_liaison["liaison_id"])
    per_liaison = per_liaison.assign(
        label=label.where(per_liaison["role"].isna(), label + " (" + per_liaison["role"].fillna("") + ")"),
        sort_name=label,
    ).sort_values(["event_id", "sort_name", "liaison_id"])

    confirmed = _people_per_event(per_liaison.loc[per_liaison["is_confirmed"]], "representatives", "count_confirmed")
    planned = _people_per_event(
        per_liaison.loc[~per_liaison["is_confirmed"]], "planned_representatives", "count_planned"
    )
    result = events.drop(columns=list(REPRESENTATION_COLUMNS), errors="ignore")
    result = result.merge(confirmed, on="event_id", how="left").merge(planned, on="event_id", how="left")
    result = result.assign(
        representatives=result["representatives"].fillna(""),
        planned_representatives=result["planned_representatives"].fillna(""),
        count_confirmed=result["count_confirmed"].fillna(0).astype("int64"),
        count_planned=result["count_planned"].fillna(0).astype("int64"),
    )
    result = result.assign(has_icma_representation=(result["count_confirmed"] + result["count_planned"]) > 0)
    result.index = events.index
    return result


def organizer_type(events: pd.DataFrame, affiliates: pd.DataFrame) -> pd.Series:
    """Who organizes each event: one of `ORGANIZER_TYPES`, aligned with `events`' index.

    "ICMA" for ICMA's own event types; otherwise the linked affiliate's type ("state affiliate",
    "national affiliate", "international affiliate"); "other affiliate" when the event names no
    affiliate or one not in `affiliates`.
    """
    affiliate_type = events["affiliate_id"].map(affiliates.set_index("affiliate_id")["affiliate_type"])
    by_affiliate = (affiliate_type + " affiliate").where(affiliate_type.notna(), "other affiliate")
    result = by_affiliate.where(~events["event_type"].isin(ICMA_EVENT_TYPES), "ICMA")
    return result.astype(object).rename("organizer_type")


def organizer_region(events: pd.DataFrame, affiliates: pd.DataFrame) -> pd.Series:
    """The ICMA region of each event's organizing affiliate, "Unknown" when there is none.

    National affiliates have no region, so their events are "Unknown" too. Aligned with `events`' index.
    """
    region = events["affiliate_id"].map(affiliates.set_index("affiliate_id")["icma_region"])
    return region.where(region.notna(), UNKNOWN_REGION).astype(object).rename("organizer_region")


def events_with_organizer(events: pd.DataFrame, affiliates: pd.DataFrame) -> pd.DataFrame:
    """The events with `organizer_type` and `organizer_region` added (what `filter_events` filters on)."""
    return events.assign(
        organizer_type=organizer_type(events, affiliates),
        organizer_region=organizer_region(events, affiliates),
    )


def representation_by_year(
    events_with_representation: pd.DataFrame,
    affiliates: pd.DataFrame,
    include_cancelled: bool = False,
) -> pd.DataFrame:
    """How many affiliate conferences ICMA was represented at, per year and region.

    Takes the output of `icma_representation`. Only events of type "affiliate" count, and
    cancelled ones are left out unless `include_cancelled`. One row per year and ICMA region of
    the organizing affiliate ("Unknown" when none): `year`, `organizer_region`, `count_events`,
    `count_with_representation`, `share_with_representation` (0 to 1).
    """
    events = events_with_representation
    keep = events["event_type"] == "affiliate"
    if not include_cancelled:
        keep &= ~events["is_cancelled"].fillna(False).astype(bool)
    conferences = events.loc[keep]
    counted = pd.DataFrame(
        {
            "year": pd.to_datetime(conferences["start_on"]).dt.year.astype("int64"),
            "organizer_region": organizer_region(conferences, affiliates),
            "has_icma_representation": conferences["has_icma_representation"].astype(bool),
        }
    )
    result = counted.groupby(["year", "organizer_region"], as_index=False).agg(
        count_events=("has_icma_representation", "size"),
        count_with_representation=("has_icma_representation", "sum"),
    )
    result = result.astype({"count_events": "int64", "count_with_representation": "int64"})
    return result.assign(
        share_with_representation=result["count_with_representation"] / result["count_events"]
    ).reset_index(drop=True)


def filter_events(
    events: pd.DataFrame,
    regions: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    organizer_types: Iterable[str] | None = None,
    representation: Literal["any", "with", "without"] = "any",
) -> pd.DataFrame:
    """The events matching every filter given; None or an empty selection means "no filter".

    - `regions` match `organizer_region` and `organizer_types` match `organizer_type`
      (add both with `events_with_organizer`);
    - `countries` match either `country_iso3` or `country_name`;
    - `representation` "with"/"without" keeps events with/without ICMA representation
      (`has_icma_representation`, from `icma_representation`).
    """
    if representation not in REPRESENTATION_CHOICES:
        raise ValueError(f"representation must be one of {REPRESENTATION_CHOICES}, not {representation!r}")
    keep = pd.Series(True, index=events.index)
    regions, countries, organizer_types = _selection(regions), _selection(countries), _selection(organizer_types)
    if regions:
        keep &= _column(events, "organizer_region", "events_with_organizer").isin(regions)
    if organizer_types:
        keep &= _column(events, "organizer_type", "events_with_organizer").isin(organizer_types)
    if countries:
        keep &= events["country_iso3"].isin(countries) | events["country_name"].isin(countries)
    if representation != "any":
        represented = _column(events, "has_icma_representation", "icma_representation").fillna(False).astype(bool)
        keep &= represented if representation == "with" else ~represented
    return events.loc[keep].copy()


def _selection(values: Iterable[str] | None) -> list[str]:
    return [] if values is None else list(values)


def _column(events: pd.DataFrame, name: str, added_by: str) -> pd.Series:
    if name not in events.columns:
        raise KeyError(f"filter_events needs the column {name!r}; add it with {added_by}()")
    return events[name]


def _people_per_event(per_liaison: pd.DataFrame, names_column: str, count_column: str) -> pd.DataFrame:
    """One row per event of `per_liaison` (one row per event and liaison, in the order to name them): the labels
    comma-joined and how many liaisons. Joined over plain lists: a group-by join took 1.5 s for 43,000 events."""
    labels_by_event: dict[str, list[str]] = {}
    for event_id, label in zip(per_liaison["event_id"].tolist(), per_liaison["label"].tolist(), strict=True):
        labels_by_event.setdefault(event_id, []).append(label)
    event_ids = sorted(labels_by_event)
    return pd.DataFrame(
        {
            "event_id": pd.Series(event_ids, dtype=per_liaison["event_id"].dtype),
            names_column: pd.Series([", ".join(labels_by_event[event_id]) for event_id in event_ids], dtype="str"),
            count_column: pd.Series([len(labels_by_event[event_id]) for event_id in event_ids], dtype="int64"),
        }
    )


def _monday_of(day: pd.Timestamp) -> pd.Timestamp:
    return day - pd.Timedelta(days=day.weekday())


def _lanes(bars: pd.DataFrame) -> list[int]:
    """Lane per bar, week row by week row: earlier and longer bars first, each in the lowest free lane."""
    lanes = [0] * len(bars)
    order = bars.assign(position=range(len(bars)), span=bars["last_weekday"] - bars["first_weekday"]).sort_values(
        ["week_index", "first_weekday", "span", "event_start_on", "event_id"],
        ascending=[True, True, False, True, True],
        kind="stable",
    )
    # Per week row, the lanes in use by the weekday their last bar ends on (seven heaps of lane numbers): the
    # lowest free lane for a bar starting on day d is the smallest lane among the heaps of days before d.
    ends_by_week: dict[int, list[list[int]]] = {}
    count_lanes: dict[int, int] = {}
    for week_index, first_weekday, last_weekday, position in zip(
        order["week_index"], order["first_weekday"], order["last_weekday"], order["position"], strict=True
    ):
        ends = ends_by_week.setdefault(week_index, [[] for _ in range(7)])
        free = [heap for heap in ends[:first_weekday] if heap]
        if free:
            lane = heapq.heappop(min(free, key=lambda heap: heap[0]))
        else:
            lane = count_lanes.get(week_index, 0)
            count_lanes[week_index] = lane + 1
        heapq.heappush(ends[last_weekday], lane)
        lanes[position] = lane
    return lanes


def _empty_bars() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week_index": pd.Series(dtype="int64"),
            "first_weekday": pd.Series(dtype="int64"),
            "last_weekday": pd.Series(dtype="int64"),
            "first_on": pd.Series(dtype="datetime64[us]"),
            "last_on": pd.Series(dtype="datetime64[us]"),
            "event_id": pd.Series(dtype=object),
            "name": pd.Series(dtype=object),
            "lane": pd.Series(dtype="int64"),
            "is_multi_day": pd.Series(dtype=bool),
            "is_continued_before": pd.Series(dtype=bool),
            "is_continued_after": pd.Series(dtype=bool),
            "is_cancelled": pd.Series(dtype=bool),
        }
    )
