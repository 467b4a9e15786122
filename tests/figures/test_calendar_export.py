"""Tests for analytics.figures.calendar_export: the .ics file, parsed back with icalendar and read field by field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from icalendar import Calendar

from analytics.figures.calendar_export import event_to_ics, events_to_ics
from tests.frames import make_events

STAMP = datetime(2023, 9, 15, 12, 0, tzinfo=UTC)
LONG_NOTES = "The association's annual conference brings together city and county managers. " * 6


EVENTS = make_events(
    {
        "event_id": "E2023-solace-summit",
        "name": "SOLACE Summit, 2023; Leaders",
        "organizer": "SOLACE",
        "start_on": "2023-10-30",
        "end_on": "2023-11-02",
        "venue": "ICC",
        "city": "Birmingham",
        "country_name": "United Kingdom",
        "website": "https://solace.org.uk/summit",
        "notes": LONG_NOTES,
    },
    {
        "event_id": "E2023-month",
        "name": "Autumn meeting",
        "organizer": "Some association",
        "start_on": "2023-11-01",
        "date_precision": "month",
        "is_sample": True,
    },
    {
        "event_id": "E2023-off",
        "name": "Called off",
        "organizer": "Another association",
        "start_on": "2023-12-04",
        "end_on": "2023-12-05",
        "is_cancelled": True,
    },
)


def parse(ics: bytes) -> Calendar:
    return Calendar.from_ical(ics)


def vevents_by_uid(ics: bytes) -> dict[str, object]:
    return {str(event["UID"]): event for event in parse(ics).walk("VEVENT")}


def test_calendar_has_prodid_version_and_one_event_per_row():
    calendar = parse(events_to_ics(EVENTS, stamp=STAMP))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert calendar.calendar_name == "ICMA affiliate events"
    assert len(calendar.walk("VEVENT")) == 3


def test_uid_comes_from_event_id_and_the_file_is_the_same_on_every_call():
    first, second = events_to_ics(EVENTS, stamp=STAMP), events_to_ics(EVENTS, stamp=STAMP)
    assert first == second
    assert set(vevents_by_uid(first)) == {
        "E2023-solace-summit@icma-affiliate-insights",
        "E2023-month@icma-affiliate-insights",
        "E2023-off@icma-affiliate-insights",
    }


def test_dtstamp_is_the_given_stamp():
    event = vevents_by_uid(events_to_ics(EVENTS, stamp=STAMP))["E2023-off@icma-affiliate-insights"]
    assert event.DTSTAMP == STAMP


def test_dates_are_all_day_with_an_exclusive_end():
    event = vevents_by_uid(events_to_ics(EVENTS, stamp=STAMP))["E2023-solace-summit@icma-affiliate-insights"]
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert type(start) is date and type(end) is date
    assert (start, end) == (date(2023, 10, 30), date(2023, 11, 3))


def test_event_without_end_lasts_one_day():
    event = vevents_by_uid(events_to_ics(EVENTS, stamp=STAMP))["E2023-month@icma-affiliate-insights"]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2023, 11, 1), date(2023, 11, 2))


def test_summary_location_and_url_survive_escaping():
    ics = events_to_ics(EVENTS, stamp=STAMP)
    assert b"SUMMARY:SOLACE Summit\\, 2023\\; Leaders" in ics
    event = vevents_by_uid(ics)["E2023-solace-summit@icma-affiliate-insights"]
    assert str(event["SUMMARY"]) == "SOLACE Summit, 2023; Leaders"
    assert str(event["LOCATION"]) == "ICC, Birmingham, United Kingdom"
    assert str(event["URL"]) == "https://solace.org.uk/summit"


def test_description_names_organizer_and_notes():
    event = vevents_by_uid(events_to_ics(EVENTS, stamp=STAMP))["E2023-solace-summit@icma-affiliate-insights"]
    description = str(event["DESCRIPTION"])
    assert description.startswith("Organizer: SOLACE\n")
    assert LONG_NOTES.strip() in description
    assert "ICMA representation" not in description


def test_month_precision_and_sample_events_are_flagged():
    event = vevents_by_uid(events_to_ics(EVENTS, stamp=STAMP))["E2023-month@icma-affiliate-insights"]
    description = str(event["DESCRIPTION"])
    assert "exact dates not known" in description.lower()
    assert "November 2023" in description
    assert "Sample event" in description
    assert "URL" not in event and "LOCATION" not in event
    # The event's name says it too, as the agenda and the grid do: the summary is what a calendar shows.
    assert str(event["SUMMARY"]) == "Autumn meeting (sample)"
    real = vevents_by_uid(events_to_ics(EVENTS, stamp=STAMP))["E2023-off@icma-affiliate-insights"]
    assert str(real["SUMMARY"]) == "Called off"


def test_cancelled_event_has_status_cancelled():
    events = vevents_by_uid(events_to_ics(EVENTS, stamp=STAMP))
    assert str(events["E2023-off@icma-affiliate-insights"]["STATUS"]) == "CANCELLED"
    assert "STATUS" not in events["E2023-solace-summit@icma-affiliate-insights"]


def test_description_shows_icma_representation_when_present():
    represented = EVENTS.assign(
        representatives=["Ana Ruiz (Regional Vice President)", "", ""],
        planned_representatives=["", "Ben Cole (Staff)", ""],
    )
    events = vevents_by_uid(events_to_ics(represented, stamp=STAMP))
    assert "ICMA representation: Ana Ruiz (Regional Vice President)" in str(
        events["E2023-solace-summit@icma-affiliate-insights"]["DESCRIPTION"]
    )
    planned = str(events["E2023-month@icma-affiliate-insights"]["DESCRIPTION"])
    assert "ICMA representation: none confirmed" in planned
    assert "ICMA representation planned: Ben Cole (Staff)" in planned


def test_lines_are_folded_at_75_octets_with_crlf_endings():
    ics = events_to_ics(EVENTS, stamp=STAMP)
    assert ics.endswith(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines), "the long description should be folded"


def test_folding_counts_octets_not_characters():
    accented = make_events({"event_id": "E-accent", "name": "Réunion " * 30, "start_on": "2023-10-01"})
    ics = events_to_ics(accented, stamp=STAMP)
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
    assert str(parse(ics).walk("VEVENT")[0]["SUMMARY"]) == ("Réunion " * 30).strip()


def test_event_to_ics_exports_one_event():
    calendar = parse(event_to_ics(EVENTS.iloc[2], stamp=STAMP))
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == "E2023-off@icma-affiliate-insights"
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2023, 12, 4), date(2023, 12, 6))


def test_export_leaves_its_input_unchanged():
    before = EVENTS.copy()
    events_to_ics(EVENTS, stamp=STAMP)
    pd.testing.assert_frame_equal(EVENTS, before)
