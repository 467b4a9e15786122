"""Checking events files: affiliate events and ICMA's own, as analysts list them.

An event names its name and start date; an end before the start, an affiliate in another country than the
event, and a website that is not an http(s) address are errors. An event with an affiliate is that
affiliate's (its organizer, when the file names none, is the affiliate), one without is ICMA's. A row without
an id takes the id of the stored event of the same name starting within SAME_EVENT_DAYS days, so moving an
event's dates replaces it; a new event gets an id made of its start date and name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from analytics.uploads.checked import (
    Checked,
    FileCells,
    made_id_collisions,
    record_id,
    same_key_reasons,
    web_addresses,
    with_reason,
)
from analytics.uploads.matching import TargetColumn
from analytics.uploads.names import AffiliateResolver, normalise, resolve_names
from analytics.uploads.values import DateOrder

if TYPE_CHECKING:
    from analytics.store.reader import Store

# An event of the same name starting this many days from a stored one is that event, moved.
SAME_EVENT_DAYS = 14

COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn("event_id", "event id", False, ("event id", "id", "event code", "code")),
    TargetColumn("name", "event name", True, ("event", "event name", "title", "event title", "name")),
    TargetColumn(
        "start_on",
        "start date",
        True,
        ("start", "start date", "starts", "starts on", "start on", "from", "from date", "date", "begins", "first day"),
    ),
    TargetColumn(
        "end_on", "end date", False, ("end", "end date", "ends", "ends on", "end on", "to", "to date", "last day")
    ),
    TargetColumn("organizer", "organizer", False, ("organizer", "organiser", "organized by", "organised by", "host")),
    TargetColumn(
        "affiliate_id",
        "affiliate",
        False,
        ("affiliate", "affiliate id", "affiliate name", "association", "association name"),
    ),
    TargetColumn("city", "city", False, ("city", "town", "location")),
    TargetColumn("country", "country", False, ("country", "country name", "country code", "iso3", "country iso3")),
    TargetColumn("venue", "venue", False, ("venue", "place")),
    TargetColumn("website", "website", False, ("website", "url", "web", "web site", "link")),
    TargetColumn("notes", "notes", False, ("notes", "note", "description", "comments")),
)


@dataclass(frozen=True)
class EventReference:
    """What checking an events file needs from the store: affiliates (by any name) and countries."""

    affiliates: AffiliateResolver
    affiliate_names: dict[str, str]  # affiliate_id -> name, the organizer when the file names none
    countries: dict[str, tuple[str, str]]  # normalised country name or ISO-3 code -> (iso3, name)
    affiliate_countries: dict[str, str] = field(default_factory=dict)  # affiliate_id -> ISO-3 code
    stored: pd.DataFrame = field(default_factory=pd.DataFrame)  # event_id, name_key, start_on of stored events

    @classmethod
    def from_tables(
        cls, affiliates: pd.DataFrame, states: pd.DataFrame | None = None, events: pd.DataFrame | None = None
    ) -> EventReference:
        countries: dict[str, tuple[str, str]] = {}
        for frame in (affiliates, events):
            if frame is None or frame.empty:
                continue
            pairs = frame[["country_iso3", "country_name"]].dropna().drop_duplicates()
            for iso3, name in pairs.itertuples(index=False, name=None):
                countries.setdefault(normalise(iso3), (iso3, name))
                countries.setdefault(normalise(name), (iso3, name))
        names = dict(zip(affiliates["affiliate_id"], affiliates["name"], strict=True))
        affiliate_countries = dict(zip(affiliates["affiliate_id"], affiliates["country_iso3"], strict=True))
        stored = pd.DataFrame(columns=["event_id", "name_key", "start_on"])
        if events is not None and not events.empty:
            stored = pd.DataFrame(
                {
                    "event_id": events["event_id"].astype(object),
                    "name_key": events["name"].map(normalise).astype(object),
                    "start_on": pd.to_datetime(events["start_on"]).astype("datetime64[ns]"),
                }
            )
        resolver = AffiliateResolver.from_tables(affiliates, states)
        return cls(resolver, names, countries, affiliate_countries, stored)

    @classmethod
    def from_store(cls, store: Store) -> EventReference:
        return cls.from_tables(store.table("affiliates"), store.table("states"), store.table("events"))


def _stored_event_ids(rows: pd.DataFrame, stored: pd.DataFrame) -> pd.Series:
    """The id of the stored event each row describes: the same name, starting within SAME_EVENT_DAYS days
    (the closest), so that moving an event's dates in a file replaces it rather than adding a second one."""
    asked = pd.DataFrame(
        {
            "name_key": rows["name"].fillna("").map(normalise).astype(object),
            "asked_on": pd.to_datetime(rows["start_on"]).astype("datetime64[ns]"),
            "position": range(len(rows)),
        }
    )
    found = pd.Series(pd.NA, index=rows.index, dtype="string")
    if stored.empty:
        return found
    pairs = asked[asked["name_key"] != ""].merge(stored, on="name_key")
    pairs["days"] = (pairs["start_on"] - pairs["asked_on"]).abs().dt.days
    pairs = pairs[pairs["days"] <= SAME_EVENT_DAYS].sort_values(["position", "days"]).drop_duplicates("position")
    found.iloc[pairs["position"].to_numpy()] = pairs["event_id"].to_numpy()
    return found


def event_id_for(name: str, start_on: date) -> str:
    """A stable event_id from the event's name and start date, e.g. `E2026-05-14-solace-summit`."""
    return record_id("E", start_on.isoformat(), slug_of=name)


def check_events(
    cells: FileCells, reference: EventReference, today: date, date_order: DateOrder | None = None
) -> Checked:
    """Every row of an events file checked; valid rows typed for the store.

    An analyst's event is a real one: day precision, not cancelled, not sample, confidence high.
    Its type is `affiliate` when it names an affiliate, else `icma`; its organizer, when the file
    gives none, is that affiliate's name, else ICMA. A missing event_id is made from the name and
    start date, so uploading the same event again replaces it rather than adding a second one.
    """
    rows = cells.rows()
    reasons = {"name": cells.required("name")}
    rows["name"] = cells.value("name")

    dates, date_reasons, question = cells.dates(("start_on", "end_on"), date_order)
    rows["start_on"], rows["end_on"] = dates["start_on"], dates["end_on"]
    reasons["start_on"] = date_reasons["start_on"].mask(cells.blank("start_on"), "no date")
    reasons["end_on"] = with_reason(date_reasons["end_on"], rows["end_on"] < rows["start_on"], "ends before it starts")

    rows["affiliate_id"], reasons["affiliate_id"] = resolve_names(cells.text("affiliate_id"), reference.affiliates)
    rows["event_type"] = pd.Series("icma", index=cells.index, dtype="string").mask(
        rows["affiliate_id"].notna(), "affiliate"
    )
    organizer_default = rows["affiliate_id"].map(reference.affiliate_names).fillna("ICMA").astype("string")
    rows["organizer"] = cells.value("organizer").fillna(organizer_default)

    country_keys = cells.text("country").map(normalise)
    iso3 = {key: iso3 for key, (iso3, _) in reference.countries.items()}
    names = {key: name for key, (_, name) in reference.countries.items()}
    rows["country_iso3"] = country_keys.map(iso3).astype("string")
    rows["country_name"] = country_keys.map(names).astype("string").fillna(cells.value("country"))
    country_names = {iso3: name for iso3, name in reference.countries.values()}
    home = rows["affiliate_id"].map(reference.affiliate_countries).astype("string")
    elsewhere = home.notna() & rows["country_iso3"].notna() & (home != rows["country_iso3"])
    reasons["affiliate_id"] = reasons["affiliate_id"].mask(
        elsewhere & reasons["affiliate_id"].isna(),
        "this affiliate is in "
        + home.map(country_names).astype("string").fillna(home).fillna("")
        + " but the event in "
        + rows["country_name"].fillna("")
        + "; name the affiliate by its full name or acronym, or leave it blank",
    )
    for name in ("city", "venue", "notes"):
        rows[name] = cells.value(name)
    rows["website"], reasons["website"] = web_addresses(cells.value("website"))

    made_ids = pd.Series(
        [
            event_id_for(name, start.date()) if isinstance(name, str) and pd.notna(start) else None
            for name, start in zip(rows["name"].astype(object), rows["start_on"], strict=True)
        ],
        index=cells.index,
        dtype="string",
    )
    found_ids = cells.value("event_id").fillna(_stored_event_ids(rows, reference.stored))
    rows["event_id"] = found_ids.fillna(made_ids)
    key_column = "event_id" if cells.has("event_id") else "name"
    reasons[key_column] = same_key_reasons(rows, ["event_id"], reasons.get(key_column), "event")
    stored_ids = reference.stored["event_id"] if "event_id" in reference.stored else pd.Series(dtype=object)
    reasons[key_column] = made_id_collisions(made_ids, found_ids.isna(), stored_ids, "event", reasons[key_column])
    rows["date_precision"] = "day"
    rows["is_cancelled"] = False
    rows["source"] = pd.Series(pd.NA, index=cells.index, dtype="string")
    rows["confidence"] = "high"
    rows["is_sample"] = False
    return cells.checked(rows, reasons, question)
