"""Checking goal check-in files: progress reported on a goal, row by row.

A check-in names its goal by id or title, a date that is neither in the future nor before the goal
started, and a value in the goal's unit ("45%" and "1,234" are read as numbers; 0.33 for a goal
measured in percent is refused as a fraction). A value that moves away from the target since the goal's
previous check-in needs a narrative saying why. A row without an id takes the id of the stored
check-in of the same goal and date, so a corrected value replaces it; a new one gets `C-<goal>-<date>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from analytics.uploads.checked import Checked, FileCells, no_reasons, record_id, same_key_reasons, with_reason
from analytics.uploads.matching import TargetColumn
from analytics.uploads.names import NameResolver, normalise, resolve_names
from analytics.uploads.values import DateOrder, parse_numbers

if TYPE_CHECKING:
    from analytics.store.reader import Store

# Units of goals measured in percent (a check-in of 0.33 for such a goal is a fraction written for 33%).
PERCENT_UNITS = frozenset({"percent", "per cent", "percentage", "pct"})

COLUMNS: tuple[TargetColumn, ...] = (
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
        holds="date",
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


@dataclass(frozen=True)
class CheckinReference:
    """What checking a check-ins file needs from the store: the goals and the check-ins already there."""

    goals: NameResolver
    goal_starts: pd.Series  # start_on by goal_id
    checkins: pd.DataFrame  # checkin_id, goal_id, reported_on, value: one row per stored check-in
    percent_goals: pd.DataFrame = field(default_factory=pd.DataFrame)  # by goal_id: baseline_value, target_value
    directions: pd.Series = field(default_factory=lambda: pd.Series(dtype="string"))  # direction by goal_id

    @classmethod
    def from_tables(cls, goals: pd.DataFrame, checkins: pd.DataFrame) -> CheckinReference:
        records = [
            (goal_id, f"{title} ({goal_id})", [goal_id, title])
            for goal_id, title in zip(goals["goal_id"], goals["title"], strict=True)
        ]
        return cls(
            NameResolver.from_names(records, "goal", "use its id or its title as on the Goals page"),
            pd.to_datetime(goals.set_index("goal_id")["start_on"]).astype("datetime64[ns]"),
            checkins[["checkin_id", "goal_id"]].assign(
                reported_on=pd.to_datetime(checkins["reported_on"]).astype("datetime64[ns]"),
                value=checkins["value"].astype("float64"),
            ),
            goals[goals["unit"].map(normalise).isin(PERCENT_UNITS) | goals["unit"].str.strip().eq("%")].set_index(
                "goal_id"
            )[["baseline_value", "target_value"]],
            goals.set_index("goal_id")["direction"].astype("string"),
        )

    @classmethod
    def from_store(cls, store: Store) -> CheckinReference:
        return cls.from_tables(store.table("goals"), store.table("goal_checkins"))


def check_goal_checkins(
    cells: FileCells, reference: CheckinReference, today: date, date_order: DateOrder | None = None
) -> Checked:
    """Every row of a check-ins file checked; valid rows typed for the store.

    `reported_by`, when the file gives none, is left empty here and filled with whoever commits.
    """
    rows = cells.rows()
    rows["goal_id"], goal_reason = resolve_names(cells.text("goal_id"), reference.goals)
    reasons = {"goal_id": cells.required("goal_id").fillna(goal_reason)}

    dates, date_reasons, question = cells.dates(("reported_on",), date_order)
    reported_on = dates["reported_on"].astype("datetime64[ns]")
    starts = rows["goal_id"].map(reference.goal_starts).astype("datetime64[ns]")
    reason = cells.required("reported_on").fillna(date_reasons["reported_on"])
    reason = with_reason(reason, reported_on > pd.Timestamp(today), "the date is in the future")
    before = reported_on < starts
    reason = reason.mask(
        before & reason.isna(),
        "before the goal started (" + starts.dt.strftime("%Y-%m-%d").fillna("") + ")",
    )
    reasons["reported_on"] = reason
    rows["reported_on"] = reported_on

    rows["value"], value_reason, blank = parse_numbers(cells.text("value"))
    reasons["value"] = _fraction_reasons(rows, value_reason.mask(blank, "a value is required"), reference)
    rows["narrative"] = cells.value("narrative")
    rows["reported_by"] = cells.value("reported_by")
    since = _moving_away(rows, reference)  # the previous check-in in words, where the value moves away from it
    missing_why = since.notna() & rows["narrative"].isna()
    why = "a narrative is needed: the value moved away from the target since " + since + "; say why"
    if cells.has("narrative"):
        reasons["narrative"] = no_reasons(cells.index).mask(missing_why, why)
    else:
        reasons["value"] = reasons["value"].mask(missing_why & reasons["value"].isna(), why)

    asked = pd.DataFrame({"goal_id": rows["goal_id"].astype(object), "reported_on": reported_on})
    stored = reference.checkins.drop_duplicates(["goal_id", "reported_on"])
    stored = stored.assign(goal_id=stored["goal_id"].astype(object))
    found = asked.merge(stored, on=["goal_id", "reported_on"], how="left")["checkin_id"]
    made = pd.Series(
        [
            record_id("C-", goal, when.date().isoformat()) if isinstance(goal, str) and pd.notna(when) else None
            for goal, when in zip(asked["goal_id"], asked["reported_on"], strict=True)
        ],
        index=cells.index,
        dtype="string",
    )
    rows["checkin_id"] = (
        cells.value("checkin_id").fillna(pd.Series(found.to_numpy(), index=cells.index, dtype="string")).fillna(made)
    )
    reasons["reported_on"] = same_key_reasons(rows, ["goal_id", "reported_on"], reasons["reported_on"], "goal and date")
    if cells.has("checkin_id"):
        reasons["checkin_id"] = same_key_reasons(rows, ["checkin_id"], None, "check-in id")
    rows["is_sample"] = False
    return cells.checked(rows, reasons, question)


def _fraction_reasons(rows: pd.DataFrame, reasons: pd.Series, reference: CheckinReference) -> pd.Series:
    """A value between 0 and 1 for a goal measured in percent whose baseline or target is above 1 is a fraction
    (0.33 written for 33%), the way a spreadsheet stores a percentage cell: refused with the value to write."""
    scale = reference.percent_goals.reindex(rows["goal_id"].astype(object))
    largest = scale.abs().max(axis=1).to_numpy()
    value = rows["value"].to_numpy(dtype="float64", na_value=float("nan"))
    fraction = (abs(value) > 0) & (abs(value) <= 1) & (largest > 1)
    written = pd.Series(value * 100, index=rows.index).map("{:g}".format).astype("string")  # text, even when empty
    message = "looks like a fraction; this goal is measured in percent, so write " + written + " for " + written + "%"
    return reasons.mask(pd.Series(fraction, index=rows.index) & reasons.isna(), message)


def _moving_away(rows: pd.DataFrame, reference: CheckinReference) -> pd.Series:
    """Where a row's value moves away from its goal's target since the goal's previous stored check-in (before
    the row's date): that check-in in words ("the check-in of 2026-03-31 (150)"); elsewhere missing."""
    found = pd.Series(pd.NA, index=rows.index, dtype="string")
    stored = reference.checkins.dropna(subset=["goal_id", "reported_on", "value"])
    asked = rows[["goal_id", "reported_on", "value"]].dropna()
    if asked.empty or stored.empty or reference.directions.empty:
        return found
    asked = asked.assign(goal_id=asked["goal_id"].astype(object), position=asked.index).sort_values("reported_on")
    stored = stored.assign(goal_id=stored["goal_id"].astype(object)).sort_values("reported_on")
    previous = pd.merge_asof(
        asked,
        stored.rename(columns={"reported_on": "previous_on", "value": "previous_value"})[
            ["goal_id", "previous_on", "previous_value"]
        ],
        left_on="reported_on",
        right_on="previous_on",
        by="goal_id",
        allow_exact_matches=False,
    ).set_index("position")
    direction = previous["goal_id"].map(reference.directions)
    away = ((direction == "increase") & (previous["value"] < previous["previous_value"])) | (
        (direction == "decrease") & (previous["value"] > previous["previous_value"])
    )
    away = away.fillna(False).astype(bool)
    words = (
        "the check-in of "
        + previous["previous_on"].dt.strftime("%Y-%m-%d").fillna("")
        + " ("
        + previous["previous_value"].map("{:g}".format)
        + ")"
    )
    return found.mask(
        pd.Series(away, index=previous.index).reindex(rows.index, fill_value=False), words.reindex(rows.index)
    )
