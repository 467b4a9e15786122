"""Events as an iCalendar (.ics) file, built with the `icalendar` library (RFC 5545).

Every event is exported as an all-day event: DTSTART is its first day and DTEND the day after
its effective last day (DTEND is exclusive for DATE values). The UID is derived from
`event_id`, so re-importing a newer export updates events instead of duplicating them. Line
folding at 75 octets, CRLF line endings and text escaping are left to the library.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from icalendar import Calendar, Event

from analytics.domain.events import event_end

PRODID = "-//ICMA Affiliate Insights//Event calendar//EN"
UID_DOMAIN = "icma-affiliate-insights"
DEFAULT_CALENDAR_NAME = "ICMA affiliate events"


def event_uid(event_id: str) -> str:
    """The iCalendar UID of an event: the same for the same `event_id` in every export."""
    return f"{event_id}@{UID_DOMAIN}"


def events_to_ics(
    events: pd.DataFrame,
    calendar_name: str = DEFAULT_CALENDAR_NAME,
    stamp: datetime | None = None,
) -> bytes:
    """The events as the bytes of one .ics file, one VEVENT per row (in row order).

    `stamp` is the DTSTAMP of every event (when the file was made); it defaults to now in UTC
    and a naive datetime is read as UTC. Columns used: those of the `events` table, plus
    `representatives` and `planned_representatives` when present (see
    `analytics.domain.events.icma_representation`). An empty frame gives a calendar without events,
    which RFC 5545 does not allow: offer no download then.
    """
    stamp_at = _utc(stamp)
    calendar = Calendar.new(
        name=calendar_name,
        prodid=PRODID,
        uid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{UID_DOMAIN}/{calendar_name}")),
    )
    last_days = event_end(events) if len(events) else pd.Series(dtype="datetime64[us]")
    for (_, row), last_day in zip(events.iterrows(), last_days, strict=True):
        calendar.add_component(_vevent(row, pd.Timestamp(last_day).date(), stamp_at))
    return calendar.to_ical()


def event_to_ics(event_row: pd.Series, stamp: datetime | None = None) -> bytes:
    """One event (a row of the `events` table) as the bytes of a .ics file of its own."""
    return events_to_ics(event_row.to_frame().T, calendar_name=_text(event_row.get("name")) or "Event", stamp=stamp)


def _vevent(row: pd.Series, last_day: date, stamp: datetime) -> Event:
    first_day = pd.Timestamp(row["start_on"]).date()
    return Event.new(
        uid=event_uid(str(row["event_id"])),
        stamp=stamp,
        start=first_day,
        end=last_day + timedelta(days=1),
        summary=_summary(row),
        location=_location(row),
        url=_text(row.get("website")),
        description=_description(row, first_day),
        status="CANCELLED" if _is_true(row.get("is_cancelled")) else None,
    )


def _summary(row: pd.Series) -> str | None:
    """The event's name, with "(sample)" after it for a generated event, as every view of the calendar says."""
    name = _text(row.get("name"))
    return f"{name} (sample)" if name and _is_true(row.get("is_sample")) else name


def _location(row: pd.Series) -> str | None:
    parts = [_text(row.get(column)) for column in ("venue", "city", "country_name")]
    present = [part for part in parts if part]
    return ", ".join(present) or None


def _description(row: pd.Series, first_day: date) -> str | None:
    lines = []
    if organizer := _text(row.get("organizer")):
        lines.append(f"Organizer: {organizer}")
    if row.get("date_precision") == "month":
        lines.append(f"Exact dates not known: held in {first_day:%B %Y}.")
    if _is_true(row.get("is_cancelled")):
        lines.append("This event was cancelled.")
    if "representatives" in row.index:
        representatives = _text(row.get("representatives"))
        lines.append(f"ICMA representation: {representatives or 'none confirmed'}")
        if planned := _text(row.get("planned_representatives")):
            lines.append(f"ICMA representation planned: {planned}")
    if notes := _text(row.get("notes")):
        lines.append(notes)
    if source := _text(row.get("source")):
        lines.append(f"Source: {source}")
    if _is_true(row.get("is_sample")):
        lines.append("Sample event: generated for the demo, not taken from a public source.")
    return "\n".join(lines) or None


def _text(value: object) -> str | None:
    """The value as stripped text, None when it is missing or blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _is_true(value: object) -> bool:
    return value is not None and not pd.isna(value) and bool(value)


def _utc(stamp: datetime | None) -> datetime:
    if stamp is None:
        return datetime.now(UTC).replace(microsecond=0)
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC)
