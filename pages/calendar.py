"""Event calendar: affiliate and ICMA events, who from ICMA goes, and the events as calendar files.

The agenda comes first, as a list that reads on a phone as well as on a laptop, then the table and the
files; the month grid, the year and the map follow. Every event says per row whether it is real (from a
public source, or uploaded) or sample data. Representation over the years counts only conferences held
by the as-of date: those still to come are counted apart, since planned attendance is not attendance.

The events with their organizer and representation, and the month grid figure, are kept per state of
the data and choices (`ui.data.kept_per_data`; never changed once built), so a rerun reads them.
"""

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics.domain import events as ev
from analytics.figures.calendar_charts import (
    ORIGIN_PUBLIC_SOURCE,
    ORIGIN_SAMPLE,
    ORIGIN_UPLOADED,
    REGION_ORDER,
    event_dates_text,
    event_listing,
    event_origin_text,
    event_place_text,
    events_by_country,
    events_map_figure,
    month_grid_figure,
    representation_by_year_figure,
    year_timeline_figure,
)
from analytics.figures.calendar_export import event_to_ics, events_to_ics
from ui.components import chart
from ui.data import kept_per_data, load_table, run_query
from ui.filters import EARLIEST_AS_OF, LATEST_AS_OF
from ui.labels import download_table, label, show_table
from ui.page import page_frame
from ui.text import literal

frame = page_frame(
    "Event calendar",
    ". ICMA's own events are always included. The as-of date (sidebar) decides what counts as upcoming.",
)

REPRESENTATION_LABELS = {
    "any": "All events",
    "with": "With ICMA representation",
    "without": "Without ICMA representation",
}
HORIZON_MONTHS = {"all": None, "1m": 1, "3m": 3, "6m": 6, "12m": 12}
HORIZON_LABELS = {
    "all": "Everything upcoming",
    "1m": "Next month",
    "3m": "Next 3 months",
    "6m": "Next 6 months",
    "12m": "Next 12 months",
}
AFFILIATE_ORGANIZERS = [kind for kind in ev.ORGANIZER_TYPES if kind != "ICMA"]
UNREPRESENTED_HORIZON = "6m"  # how far ahead the "no ICMA representation" shortcut looks
ICS_MIME = "text/calendar"
AGENDA_LIST_LENGTH = 12  # the soonest events listed in words; the table below has them all
ORIGIN_WORDS = {
    ORIGIN_SAMPLE: "Sample event (generated)",
    ORIGIN_PUBLIC_SOURCE: "Real event",
    ORIGIN_UPLOADED: "Real event (uploaded)",
}


@kept_per_data(max_entries=32)
def events_in_scope(params: dict[str, Any]) -> pd.DataFrame:
    """The events in scope with their organizer and ICMA representation."""
    scoped_events = run_query("events_in_scope", **params)
    representation = ev.icma_representation(scoped_events, run_query("conference_attendance"), load_table("liaisons"))
    return ev.events_with_organizer(representation, run_query("affiliates_in_scope", **params))


@kept_per_data(max_entries=32)
def filtered_events(params: dict[str, Any], choices: tuple) -> pd.DataFrame:
    """The events in scope that the page's choices keep: regions, countries, organizers (tuples), representation."""
    return ev.filter_events(events_in_scope(params), *(list(choice) for choice in choices[:3]), choices[3])


@kept_per_data(max_entries=64)
def month_figure(params: dict[str, Any], choices: tuple, month: str, as_of: date):
    """The month grid of the filtered events (`choices`: regions, countries, organizers, representation)."""
    filtered = filtered_events(params, choices)
    shown = pd.Period(month, freq="M")
    month_first, month_last = shown.start_time.date(), shown.end_time.date()
    in_month = ev.events_overlapping(filtered, month_first, month_last)
    dated = filtered.loc[filtered["date_precision"] != "month"]
    return month_grid_figure(
        ev.month_grid_days(shown.year, shown.month),
        ev.month_bars(dated, shown.year, shown.month),
        dated,
        f"{shown:%B %Y}: {len(in_month)} event{'s' if len(in_month) != 1 else ''}",
        marked_day=as_of,
    )


@kept_per_data(max_entries=32)
def year_figure(params: dict[str, Any], choices: tuple, year: int, as_of: date):
    """The year's timeline of the filtered events (`choices` as for month_figure)."""
    filtered = filtered_events(params, choices)
    year_events = ev.events_overlapping(filtered, date(year, 1, 1), date(year, 12, 31))
    return year_timeline_figure(year_events, year, f"Events in {year}, by start date", marked_day=as_of)


@kept_per_data(max_entries=32)
def upcoming_listing(params: dict[str, Any], choices: tuple, horizon_days: int | None, as_of: date) -> pd.DataFrame:
    """The agenda as a table (event_listing of the upcoming filtered events), shown and downloaded."""
    filtered = filtered_events(params, choices)
    return event_listing(ev.upcoming_as_of(filtered, as_of, horizon_days=horizon_days))


@kept_per_data(max_entries=32)
def year_listing(params: dict[str, Any], choices: tuple, year: int) -> pd.DataFrame:
    """The year's filtered events as a table (event_listing), shown and downloaded."""
    filtered = filtered_events(params, choices)
    return event_listing(ev.events_overlapping(filtered, date(year, 1, 1), date(year, 12, 31)))


@kept_per_data(max_entries=32)
def event_choices(params: dict[str, Any], choices: tuple, horizon_days: int | None, month: str, as_of: date):
    """The events one can export alone (upcoming, or in the month shown), soonest first, and the label of each by
    event_id: "<name> (<dates>)"."""
    filtered = filtered_events(params, choices)
    shown = pd.Period(month, freq="M")
    in_month = ev.events_overlapping(filtered, shown.start_time.date(), shown.end_time.date())
    upcoming = ev.upcoming_as_of(filtered, as_of, horizon_days=horizon_days)
    choosable = pd.concat([upcoming, in_month]).drop_duplicates("event_id").sort_values(["start_on", "event_id"])
    listing = event_listing(choosable)
    names = zip(listing[label("event_name")], listing[label("dates")], strict=True)
    return choosable, dict(zip(choosable["event_id"], (f"{name} ({dates})" for name, dates in names), strict=True))


@kept_per_data(max_entries=32)
def upcoming_map(params: dict[str, Any], choices: tuple, horizon_days: int | None, as_of: date):
    """The upcoming filtered events per country (events_by_country) and their map."""
    per_country = events_by_country(ev.upcoming_as_of(filtered_events(params, choices), as_of, horizon_days))
    return per_country, events_map_figure(per_country, "Upcoming events by country")


@kept_per_data(max_entries=32)
def representation_view(params: dict[str, Any], places: tuple, as_of: date):
    """ICMA representation at the affiliate conferences held by the as-of date, by year (its table, as shown, and
    its figure), and at those still to come, of the events filtered by region, country and organizer (`places`)."""
    events = ev.filter_events(events_in_scope(params), *(list(choice) for choice in places))
    affiliates = run_query("affiliates_in_scope", **params)
    is_held = ev.event_end(events) < pd.Timestamp(as_of)
    by_year = ev.representation_by_year(events.loc[is_held], affiliates)
    to_come = ev.representation_by_year(events.loc[~is_held], affiliates)
    figure = representation_by_year_figure(
        by_year, f"Conferences held by {as_of:%Y-%m-%d} with ICMA representation, by region"
    )
    table = by_year.sort_values(["year", "organizer_region"], ascending=[False, True])
    table = table.assign(organizer_region=table["organizer_region"].map(ev.region_text))
    return table, to_come, figure


def month_options(events: pd.DataFrame) -> list[str]:
    """Every month the chooser offers, "YYYY-MM": the as-of range, widened to the events' dates."""
    first = min(pd.Timestamp(EARLIEST_AS_OF), pd.to_datetime(events["start_on"]).min())
    last = max(pd.Timestamp(LATEST_AS_OF), ev.event_end(events).max())
    return [month.strftime("%Y-%m") for month in pd.period_range(first, last, freq="M")]


def first_month_shown(options: list[str], as_of: date) -> str:
    """The month shown until the chooser is used: the short link's `?month=2023-10`, else the as-of month."""
    linked = st.query_params.get("month")
    if linked in options:
        return linked
    as_of_month = f"{as_of:%Y-%m}"
    return as_of_month if as_of_month in options else options[0]


def step_month(options: list[str], step: int) -> None:
    current = options.index(st.session_state["calendar_month"])
    st.session_state["calendar_month"] = options[min(max(current + step, 0), len(options) - 1)]


def show_unrepresented_affiliate_conferences() -> None:
    st.session_state["calendar_organizer"] = AFFILIATE_ORGANIZERS
    st.session_state["calendar_representation"] = "without"
    st.session_state["calendar_horizon"] = UNREPRESENTED_HORIZON


def agenda_list(rows: pd.DataFrame) -> str:
    """The soonest events as a Markdown list, by month: name, real or sample, dates, place, organizer, who goes.

    Text from data is shown as written (ui.text.literal)."""
    listed = rows.head(AGENDA_LIST_LENGTH)
    origin = event_origin_text(listed).map(ORIGIN_WORDS)
    dates, places = event_dates_text(listed), event_place_text(listed)
    lines, month = [], None
    for index, event in listed.iterrows():
        event_month = f"{pd.Timestamp(event['start_on']):%B %Y}"
        if event_month != month:
            lines.append(f"\n**{event_month}**\n")
            month = event_month
        who = literal(event["representatives"]) or "none confirmed"
        if event["planned_representatives"]:
            who += f"; planned: {literal(event['planned_representatives'])}"
        under_way = " · *under way*" if event["is_in_progress"] else ""
        lines.append(
            f"- **{literal(event['name'])}** · {origin[index]}{under_way}  \n"
            f"{literal(dates[index])} · {literal(places[index])} · {literal(event['organizer'])} "
            f"({literal(event['organizer_type'])}) · ICMA: {who}"
        )
    return "\n".join(lines)


def listing_table(listing: pd.DataFrame, key: str) -> None:
    """Events as a table (their event_listing): dates, name, organizer, place, ICMA representation, website link."""
    show_table(
        listing,
        key=key,
        options={"event_name": {"pinned": True}, "representatives": {"width": "medium"}},
    )


as_of = frame.as_of
params = frame.params
events = events_in_scope(params)

if events.empty:
    st.info("No event matches the sidebar filters. Widen the region or type filter in the sidebar.")
    st.stop()

options = month_options(events)

# -- filters -----------------------------------------------------------------------------------------
regions_present = [region for region in REGION_ORDER if region in set(events["organizer_region"])]
countries_present = sorted(events["country_name"].dropna().astype(str).unique())
region_column, country_column, organizer_column = st.columns(3)
chosen_regions = region_column.multiselect(
    "Organizer's region",
    regions_present,
    key="calendar_region",
    bind="query-params",
    placeholder="All regions",
    format_func=ev.region_text,
    help=f"The ICMA region of the organizing affiliate; “{ev.NO_REGION_TEXT}” for events of ICMA itself, of "
    "national affiliates and of organizers not in the data.",
)
chosen_countries = country_column.multiselect(
    "Country", countries_present, key="calendar_country", bind="query-params", placeholder="All countries"
)
chosen_organizers = organizer_column.multiselect(
    "Organizer type", list(ev.ORGANIZER_TYPES), key="calendar_organizer", bind="query-params", placeholder="All"
)
representation_column, horizon_column = st.columns([2, 1], vertical_alignment="bottom")
representation = representation_column.radio(
    "ICMA representation",
    list(REPRESENTATION_LABELS),
    format_func=REPRESENTATION_LABELS.__getitem__,
    key="calendar_representation",
    bind="query-params",
    horizontal=True,
    help="Representation means an ICMA liaison is confirmed or planned to attend (conference attendance activities).",
)
horizon = horizon_column.selectbox(
    "Upcoming within",
    list(HORIZON_LABELS),
    index=list(HORIZON_LABELS).index("12m"),
    format_func=HORIZON_LABELS.__getitem__,
    key="calendar_horizon",
    bind="query-params",
    help="How far ahead of the as-of date the agenda, map and downloads reach.",
)
st.button(
    f"Show affiliate conferences in the {HORIZON_LABELS[UNREPRESENTED_HORIZON].lower()} with no ICMA representation",
    on_click=show_unrepresented_affiliate_conferences,
    key="calendar_preset_unrepresented",
    icon="🔎",
)

choices = (tuple(chosen_regions), tuple(chosen_countries), tuple(chosen_organizers), representation)
filtered = filtered_events(params, choices)
horizon_days = None
if HORIZON_MONTHS[horizon] is not None:
    horizon_days = (pd.Timestamp(as_of) + pd.DateOffset(months=HORIZON_MONTHS[horizon]) - pd.Timestamp(as_of)).days
upcoming = ev.upcoming_as_of(filtered, as_of, horizon_days=horizon_days)

# -- agenda ---------------------------------------------------------------------------------------------
st.header("Agenda")
horizon_words = "" if horizon_days is None else f" starting within the {HORIZON_LABELS[horizon].lower()}"
st.caption(
    f"Events not yet over on {as_of:%Y-%m-%d}{horizon_words}, soonest first; "
    f"{REPRESENTATION_LABELS[representation][0].lower()}{REPRESENTATION_LABELS[representation][1:]}. "
    "Cancelled events are left out. Each says whether it is a real event or sample data."
)
if upcoming.empty:
    st.info("No upcoming event for these filters. Widen the filters or the horizon, or move the as-of date.")
else:
    count_sample = int((event_origin_text(upcoming) == ORIGIN_SAMPLE).sum())
    st.markdown(
        f"**{len(upcoming)}** upcoming event{'s' if len(upcoming) != 1 else ''} "
        f"({len(upcoming) - count_sample} real, {count_sample} sample), "
        f"**{int((~upcoming['has_icma_representation']).sum())}** without ICMA representation."
    )
    st.markdown(agenda_list(upcoming))
    if len(upcoming) > AGENDA_LIST_LENGTH:
        st.caption(f"The soonest {AGENDA_LIST_LENGTH} of {len(upcoming)}; the table has them all.")
    agenda = upcoming_listing(params, choices, horizon_days, as_of)
    listing_table(agenda, key="calendar_agenda_table")
    download_table(agenda, f"events_as_of_{as_of:%Y-%m-%d}", key="calendar_agenda")

# -- month view -----------------------------------------------------------------------------------------
st.header("Month")
previous_column, month_column, next_column = st.columns([1, 3, 1], vertical_alignment="bottom")
# Options are "YYYY-MM" as they are, so that the link reads ?calendar_month=2023-10 (a bound widget puts
# its option's label in the URL).
month = month_column.selectbox(
    "Month",
    options,
    index=options.index(first_month_shown(options, as_of)),
    key="calendar_month",
    bind="query-params",
    label_visibility="collapsed",
)
previous_column.button(
    "◀ Previous", on_click=step_month, args=(options, -1), key="calendar_month_previous", width="stretch"
)
next_column.button("Next ▶", on_click=step_month, args=(options, 1), key="calendar_month_next", width="stretch")
shown = pd.Period(month, freq="M")
month_first, month_last = shown.start_time.date(), shown.end_time.date()
in_month = ev.events_overlapping(filtered, month_first, month_last)
dated = filtered.loc[filtered["date_precision"] != "month"]
month_only = in_month.loc[in_month["date_precision"] == "month"]
chart(month_figure(params, choices, month, as_of), key="calendar_month_chart")
st.caption(
    "Weeks start on Monday. Every event of the month is shown, past or upcoming; the filters above apply, "
    'the horizon does not. A crowded week shows its first bars and "+N" on each day for the events not '
    "drawn (the table under the grid lists them all). Each bar's colour and pattern show its organizer type "
    "(named under the grid), sample events say so after their name, and ◀ ▶ mark an event continuing from or "
    "into another week. A name too long for its bar on a narrow screen is left out (hover, or see the agenda). "
    "The as-of day has a blue outline."
)
if not month_only.empty:
    st.caption(
        f"Also in {shown:%B %Y}, exact dates not known (not drawn on the grid): "
        + "; ".join(map(literal, month_only["name"]))
    )
if not in_month.empty:
    with st.expander(f"The events of {shown:%B %Y} as a table"):
        listing_table(event_listing(in_month), key="calendar_month_table")

# -- calendar files ---------------------------------------------------------------------------------------
st.header("Add to your calendar")
st.caption(
    "iCalendar (.ics) files import into Outlook, Google Calendar and Apple Calendar. Every event is all-day; "
    "importing a newer file updates the events instead of duplicating them."
)
choosable, event_labels = event_choices(params, choices, horizon_days, month, as_of)
one_column, all_column = st.columns(2, gap="large")
with one_column:
    if choosable.empty:
        st.info("No event to export: no upcoming event and none in the month shown.")
    else:
        chosen_id = st.selectbox(
            "One event (upcoming, or in the month shown)",
            list(event_labels),
            format_func=event_labels.__getitem__,
            key="calendar_ics_event",
        )
        chosen = choosable.loc[choosable["event_id"] == chosen_id].iloc[0]
        st.download_button(
            "Download this event (.ics)",
            data=lambda: event_to_ics(chosen),
            file_name=f"{chosen_id}.ics",
            mime=ICS_MIME,
            key="calendar_ics_one",
            icon="📅",
            on_click="ignore",
        )
with all_column:
    if upcoming.empty:
        st.info("No upcoming event for these filters, so there is no calendar file to download.")
    else:
        count_words = "1 event" if len(upcoming) == 1 else f"{len(upcoming)} events"
        st.markdown(f"The agenda above ({count_words}) in one file.")
        st.download_button(
            f"Download the agenda ({count_words}, .ics)",
            data=lambda: events_to_ics(upcoming),
            file_name=f"icma_affiliate_events_as_of_{as_of:%Y-%m-%d}.ics",
            mime=ICS_MIME,
            key="calendar_ics_all",
            icon="📅",
            on_click="ignore",
        )

# -- year timeline ----------------------------------------------------------------------------------------
st.header(f"The year {shown.year}")
year_events = ev.events_overlapping(filtered, date(shown.year, 1, 1), date(shown.year, 12, 31))
chart(year_figure(params, choices, shown.year, as_of), key="calendar_year_chart")
st.caption(
    "One row per event, named on the left (sample events say so); colours and patterns show the organizer "
    "type. The year follows the month shown. Month-only events are drawn on the first of their month."
)
if not year_events.empty:
    with st.expander(f"The events of {shown.year} as a table"):
        year_table = year_listing(params, choices, shown.year)
        listing_table(year_table, key="calendar_year_table")
        download_table(year_table, f"events_{shown.year}", key="calendar_year")

# -- map --------------------------------------------------------------------------------------------------
st.header("Where the upcoming events take place")
per_country, map_figure = upcoming_map(params, choices, horizon_days, as_of)
map_column, country_column = st.columns([3, 2], gap="large")
with map_column:
    chart(map_figure, key="calendar_map_chart")
    st.caption("One marker per country, labelled with its number of events; the data holds no exact locations.")
with country_column:
    if not per_country.empty:
        show_table(per_country[["country_name", "count_events", "event_names"]])
    place_unknown = upcoming.loc[upcoming["country_iso3"].isna()]
    if not place_unknown.empty:
        st.markdown(f"**Place unknown** ({len(place_unknown)}, not on the map):")
        st.markdown("\n".join(f"- {literal(name)}" for name in place_unknown["name"]))

# -- representation over the years ------------------------------------------------------------------------
st.header("ICMA representation at affiliate conferences, over the years")
table, to_come, representation_figure = representation_view(params, choices[:3], as_of)
figure_column, table_column = st.columns([3, 2], gap="large")
with figure_column:
    chart(representation_figure, key="calendar_representation_chart")
    st.caption(
        "Each bar is labelled with conferences represented of all conferences held that year. Only conferences "
        "over by the as-of date are drawn: those still to come are counted below, apart, since planned "
        "attendance is not attendance. The region, country and organizer filters apply; cancelled conferences "
        "are left out."
    )
    if not to_come.empty:
        count_to_come = int(to_come["count_events"].sum())
        per_year = to_come.groupby("year")["count_events"].sum()
        st.markdown(
            f"**Still to come:** {count_to_come} affiliate conference{'s' if count_to_come != 1 else ''} "
            f"({', '.join(f'{year}: {count}' for year, count in per_year.items())}), "
            f"ICMA representation planned or confirmed at {int(to_come['count_with_representation'].sum())}. "
            "The agenda says which are real events and which are sample data."
        )
with table_column:
    if table.empty:
        st.info("No affiliate conference held by the as-of date for these filters.")
    else:
        show_table(table)
        download_table(table, "icma_representation_by_year", key="calendar_representation")
