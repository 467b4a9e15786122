"""Checking comments on goals, row by row: the thread of a goal or of one of its check-ins.

A comment names its goal by id or title, optionally the check-in it is about (by id; it must be a check-in of
that goal), a date that is not in the future, and its text. Its author, when the file names none, is whoever
commits. A row without an id takes one made of the goal, the date and the text, so the same comment recorded
again replaces itself rather than standing twice.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from analytics.uploads.checked import Checked, FileCells, record_id, same_key_reasons, with_reason
from analytics.uploads.checks.goal_checkins import CheckinReference
from analytics.uploads.matching import TargetColumn
from analytics.uploads.names import resolve_names
from analytics.uploads.values import DateOrder

if TYPE_CHECKING:
    from analytics.store.reader import Store

COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn("comment_id", "comment id", False, ("comment id", "id")),
    TargetColumn("goal_id", "goal", True, ("goal", "goal id", "goal title", "goal name")),
    TargetColumn("checkin_id", "check-in", False, ("check in", "check in id", "checkin id", "checkin", "about")),
    TargetColumn("commented_on", "date", True, ("date", "commented on", "on", "when", "posted on")),
    TargetColumn("author", "author", False, ("author", "by", "who", "written by", "commented by")),
    TargetColumn("comment", "comment", True, ("comment", "text", "note", "message", "remark")),
)


class CommentReference(CheckinReference):
    """What checking comments needs from the store: the goals and their check-ins (those of check-ins too)."""

    @classmethod
    def from_store(cls, store: Store) -> CommentReference:
        return cls.from_tables(store.table("goals"), store.table("goal_checkins"))


def check_goal_comments(
    cells: FileCells, reference: CommentReference, today: date, date_order: DateOrder | None = None
) -> Checked:
    """Every row of a comments file checked; valid rows typed for the store (`author` left empty where the file
    names none: the committer fills it)."""
    rows = cells.rows()
    rows["goal_id"], goal_reason = resolve_names(cells.text("goal_id"), reference.goals)
    reasons = {"goal_id": cells.required("goal_id").fillna(goal_reason)}

    dates, date_reasons, question = cells.dates(("commented_on",), date_order)
    rows["commented_on"] = dates["commented_on"].astype("datetime64[ns]")
    reason = cells.required("commented_on").fillna(date_reasons["commented_on"])
    reasons["commented_on"] = with_reason(
        reason, rows["commented_on"] > pd.Timestamp(today), "the date is in the future"
    )

    rows["checkin_id"] = cells.value("checkin_id")
    checkins = reference.checkins
    goal_of_checkin = rows["checkin_id"].map(dict(zip(checkins["checkin_id"], checkins["goal_id"], strict=True)))
    checkin_reason = with_reason(
        pd.Series(pd.NA, index=cells.index, dtype="string"),
        rows["checkin_id"].notna() & goal_of_checkin.isna(),
        "unknown check-in (use its id, as in the goal's history)",
    )
    reasons["checkin_id"] = with_reason(
        checkin_reason,
        goal_of_checkin.notna() & rows["goal_id"].notna() & (goal_of_checkin != rows["goal_id"]),
        "this check-in is of another goal",
    )
    rows["author"] = cells.value("author")
    rows["comment"] = cells.value("comment")
    reasons["comment"] = cells.required("comment")

    made = pd.Series(
        [
            record_id("K-", goal, when.date().isoformat(), slug_of=text, slug_characters=40)
            if isinstance(goal, str) and pd.notna(when) and isinstance(text, str)
            else None
            for goal, when, text in zip(rows["goal_id"], rows["commented_on"], rows["comment"], strict=True)
        ],
        index=cells.index,
        dtype="string",
    )
    rows["comment_id"] = cells.value("comment_id").fillna(made)
    key_column = "comment_id" if cells.has("comment_id") else "comment"
    reasons[key_column] = same_key_reasons(rows, ["comment_id"], reasons.get(key_column), "comment")
    rows["is_sample"] = False
    return cells.checked(rows, reasons, question)
