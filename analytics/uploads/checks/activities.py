"""Checking activities files row by row: the relationship at work, as liaisons record it.

An activity names its affiliate, its type in the words people use ("conference", "article",
"exchange", "work plan"), a date (planned ones lie ahead), and a title. Its ICMA liaison, when the
file names none, is the liaison of the affiliate's agreement in force on that date; its status,
when the file gives none, is done for a date passed and planned for one ahead. An event attended
is named by id or name.

A row without an id takes the id of the stored activity it describes (same affiliate, type, date
and title), so uploading it again replaces that activity; a new one gets an id made of its parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from analytics.uploads.checked import Checked, FileCells, record_id, same_key_reasons, with_reason
from analytics.uploads.checks.goals import agreement_in_force
from analytics.uploads.matching import AFFILIATE_SYNONYMS, TargetColumn
from analytics.uploads.names import AffiliateResolver, NameResolver, liaison_resolver, normalise, resolve_names
from analytics.uploads.values import DateOrder

if TYPE_CHECKING:
    from analytics.store.reader import Store

ACTIVITY_TYPE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["conference attendance", "conference", "conference visit", "attended conference", "attendance", "visit"],
        "conference_attendance",
    ),
    **dict.fromkeys(
        ["publication contribution", "publication", "article", "contribution", "blog post", "newsletter"],
        "publication_contribution",
    ),
    **dict.fromkeys(["member exchange", "exchange", "study tour", "exchange visit"], "member_exchange"),
    **dict.fromkeys(["work plan item", "work plan", "workplan", "annual work plan", "plan item"], "work_plan_item"),
}
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(["planned", "plan", "proposed", "to do", "todo", "not started"], "planned"),
    **dict.fromkeys(["confirmed", "scheduled", "booked", "agreed"], "confirmed"),
    **dict.fromkeys(["in progress", "ongoing", "underway", "under way", "started", "in hand"], "in_progress"),
    **dict.fromkeys(["done", "completed", "complete", "held", "finished", "attended", "published"], "done"),
    **dict.fromkeys(["cancelled", "canceled", "dropped", "withdrawn"], "cancelled"),
}

COLUMNS: tuple[TargetColumn, ...] = (
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


@dataclass(frozen=True)
class ActivityReference:
    """What checking an activities file needs from the store: affiliates, liaisons, agreements, events and
    the activities already there."""

    affiliates: AffiliateResolver
    liaisons: NameResolver
    events: NameResolver
    terms: pd.DataFrame  # agreement_id, affiliate_id, liaison_id, signed_on: one row per agreement
    activities: pd.DataFrame  # activity_id, affiliate_id, activity_type, occurred_on, title_key

    @classmethod
    def from_tables(
        cls,
        affiliates: pd.DataFrame,
        states: pd.DataFrame,
        liaisons: pd.DataFrame,
        agreements: pd.DataFrame,
        events: pd.DataFrame,
        activities: pd.DataFrame,
    ) -> ActivityReference:
        event_records = [
            (event_id, f"{name}, {pd.Timestamp(start_on):%Y-%m-%d} ({event_id})", [event_id, name])
            for event_id, name, start_on in zip(events["event_id"], events["name"], events["start_on"], strict=True)
        ]
        terms = agreements[["agreement_id", "affiliate_id", "liaison_id", "signed_on"]].assign(
            signed_on=pd.to_datetime(agreements["signed_on"]).astype("datetime64[ns]")
        )
        stored = activities[["activity_id", "affiliate_id", "activity_type"]].assign(
            occurred_on=pd.to_datetime(activities["occurred_on"]).astype("datetime64[ns]"),
            title_key=activities["title"].map(normalise),
        )
        return cls(
            AffiliateResolver.from_tables(affiliates, states),
            liaison_resolver(liaisons, "use their liaison id, full name or e-mail, as on the affiliate's profile"),
            NameResolver.from_names(event_records, "event", "use its id, or its name as on the Calendar page"),
            terms,
            stored,
        )

    @classmethod
    def from_store(cls, store: Store) -> ActivityReference:
        tables = ("affiliates", "states", "liaisons", "agreements", "events", "activities")
        return cls.from_tables(*(store.table(name) for name in tables))


def check_activities(
    cells: FileCells, reference: ActivityReference, today: date, date_order: DateOrder | None = None
) -> Checked:
    """Every row of an activities file checked; valid rows typed for the store."""
    rows = cells.rows()
    rows["affiliate_id"], affiliate_reason = resolve_names(cells.text("affiliate_id"), reference.affiliates)
    reasons = {"affiliate_id": cells.required("affiliate_id").fillna(affiliate_reason)}

    dates, date_reasons, question = cells.dates(("occurred_on",), date_order)
    rows["occurred_on"] = dates["occurred_on"].astype("datetime64[ns]")
    reasons["occurred_on"] = cells.required("occurred_on").fillna(date_reasons["occurred_on"])

    types = cells.text("activity_type").map(normalise).map(ACTIVITY_TYPE_WORDS).astype("string")
    rows["activity_type"] = types
    reasons["activity_type"] = with_reason(
        cells.required("activity_type"),
        types.isna(),
        "not an activity type (use conference attendance, publication contribution, member exchange or work plan item)",
    )
    rows["title"] = cells.value("title")
    reasons["title"] = cells.required("title")

    is_ahead = rows["occurred_on"] > pd.Timestamp(today)
    given = cells.text("status").map(normalise).map(STATUS_WORDS).astype("string")
    status_reason = with_reason(
        pd.Series(pd.NA, index=cells.index, dtype="string"),
        given.isna() & ~cells.blank("status"),
        "not a status (use planned, confirmed, in progress, done or cancelled)",
    )
    reasons["status"] = with_reason(status_reason, (given == "done") & is_ahead, "done, but dated in the future")
    rows["status"] = given.fillna(pd.Series("done", index=cells.index, dtype="string").mask(is_ahead, "planned"))

    rows["liaison_id"], reasons["liaison_id"], reasons["affiliate_id"] = _liaisons(
        cells, rows, reference, reasons["affiliate_id"]
    )
    rows["event_id"], reasons["event_id"] = resolve_names(cells.text("event_id"), reference.events)

    asked = pd.DataFrame(
        {
            "affiliate_id": rows["affiliate_id"].astype(object),
            "activity_type": rows["activity_type"].astype(object),
            "occurred_on": rows["occurred_on"],
            "title_key": rows["title"].fillna("").map(normalise),
        }
    )
    key = ["affiliate_id", "activity_type", "occurred_on", "title_key"]
    stored = reference.activities.drop_duplicates(key).astype({"affiliate_id": object, "activity_type": object})
    found = asked.merge(stored, on=key, how="left")["activity_id"]
    made = pd.Series(
        [
            record_id("A-", affiliate, when.date().isoformat(), slug_of=title)
            if isinstance(affiliate, str) and pd.notna(when) and title
            else None
            for affiliate, when, title in zip(
                asked["affiliate_id"], asked["occurred_on"], asked["title_key"], strict=True
            )
        ],
        index=cells.index,
        dtype="string",
    )
    rows["activity_id"] = (
        cells.value("activity_id").fillna(pd.Series(found.to_numpy(), index=cells.index, dtype="string")).fillna(made)
    )
    key_column = "activity_id" if cells.has("activity_id") else "title"
    reasons[key_column] = same_key_reasons(rows, ["activity_id"], reasons.get(key_column), "activity")
    rows["is_sample"] = False
    return cells.checked(rows, reasons, question)


def _liaisons(
    cells: FileCells, rows: pd.DataFrame, reference: ActivityReference, affiliate_reason: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each activity's liaison: the one named, else the liaison of the affiliate's agreement in force on its date
    (the affiliate's first agreement for an earlier date); and the reasons for the liaison and affiliate columns."""
    named, liaison_reason = resolve_names(cells.text("liaison_id"), reference.liaisons)
    in_force = agreement_in_force(rows["affiliate_id"], rows["occurred_on"], reference.terms)
    first = reference.terms.sort_values("signed_on").drop_duplicates("affiliate_id")
    first_agreement = rows["affiliate_id"].map(dict(zip(first["affiliate_id"], first["agreement_id"], strict=True)))
    agreement = in_force.fillna(first_agreement.astype("string"))
    liaison_of = dict(zip(reference.terms["agreement_id"], reference.terms["liaison_id"], strict=True))
    liaisons = named.fillna(agreement.map(liaison_of).astype("string"))
    unknown = liaisons.isna() & cells.blank("liaison_id") & rows["affiliate_id"].notna()
    message = "no ICMA liaison: name one (this affiliate has no agreement to take its liaison from)"
    if cells.has("liaison_id"):
        liaison_reason = with_reason(liaison_reason, unknown, message)
    else:
        affiliate_reason = with_reason(affiliate_reason, unknown, message)
    return liaisons, liaison_reason, affiliate_reason
