"""A goal's history: every check-in, status change, comment, edit and undo, in order, each with who and when.

Nothing is overwritten: a corrected check-in is a new entry ("Check-in corrected", with the value it replaced),
an undone batch is an entry of its own ("Undone"), and the entries they correct stay. Status changes are the
goal's status (`goals.goal_status`, the one definition) as of each check-in that counts now.

The inputs are query results and recorded rows (analytics/store/recorded.py: every committed row with its
batch's `committed_at`, `committed_by`, `status`, `undone_at`, `undone_by`); nothing here reads the store.
`goal_histories` builds the histories of many goals at once, from the rows of all of them (each row names its
goal), column by column with no loop over goals or rows; `goal_history` is the same for one goal.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.core.frames import is_among
from analytics.domain.goals import STATUS_LABELS, GoalStatusRules, goal_status

HISTORY_COLUMNS = ["happened_on", "recorded_at", "entry", "who", "detail"]
# Entries of one day, in this order.
ENTRY_ORDER = {"Goal set": 0, "Goal edited": 1, "Check-in": 2, "Check-in corrected": 2, "Status": 3, "Comment": 4}

CHECKIN_INPUT = ["goal_id", "checkin_id", "reported_on", "value", "narrative", "reported_by"]
COMMENT_INPUT = ["goal_id", "checkin_id", "commented_on", "author", "comment"]
GOAL_INPUT = ["goal_id", "title", "baseline_value", "target_value", "unit", "start_on", "due_on"]
RECORDED_INPUT = ["committed_at", "committed_by", "status", "undone_at", "undone_by"]


def _numbers(values: pd.Series) -> pd.Series:
    """Values as `f"{value:,.10g}"`, empty where missing.

    >>> _numbers(pd.Series([1234.5, None, 8.0])).tolist()
    ['1,234.5', '', '8']
    """
    return values.map(lambda value: "" if pd.isna(value) else f"{float(value):,.10g}").astype(object)


def _iso(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d").astype(object)


def _utc(stamps: pd.Series) -> pd.Series:
    return pd.to_datetime(stamps, utc=True)


def _text(values: pd.Series) -> pd.Series:
    """Who: the value where it is text, else nothing."""
    return values.map(lambda value: value if isinstance(value, str) else "").astype(object)


def _rows(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The input's columns (missing ones empty), indexed 0..n-1 in the input's order."""
    return frame.reindex(columns=columns).reset_index(drop=True)


def _entries(
    rows: pd.DataFrame, happened_on: pd.Series, recorded_at: pd.Series | None, entry, who: pd.Series, detail
) -> pd.DataFrame:
    """One entry per row of `rows` (its goal_id kept), `sequence` its place in the input."""
    recorded = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns, UTC]") if recorded_at is None else recorded_at
    return pd.DataFrame(
        {
            "goal_id": rows["goal_id"],
            "happened_on": pd.to_datetime(happened_on).dt.normalize(),
            "recorded_at": _utc(recorded),
            "entry": entry,
            "who": _text(who),
            "detail": detail,
            "sequence": 2 * rows.index,
        },
        index=rows.index,
    )


def _with_undone(entries: pd.DataFrame, rows: pd.DataFrame, what: pd.Series) -> pd.DataFrame:
    """The entries of recorded rows, each followed by its "Undone" entry when its batch was undone."""
    undone = (rows["status"] == "undone") & rows["undone_at"].notna()
    gone = rows[undone]
    at = _utc(gone["undone_at"])
    undos = _entries(gone, at.dt.tz_localize(None), at, "Undone", gone["undone_by"], what[undone] + " no longer counts")
    combined = pd.concat([entries, undos.assign(sequence=undos["sequence"] + 1)], ignore_index=True)
    return combined.sort_values("sequence", kind="stable")


def _unit_of(rows: pd.DataFrame, goals: pd.DataFrame) -> pd.Series:
    units = goals.drop_duplicates("goal_id").set_index("goal_id")["unit"].astype(str)
    return rows["goal_id"].map(units).fillna("nan").astype(object)


def _checkin_texts(rows: pd.DataFrame, units: pd.Series) -> pd.Series:
    narrative = rows["narrative"]
    said = narrative.map(lambda text: f": {text}" if isinstance(text, str) and text else "").astype(object)
    return _numbers(rows["value"]) + " " + units + " on " + _iso(rows["reported_on"]) + said


def checkin_entries(folder: pd.DataFrame, recorded: pd.DataFrame, goals: pd.DataFrame) -> pd.DataFrame:
    """The folder's check-ins, then every recorded one: new, or correcting the one of the same id before it."""
    folder, recorded = _rows(folder, CHECKIN_INPUT), _rows(recorded, [*CHECKIN_INPUT, *RECORDED_INPUT])
    folder_units, recorded_units = _unit_of(folder, goals), _unit_of(recorded, goals)
    from_folder = _entries(
        folder, folder["reported_on"], None, "Check-in", folder["reported_by"], _checkin_texts(folder, folder_units)
    )
    # Each recorded check-in corrects the row of the same goal and id just before it (folder rows first).
    sequence = pd.concat([folder[["goal_id", "checkin_id", "value"]], recorded[["goal_id", "checkin_id", "value"]]])
    earlier = sequence.groupby(["goal_id", "checkin_id"], dropna=False)["value"].shift(1).iloc[len(folder) :]
    earlier = earlier.set_axis(recorded.index)
    has_earlier = sequence.groupby(["goal_id", "checkin_id"], dropna=False).cumcount().iloc[len(folder) :] > 0
    has_earlier = has_earlier.set_axis(recorded.index)
    text = _checkin_texts(recorded, recorded_units)
    replaced = text + " (replacing " + _numbers(earlier) + " " + recorded_units + ")"
    entries = _entries(
        recorded,
        recorded["reported_on"],
        recorded["committed_at"],
        has_earlier.map({True: "Check-in corrected", False: "Check-in"}).astype(object),
        recorded["committed_by"],
        replaced.where(has_earlier, text),
    )
    return pd.concat([from_folder, _with_undone(entries, recorded, "the check-in " + text)], ignore_index=True)


def status_entries(goals: pd.DataFrame, checkins: pd.DataFrame, rules: GoalStatusRules) -> pd.DataFrame:
    """Each goal's status as of each of its check-ins that count now, where it changed (the first one always)."""
    dates = (
        checkins[["goal_id", "reported_on"]]
        .assign(reported_on=lambda frame: pd.to_datetime(frame["reported_on"]))
        .dropna()
        .drop_duplicates()
        .sort_values(["goal_id", "reported_on"], kind="stable")
    )
    dates = dates[is_among(dates["goal_id"], goals["goal_id"])].reset_index(drop=True)
    # One goal per goal and date, judged as of that date with the goal's own check-ins (goal_status, one call).
    dates["key"] = dates.index
    judged = dates.merge(goals, on="goal_id", how="left", validate="many_to_one")
    judged = judged.drop(columns="goal_id").rename(columns={"key": "goal_id"})
    own = checkins[["goal_id", "reported_on", "value"]].merge(dates[["goal_id", "key"]], on="goal_id")
    own = own.drop(columns="goal_id").rename(columns={"key": "goal_id"})
    status = goal_status(judged, own, judged["reported_on"], rules)
    label = status["status"].astype(str).map(lambda name: STATUS_LABELS.get(name, name)).astype(object)
    previous = label.groupby(dates["goal_id"]).shift(1)
    changed = label.ne(previous)
    was = (" (was " + previous + ")").where(previous.notna(), "")
    detail = label.str.capitalize() + was + "; " + status["reason"].astype(object)
    rows = dates[changed.to_numpy()]
    return _entries(rows, rows["reported_on"], None, "Status", pd.Series("", index=rows.index), detail[changed])


def _comment_texts(rows: pd.DataFrame) -> pd.Series:
    about = rows["checkin_id"].map(lambda id_: f" (on the check-in {id_})" if isinstance(id_, str) else "")
    return rows["comment"].astype(object).map(str) + about.astype(object)


def comment_entries(folder: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    folder, recorded = _rows(folder, COMMENT_INPUT), _rows(recorded, [*COMMENT_INPUT, *RECORDED_INPUT])
    from_folder = _entries(folder, folder["commented_on"], None, "Comment", folder["author"], _comment_texts(folder))
    entries = _entries(
        recorded,
        recorded["commented_on"],
        recorded["committed_at"],
        "Comment",
        recorded["author"],
        _comment_texts(recorded),
    )
    what = "the comment “" + recorded["comment"].astype(object).map(str) + "”"
    return pd.concat([from_folder, _with_undone(entries, recorded, what)], ignore_index=True)


def goal_entries(recorded: pd.DataFrame) -> pd.DataFrame:
    """Every uploaded version of each goal: set, or edited, with its terms."""
    recorded = _rows(recorded, [*GOAL_INPUT, *RECORDED_INPUT])
    at = _utc(recorded["committed_at"])
    terms = (
        recorded["title"].astype(object).map(str)
        + ": "
        + _numbers(recorded["baseline_value"])
        + " to "
        + _numbers(recorded["target_value"])
        + " "
        + recorded["unit"].astype(object).map(str)
        + " from "
        + _iso(recorded["start_on"])
        + " to "
        + _iso(recorded["due_on"])
    )
    is_edit = recorded.groupby("goal_id", dropna=False).cumcount() > 0
    entry = is_edit.map({True: "Goal edited", False: "Goal set"}).astype(object)
    entries = _entries(recorded, at.dt.tz_localize(None), at, entry, recorded["committed_by"], terms)
    return _with_undone(entries, recorded, "this version of the goal (" + terms + ")")


def goal_histories(
    goals: pd.DataFrame,
    current_checkins: pd.DataFrame,
    folder_checkins: pd.DataFrame,
    recorded_checkins: pd.DataFrame,
    folder_comments: pd.DataFrame,
    recorded_comments: pd.DataFrame,
    recorded_goals: pd.DataFrame,
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> pd.DataFrame:
    """Every entry of each goal's history, goal by goal, oldest first: one row per entry, goal_id + HISTORY_COLUMNS.

    `goals` are the goals (goal_status's columns and `unit`); every other frame holds rows of any of them, each
    with its goal_id, in the order goal_history takes them. `happened_on` is the day an entry is about (a
    check-in's date; an edit's or undo's day), `recorded_at` when it was committed (empty for the data folder's own
    rows and for statuses, which are computed).
    """
    blocks = [
        goal_entries(recorded_goals),
        checkin_entries(folder_checkins, recorded_checkins, goals),
        status_entries(goals, current_checkins, rules),
        comment_entries(folder_comments, recorded_comments),
    ]
    kept = [block.drop(columns="sequence") for block in blocks if not block.empty]
    columns = ["goal_id", *HISTORY_COLUMNS]
    history = pd.concat(kept, ignore_index=True)[columns] if kept else pd.DataFrame(columns=columns)
    history["happened_on"] = pd.to_datetime(history["happened_on"]).astype("datetime64[ns]")
    history["recorded_at"] = _utc(history["recorded_at"]).astype("datetime64[ns, UTC]")
    if kept:  # text columns as pandas reads text (an empty history keeps object columns, as pd.DataFrame makes them)
        history = history.astype({"goal_id": "str", "entry": "str", "who": "str", "detail": "str"})
    order = history["entry"].map(ENTRY_ORDER).fillna(5)
    history = history.assign(_order=order).sort_values(
        ["goal_id", "happened_on", "_order", "recorded_at"], na_position="first", kind="stable"
    )
    return history.drop(columns="_order").reset_index(drop=True)


def goal_ids_touched_after(since: dt.date, *frames: pd.DataFrame) -> set[str]:
    """The goals with a row in `frames` dated on or after `since` (reported, commented, committed or undone then):
    every goal whose history has an entry that happened or was recorded after `since` is among them.

    >>> rows = pd.DataFrame({"goal_id": ["G1", "G2"], "reported_on": pd.to_datetime(["2026-11-02", "2026-01-31"])})
    >>> sorted(goal_ids_touched_after(dt.date(2026, 11, 1), rows, pd.DataFrame(columns=["goal_id"])))
    ['G1']
    """
    after = pd.Timestamp(since)
    touched: set[str] = set()
    for frame in frames:
        for column in ("reported_on", "commented_on", "committed_at", "undone_at"):
            if column in frame.columns and len(frame):
                on = pd.to_datetime(frame[column], utc=True).dt.tz_localize(None)
                touched.update(frame.loc[(on >= after).to_numpy(), "goal_id"])
    return touched


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
    """Every entry of one goal's history, oldest first: one row per entry, in HISTORY_COLUMNS.

    The frames hold this goal's rows only (goal_histories for the rules): `happened_on` is the day it is about,
    `recorded_at` when it was committed (empty for the data folder's own rows and for statuses, which are computed).
    """
    goal_id = goal["goal_id"]
    frames = [current_checkins, folder_checkins, recorded_checkins, folder_comments, recorded_comments, recorded_goals]
    history = goal_histories(pd.DataFrame([goal]), *(frame.assign(goal_id=goal_id) for frame in frames), rules)
    return history.drop(columns="goal_id")
