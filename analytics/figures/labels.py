"""Every table column's display label and the kind of value it holds, declared once.

The pages show their tables through `ui.labels` (which adds Streamlit's formats for each kind), the
downloads beside them carry the same labels, and so do the tables built here in `analytics.figures`
(the goal list, the portfolio trends, the event listing) that also go into the briefing pack. A table
is built with the data's own column names (`affiliate_name`, `share_icma`) and labelled last, by
`labelled`, which refuses a column that has no label: a new column is one entry below.

One concept has one label everywhere ("Share also in ICMA" on every page); two names may share a
label only when they hold the same kind of value (`month_end_on` and the portfolio's `month_end`). A
label may name a setting (`{inactive_after_months}`): it then reads the number in force.

>>> labelled(pd.DataFrame({"affiliate_name": ["Cal-ICMA"], "share_icma": [0.6]})).columns.tolist()
['Affiliate', 'Share also in ICMA']
>>> label_text("is_inactive", Settings(inactive_after_months=18))
'No activity in 18 months'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from types import MappingProxyType

import pandas as pd

from analytics.core.settings import Settings

# What a column's cells hold, which decides how they are formatted on a page and in a workbook.
KINDS: tuple[str, ...] = (
    "text",
    "count",  # whole numbers: thousands separators
    "number",  # measured values, decimals kept
    "percent",  # shares from 0 to 1
    "date",
    "year",  # a year as a number, never with a separator
    "link",  # a web address
    "profile_link",  # a link to a page of this app: shown on the page, left out of downloads
    "flag",  # True or False
)


@dataclass(frozen=True)
class ColumnLabel:
    """How one column reads: its header, the kind of its cells, a tooltip, and the text of a link."""

    text: str
    kind: str = "text"
    help: str | None = None
    link_text: str | None = None  # what a link cell shows instead of the address (None: the address)
    signed: bool = False  # a change: read with its sign ("+12", "-3.5%"), a zero without one


COLUMN_LABELS: dict[str, ColumnLabel] = {
    # -- affiliates and their agreements -----------------------------------------------------------
    "affiliate_name": ColumnLabel("Affiliate"),
    "acronym": ColumnLabel("Acronym"),
    "focus": ColumnLabel("Serves"),
    "affiliate_type": ColumnLabel("Affiliate type"),
    "icma_region": ColumnLabel("ICMA region"),
    "country_iso3": ColumnLabel("ISO-3"),
    "country_name": ColumnLabel("Country"),
    "state_code": ColumnLabel("State"),
    "state_name": ColumnLabel("Name"),
    "relationship_since": ColumnLabel("Since", "year"),
    "liaison_name": ColumnLabel("Liaison"),
    "liaison_names": ColumnLabel("Liaison(s)"),
    "profile": ColumnLabel("Profile", "profile_link", link_text="Profile ›"),
    "has_association": ColumnLabel("Association"),
    "association_name": ColumnLabel("Association name"),
    "affiliate_names": ColumnLabel("Names"),
    "count_affiliates": ColumnLabel("Affiliates", "count"),
    "agreement_id": ColumnLabel("Agreement"),
    "agreement_status": ColumnLabel("Agreement status"),
    "worst_agreement_status": ColumnLabel("Worst agreement status"),
    "recorded_status": ColumnLabel("Status as recorded"),
    "signed_on": ColumnLabel("Signed", "date"),
    "renewal_due_on": ColumnLabel("Renewal due", "date"),
    "days_to_renewal": ColumnLabel("Days left", "count"),
    "activity_score": ColumnLabel("Activity score", "count"),
    "activity_level": ColumnLabel("Activity level"),
    "last_activity_on": ColumnLabel("Last activity", "date"),
    "is_inactive": ColumnLabel(
        "No activity in {inactive_after_months} months",
        help="No counted activity in the {inactive_after_months} months before the as-of date.",
    ),
    "needs_attention": ColumnLabel(
        "Needs attention",
        help="No counted activity in the {inactive_after_months} months before the as-of date, or an agreement "
        "due for renewal or lapsed.",
    ),
    "attention_reason": ColumnLabel("Why it needs attention"),
    "count_needs_attention": ColumnLabel(
        "Need attention",
        "count",
        help="Relationships with no counted activity in the {inactive_after_months} months before the as-of date, "
        "or an agreement due for renewal or lapsed.",
    ),
    "affiliate_status": ColumnLabel(
        "Affiliate status", help="As recorded: current, former, or candidate (a possible affiliate, not on ICMA's list)"
    ),
    "confidence": ColumnLabel("Confidence"),
    "lowest_confidence": ColumnLabel("Lowest confidence"),
    "is_small_country": ColumnLabel("Small country", "flag"),
    # -- membership ----------------------------------------------------------------------------------
    "month_end_on": ColumnLabel("Month end", "date"),
    "year": ColumnLabel("Year", "year"),
    "count_affiliates_reporting": ColumnLabel("Affiliates reporting", "count"),
    "count_affiliates_counted": ColumnLabel("Affiliates counted", "count"),
    "members": ColumnLabel(
        "Members", "count", help="Members of the affiliates: at the month end, or the latest snapshot"
    ),
    "icma_members": ColumnLabel("Also in ICMA", "count", help="Of those members, the ones who also belong to ICMA"),
    "share_icma": ColumnLabel("Share also in ICMA", "percent"),
    "icma_total": ColumnLabel("ICMA members", "count", help="ICMA's own total membership."),
    "new_members": ColumnLabel("Joined", "count"),
    "lapsed_members": ColumnLabel("Lapsed", "count"),
    "net_change": ColumnLabel("Net change", "count", signed=True),
    "latest_on": ColumnLabel("Latest snapshot", "date"),
    "members_year_before": ColumnLabel("A year before", "count"),
    "change": ColumnLabel("Change", "count", signed=True),
    "change_pct": ColumnLabel("Change %", "percent", signed=True),
    "growth_1y": ColumnLabel("Growth over a year", "percent", signed=True),
    "new_members_12_months": ColumnLabel("Joined (12 months)", "count"),
    "lapsed_members_12_months": ColumnLabel("Lapsed (12 months)", "count"),
    # -- goals ---------------------------------------------------------------------------------------
    "goal_id": ColumnLabel("Goal id"),
    "title": ColumnLabel("Goal"),
    "area_of_emphasis": ColumnLabel("Area of emphasis"),
    "status": ColumnLabel("Status"),
    "status_label": ColumnLabel("Status"),
    "is_stale": ColumnLabel("Stale"),
    "reason": ColumnLabel("Why"),
    "latest_narrative": ColumnLabel("Latest narrative"),
    "expected_pct": ColumnLabel("Expected", "percent"),
    "actual_pct": ColumnLabel("Reported", "percent"),
    "latest_value": ColumnLabel("Latest", "number"),
    "target_value": ColumnLabel("Target", "number"),
    "unit": ColumnLabel("Unit"),
    "due_on": ColumnLabel("Due", "date"),
    "latest_reported_on": ColumnLabel("Latest check-in", "date"),
    "reported_on": ColumnLabel("Reported on", "date"),
    "value": ColumnLabel("Value", "number"),
    "narrative": ColumnLabel("Narrative"),
    "reported_by": ColumnLabel("Reported by"),
    "count_goals": ColumnLabel("Goals", "count"),
    "month_end": ColumnLabel("Month end", "date"),
    "count_goals_started": ColumnLabel("Goals started", "count"),
    "count_achieved": ColumnLabel("Achieved", "count"),
    "count_on_track": ColumnLabel("On track", "count"),
    "count_at_risk": ColumnLabel("At risk", "count"),
    "count_off_track": ColumnLabel("Off track", "count"),
    "count_overdue": ColumnLabel("Overdue", "count"),
    "count_stale": ColumnLabel("Stale goals", "count"),
    "share_on_track": ColumnLabel("Share on track", "percent"),
    # -- events --------------------------------------------------------------------------------------
    "event_name": ColumnLabel("Event"),
    "dates": ColumnLabel("Dates"),
    "place": ColumnLabel("Where"),
    "organizer": ColumnLabel("Organizer"),
    "organizer_type": ColumnLabel("Organizer type"),
    "organizer_region": ColumnLabel("Organizer's region"),
    "city": ColumnLabel("City"),
    "website": ColumnLabel("Website", "link", link_text="Open ↗"),
    "event_status": ColumnLabel("Status"),
    "is_cancelled": ColumnLabel("Cancelled"),
    "is_sample": ColumnLabel("Sample", help="Generated for the demo, not from a public source"),
    "data_origin": ColumnLabel("Data", help="Where the event comes from: a public source, an upload, or sample data"),
    "source": ColumnLabel("Source", "link"),
    "representatives": ColumnLabel("ICMA representation", help="ICMA liaisons confirmed to attend (or who attended)"),
    "planned_representatives": ColumnLabel("Planned", help="ICMA liaisons planned, not yet confirmed, to attend"),
    "count_events": ColumnLabel("Events", "count"),
    "event_names": ColumnLabel("Which"),
    "count_with_representation": ColumnLabel("With ICMA", "count"),
    "share_with_representation": ColumnLabel("Share with ICMA", "percent"),
    # -- activities with ICMA ------------------------------------------------------------------------
    "occurred_on": ColumnLabel("Date", "date"),
    "activity_type": ColumnLabel("Kind"),
    "activity_title": ColumnLabel("What"),
    "icma_person": ColumnLabel("ICMA person"),
    # -- what changed between two dates (the What changed page, the digest, the board pack) -----------
    "status_change": ColumnLabel(
        "Status change", help="Worse or better than on the earlier date, or started: the goal had not started then"
    ),
    "reason_before": ColumnLabel("Why before", help="The goal's status and its reason on the earlier date"),
    "reason_now": ColumnLabel("Why now", help="The goal's status and its reason on the later date"),
    "checkins_in_window": ColumnLabel("Check-ins in the window"),
    "agreement_change": ColumnLabel("Agreement change"),
    "members_before": ColumnLabel("Members before", "count", help="Members counted at the earlier month end"),
    "count_affiliates_both": ColumnLabel("Affiliates counted at both", "count"),
    "count_affiliates_one_date": ColumnLabel("Counted at one date only", "count"),
    "counted": ColumnLabel(
        "Counted", help="An affiliate counted at one month end only is left out of the like-for-like change"
    ),
    # -- the upload ledger ---------------------------------------------------------------------------
    "committed_at": ColumnLabel("When (UTC)"),
    "ledger_entry": ColumnLabel("Entry", help="An upload, a correction (an upload that replaced rows) or an undo"),
    "upload_kind": ColumnLabel("Kind of data"),
    "file_name": ColumnLabel("File"),
    "rows_loaded": ColumnLabel("Rows loaded", "count"),
    "rows_replaced": ColumnLabel("Rows replaced", "count"),
    "committed_by": ColumnLabel("By"),
    "batch_id": ColumnLabel("Batch"),
    # -- alert rules ---------------------------------------------------------------------------------
    "alert_rule": ColumnLabel("Rule"),
    "fires_when": ColumnLabel("Fires when"),
    # -- a goal's history, the forms and My work -----------------------------------------------------
    "happened_on": ColumnLabel("Date", "date"),
    "entry": ColumnLabel("Entry", help="A check-in, a correction, a status change, a comment, an edit or an undo"),
    "who": ColumnLabel("Who"),
    "detail": ColumnLabel("Details"),
    "recorded_at_utc": ColumnLabel("Recorded (UTC)", help="When it was committed; empty for the data folder's rows"),
    "field": ColumnLabel("Field"),
    "entered": ColumnLabel("You entered"),
    "problem": ColumnLabel("Problem"),
    "owner_name": ColumnLabel("Owner", help="The liaison who owns the goal and records its check-ins"),
    "next_checkin_on": ColumnLabel(
        "Check-in due", "date", help="The latest check-in (or the start) plus the goal's reporting interval"
    ),
    "checkin_state": ColumnLabel("Check-in", help="Overdue, due within 30 days, or not yet due"),
    "liaison_role": ColumnLabel("Role"),
    "is_agreement_liaison": ColumnLabel("Agreement liaison", "flag"),
    # -- roles ---------------------------------------------------------------------------------------
    "email": ColumnLabel("E-mail"),
    "roles": ColumnLabel("Roles"),
    "group": ColumnLabel("Group"),
    "role": ColumnLabel("Role"),
    "action": ColumnLabel("Action"),
}


def _resolved(text: str | None, settings: Settings | None) -> str | None:
    if text is None or "{" not in text:
        return text
    if settings is None:
        raise ValueError(f"the label {text!r} names a setting: pass the settings in force")
    return text.format(**asdict(settings))


def column_label(name: str, settings: Settings | None = None) -> ColumnLabel:
    """The label of column `name`, its texts reading the settings in force (KeyError for an unknown name)."""
    entry = COLUMN_LABELS[name]
    return ColumnLabel(
        _resolved(entry.text, settings), entry.kind, _resolved(entry.help, settings), entry.link_text, entry.signed
    )


def label_text(name: str, settings: Settings | None = None) -> str:
    """The header of column `name`.

    >>> label_text("share_icma")
    'Share also in ICMA'
    """
    return _resolved(COLUMN_LABELS[name].text, settings)


@lru_cache(maxsize=8)
def labels_by_text(settings: Settings | None = None) -> MappingProxyType[str, ColumnLabel]:
    """Every label by its header (names sharing a header share its kind, so any of them will do); read-only, and
    made once per settings in force (every table of every rerun asks for it)."""
    return MappingProxyType({label.text: label for label in (column_label(name, settings) for name in COLUMN_LABELS)})


def labelled(frame: pd.DataFrame, settings: Settings | None = None, data_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of `frame` with every column under its label; a column already labelled stays as it is.

    `data_columns` are headers that are values of the data (the status matrix's affiliate types) and are
    kept as they are. Any other column without a label is a mistake: ValueError names it. Labels that
    name a setting need `settings`. Pure: `frame` is not changed.

    >>> labelled(pd.DataFrame({"Affiliate": ["Solace"], "members": [520]})).columns.tolist()
    ['Affiliate', 'Members']
    >>> labelled(pd.DataFrame({"mystery": [1]}))
    Traceback (most recent call last):
    ...
    ValueError: no label for the column 'mystery': add it to analytics/figures/labels.py
    """
    check_labels(frame.columns, settings, data_columns)
    return frame.rename(
        columns={column: label_text(column, settings) for column in frame.columns if column in COLUMN_LABELS}
    )


def check_labels(columns: Iterable[str], settings: Settings | None = None, data_columns: tuple[str, ...] = ()) -> None:
    """ValueError naming the first of `columns` that `labelled` could not label (see there)."""
    headers = _headers(settings)
    for column in columns:
        if column not in COLUMN_LABELS and column not in headers and column not in data_columns:
            raise ValueError(f"no label for the column {column!r}: add it to analytics/figures/labels.py")


@lru_cache(maxsize=8)
def _headers(settings: Settings | None) -> frozenset[str]:
    """The headers a labelled column may carry (those naming a setting only when the settings are known)."""
    return frozenset(
        {
            label_text(name, settings)
            for name, entry in COLUMN_LABELS.items()
            if settings is not None or "{" not in entry.text
        }
    )
