"""The columns of each kind of upload: their schema names, whether a file must have them, and the
names they go by in the files people export ("State", "ST", "state_code").

A file's header is matched against these (analytics.uploads.ingest.match_columns); the upload page offers
them for matching by hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
# Letters that Unicode does not decompose into a plain letter and an accent ("årsmøde" -> "arsmode").
_UNDECOMPOSABLE = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}
    | {"ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"}
)


def normalise(text: str) -> str:
    """Text for matching: accents dropped, case folded, punctuation as single spaces."""
    text = str(text)
    if text.isascii():  # nothing to decompose, and casefold() is lower() (most names: several times faster)
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
        plain = "".join(character for character in decomposed if not unicodedata.combining(character)).casefold()
    return _NOT_ALPHANUMERIC.sub(" ", plain).strip()


@dataclass(frozen=True)
class TargetColumn:
    """A column of an upload kind: its schema name, whether a file must have it, and names it goes by."""

    name: str
    label: str
    required: bool
    synonyms: tuple[str, ...]


# What a column naming an affiliate goes by.
AFFILIATE_SYNONYMS = (
    "affiliate",
    "affiliate id",
    "affiliate name",
    "association",
    "association name",
    "organization",
    "organisation",
)

MEMBERSHIP_COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn(
        "affiliate_id",
        "affiliate",
        True,
        (*AFFILIATE_SYNONYMS, "state", "st", "state code", "state_code", "acronym"),
    ),
    TargetColumn(
        "snapshot_on",
        "date",
        True,
        (
            "date",
            "as of",
            "as of date",
            "snapshot",
            "snapshot date",
            "snapshot on",
            "month end",
            "period end",
            "report date",
            "reported on",
            "month",
        ),
    ),
    TargetColumn(
        "members",
        "members",
        True,
        ("members", "total members", "member count", "membership", "total membership", "number of members"),
    ),
    TargetColumn(
        "icma_members",
        "members also in ICMA",
        True,
        (
            "icma members",
            "dual members",
            "dual membership",
            "also icma",
            "members also in icma",
            "icma",
            "icma member count",
        ),
    ),
    TargetColumn("new_members", "new members", False, ("new members", "new", "joined", "joins", "new joins")),
    TargetColumn(
        "lapsed_members",
        "lapsed members",
        False,
        ("lapsed members", "lapsed", "left", "lapses", "drops", "dropped"),
    ),
)

EVENT_COLUMNS: tuple[TargetColumn, ...] = (
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

GOAL_COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn("goal_id", "goal id", False, ("goal id", "id", "goal code", "code", "goal number")),
    TargetColumn("agreement_id", "agreement", False, ("agreement", "agreement id", "agreement code")),
    TargetColumn("affiliate_id", "affiliate", False, (*AFFILIATE_SYNONYMS, "partner")),
    TargetColumn(
        "area_of_emphasis",
        "area of emphasis",
        True,
        ("area", "area of emphasis", "areas of emphasis", "emphasis", "focus area", "theme", "category"),
    ),
    TargetColumn("title", "goal", True, ("goal", "title", "goal title", "goal name", "goal description", "objective")),
    TargetColumn("metric", "metric", True, ("metric", "measure", "indicator", "kpi", "what is measured")),
    TargetColumn("unit", "unit", True, ("unit", "units", "unit of measure", "uom")),
    TargetColumn("direction", "direction", False, ("direction", "better when", "aim")),
    TargetColumn(
        "baseline_value",
        "baseline",
        True,
        ("baseline", "baseline value", "start value", "starting value", "value at start"),
    ),
    TargetColumn("target_value", "target", True, ("target", "target value", "goal value", "value at due date")),
    TargetColumn(
        "start_on", "start date", True, ("start", "start date", "starts", "starts on", "begins", "term start", "from")
    ),
    TargetColumn(
        "due_on",
        "due date",
        True,
        ("due", "due date", "due on", "deadline", "end", "end date", "target date", "term end", "by", "to"),
    ),
    TargetColumn(
        "reporting_interval_months",
        "reporting interval",
        False,
        (
            "reporting interval",
            "reporting interval months",
            "reporting frequency",
            "frequency",
            "interval",
            "check in every",
            "months between reports",
        ),
    ),
)

CHECKIN_COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn("checkin_id", "check-in id", False, ("check in id", "checkin id", "id", "report id")),
    TargetColumn("goal_id", "goal", True, ("goal", "goal id", "goal code", "goal title", "goal name", "goal number")),
    TargetColumn(
        "reported_on",
        "date",
        True,
        (
            "date",
            "reported",
            "reported on",
            "report date",
            "reporting date",
            "as of",
            "as of date",
            "check in date",
            "checkin date",
        ),
    ),
    TargetColumn(
        "value",
        "value",
        True,
        ("value", "progress", "actual", "actual value", "current value", "result", "reported value", "progress value"),
    ),
    TargetColumn(
        "narrative",
        "narrative",
        False,
        ("narrative", "notes", "note", "comment", "comments", "update", "what happened", "description"),
    ),
    TargetColumn("reported_by", "reported by", False, ("reported by", "reporter", "by", "author", "submitted by")),
)

ACTIVITY_COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn("activity_id", "activity id", False, ("activity id", "id", "code")),
    TargetColumn("affiliate_id", "affiliate", True, (*AFFILIATE_SYNONYMS, "state", "st", "state code", "acronym")),
    TargetColumn(
        "liaison_id",
        "ICMA liaison",
        False,
        (
            "liaison",
            "liaison id",
            "liaison name",
            "icma liaison",
            "icma contact",
            "contact",
            "representative",
            "icma representative",
        ),
    ),
    TargetColumn("activity_type", "activity type", True, ("type", "activity type", "kind", "activity kind")),
    TargetColumn(
        "occurred_on",
        "date",
        True,
        ("date", "occurred on", "occurred", "on", "when", "activity date", "planned for", "held on"),
    ),
    TargetColumn("title", "title", True, ("title", "activity", "activity title", "description", "what", "name")),
    TargetColumn("status", "status", False, ("status", "activity status", "stage")),
    TargetColumn("event_id", "event", False, ("event", "event id", "event name", "conference")),
)

KIND_COLUMNS: dict[str, tuple[TargetColumn, ...]] = {
    "membership": MEMBERSHIP_COLUMNS,
    "events": EVENT_COLUMNS,
    "goals": GOAL_COLUMNS,
    "goal_checkins": CHECKIN_COLUMNS,
    "activities": ACTIVITY_COLUMNS,
}


def synonym_lookup(kind: str) -> dict[str, str]:
    """Normalised header text -> schema column, for one kind."""
    lookup = {}
    for column in KIND_COLUMNS[kind]:
        for name in (column.name, *column.synonyms):
            lookup[normalise(name)] = column.name
    return lookup


def column_guide(kind: str) -> pd.DataFrame:
    """One row per column a file of this kind may have: its header, whether it is required, other names it goes by."""
    return pd.DataFrame(
        [
            {
                "Column": _header(column.label),
                "Required": column.required,
                "Also recognised as": ", ".join(
                    name for name in column.synonyms if normalise(name) != normalise(column.label)
                ),
            }
            for column in KIND_COLUMNS[kind]
        ]
    )


def template(kind: str) -> pd.DataFrame:
    """An empty table whose headers are the columns of this kind, as a file to fill in."""
    return pd.DataFrame(columns=[_header(column.label) for column in KIND_COLUMNS[kind]])


def _header(label: str) -> str:
    """A label as a header: first letter capitalised, the rest as written ("Members also in ICMA")."""
    return label[:1].upper() + label[1:]
