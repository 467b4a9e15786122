"""A goal's history: every check-in, status change, comment, edit and undo, in order, each with who and when.

Nothing is overwritten: a corrected check-in is a new entry ("Check-in corrected", with the value it replaced),
an undone batch is an entry of its own ("Undone"), and the entries they correct stay. Status changes are the
goal's status (`goals.goal_status`, the one definition) as of each check-in that counts now.

The inputs are query results and recorded rows (analytics/store/recorded.py: every committed row with its
batch's `committed_at`, `committed_by`, `status`, `undone_at`, `undone_by`); nothing here reads the store.
"""

from __future__ import annotations

import pandas as pd

from analytics.domain.goals import STATUS_LABELS, GoalStatusRules, goal_status

HISTORY_COLUMNS = ["happened_on", "recorded_at", "entry", "who", "detail"]
# Entries of one day, in this order.
ENTRY_ORDER = {"Goal set": 0, "Goal edited": 1, "Check-in": 2, "Check-in corrected": 2, "Status": 3, "Comment": 4}


def _number(value: object) -> str:
    return "" if pd.isna(value) else f"{float(value):,.10g}"


def _checkin_text(row: pd.Series, unit: str) -> str:
    narrative = row.get("narrative")
    said = f": {narrative}" if isinstance(narrative, str) and narrative else ""
    return f"{_number(row['value'])} {unit} on {pd.Timestamp(row['reported_on']):%Y-%m-%d}{said}"


def _entry(happened_on, recorded_at, entry: str, who: object, detail: str) -> dict:
    return {
        "happened_on": pd.Timestamp(happened_on).normalize(),
        "recorded_at": recorded_at,
        "entry": entry,
        "who": who if isinstance(who, str) else "",
        "detail": detail,
    }


def _undone(row: pd.Series, what: str) -> dict | None:
    if row.get("status") != "undone" or pd.isna(row.get("undone_at")):
        return None
    at = pd.Timestamp(row["undone_at"])
    return _entry(at.tz_localize(None) if at.tzinfo else at, at, "Undone", row["undone_by"], f"{what} no longer counts")


def checkin_entries(folder: pd.DataFrame, recorded: pd.DataFrame, unit: str) -> list[dict]:
    """The folder's check-ins, then every recorded one: new, or correcting the one of the same id before it."""
    entries = [
        _entry(row["reported_on"], pd.NaT, "Check-in", row["reported_by"], _checkin_text(row, unit))
        for _, row in folder.iterrows()
    ]
    seen = {row["checkin_id"]: row for _, row in folder.iterrows()}
    for _, row in recorded.iterrows():
        earlier = seen.get(row["checkin_id"])
        text = _checkin_text(row, unit)
        if earlier is None:
            entries.append(_entry(row["reported_on"], row["committed_at"], "Check-in", row["committed_by"], text))
        else:
            replaced = f"{text} (replacing {_number(earlier['value'])} {unit})"
            entries.append(
                _entry(row["reported_on"], row["committed_at"], "Check-in corrected", row["committed_by"], replaced)
            )
        undone = _undone(row, f"the check-in {text}")
        if undone:
            entries.append(undone)
        seen[row["checkin_id"]] = row
    return entries


def status_entries(goal: pd.Series, checkins: pd.DataFrame, rules: GoalStatusRules) -> list[dict]:
    """The goal's status as of each check-in that counts now, where it changed (the first one always)."""
    goals = pd.DataFrame([goal])
    entries, previous = [], None
    for reported_on in sorted(pd.to_datetime(checkins["reported_on"]).unique()):
        status = goal_status(goals, checkins, pd.Timestamp(reported_on), rules).iloc[0]
        label = STATUS_LABELS.get(str(status["status"]), str(status["status"]))
        if label != previous:
            was = f" (was {previous})" if previous else ""
            entries.append(_entry(reported_on, pd.NaT, "Status", "", f"{label.capitalize()}{was}; {status['reason']}"))
            previous = label
    return entries


def _comment_text(row: pd.Series) -> str:
    about = f" (on the check-in {row['checkin_id']})" if isinstance(row.get("checkin_id"), str) else ""
    return f"{row['comment']}{about}"


def comment_entries(folder: pd.DataFrame, recorded: pd.DataFrame) -> list[dict]:
    entries = [
        _entry(row["commented_on"], pd.NaT, "Comment", row["author"], _comment_text(row))
        for _, row in folder.iterrows()
    ]
    for _, row in recorded.iterrows():
        entries.append(_entry(row["commented_on"], row["committed_at"], "Comment", row["author"], _comment_text(row)))
        undone = _undone(row, f"the comment “{row['comment']}”")
        if undone:
            entries.append(undone)
    return entries


def goal_entries(recorded: pd.DataFrame) -> list[dict]:
    """Every uploaded version of the goal: set, or edited, with its terms."""
    entries, seen = [], False
    for _, row in recorded.iterrows():
        at = pd.Timestamp(row["committed_at"])
        terms = (
            f"{row['title']}: {_number(row['baseline_value'])} to {_number(row['target_value'])} {row['unit']} "
            f"from {pd.Timestamp(row['start_on']):%Y-%m-%d} to {pd.Timestamp(row['due_on']):%Y-%m-%d}"
        )
        entry = "Goal edited" if seen else "Goal set"
        entries.append(_entry(at.tz_localize(None) if at.tzinfo else at, at, entry, row["committed_by"], terms))
        undone = _undone(row, f"this version of the goal ({terms})")
        if undone:
            entries.append(undone)
        seen = True
    return entries


def goal_history(
    goal: pd.Series,
    current_checkins: pd.DataFrame,
    folder_checkins: pd.DataFrame,
    recorded_checkins: pd.DataFrame,
    folder_comments: pd.DataFrame,
    recorded_comments: pd.DataFrame,
    recorded_goals: pd.DataFrame,
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> pd.DataFrame:
    """Every entry of the goal's history, oldest first: one row per entry, in HISTORY_COLUMNS.

    `happened_on` is the day it is about (a check-in's date; an edit's or undo's day), `recorded_at` when it was
    committed (empty for the data folder's own rows and for statuses, which are computed).
    """
    unit = str(goal["unit"])
    entries = [
        *goal_entries(recorded_goals),
        *checkin_entries(folder_checkins, recorded_checkins, unit),
        *status_entries(goal, current_checkins, rules),
        *comment_entries(folder_comments, recorded_comments),
    ]
    history = pd.DataFrame(entries, columns=HISTORY_COLUMNS)
    history["recorded_at"] = pd.to_datetime(history["recorded_at"], utc=True)
    order = history["entry"].map(ENTRY_ORDER).fillna(5)
    history = history.assign(_order=order).sort_values(
        ["happened_on", "_order", "recorded_at"], na_position="first", kind="stable"
    )
    return history.drop(columns="_order").reset_index(drop=True)
