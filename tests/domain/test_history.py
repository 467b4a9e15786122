"""A goal's history from hand-written rows: check-ins, a correction, an undo, statuses as of each check-in,
comments and an edit, in order, each with who and when."""

from __future__ import annotations

import pandas as pd

from analytics.domain.history import HISTORY_COLUMNS, goal_history

GOAL = pd.Series(
    {
        "goal_id": "G1",
        "title": "Grow dual membership",
        "unit": "members",
        "direction": "increase",
        "baseline_value": 100.0,
        "target_value": 200.0,
        "start_on": pd.Timestamp("2024-01-01"),
        "due_on": pd.Timestamp("2027-12-31"),
        "reporting_interval_months": 3,
    }
)
FOLDER = pd.DataFrame(
    {
        "checkin_id": ["C1", "C2"],
        "goal_id": "G1",
        "reported_on": pd.to_datetime(["2025-03-31", "2026-03-31"]),
        "value": [130.0, 150.0],
        "narrative": ["Webinar", None],
        "reported_by": ["Avery Stone", "Cal-ICMA staff"],
    }
)
AT = pd.to_datetime(["2026-11-02 10:00", "2026-11-03 09:00"], utc=True)
RECORDED = pd.DataFrame(
    {
        "checkin_id": ["C3", "C2"],
        "goal_id": "G1",
        "reported_on": pd.to_datetime(["2026-10-31", "2026-03-31"]),
        "value": [120.0, 155.0],
        "narrative": ["Lost two cities", "Recount"],
        "reported_by": ["Avery Stone", "Avery Stone"],
        "batch_id": ["b1", "b2"],
        "committed_at": AT,
        "committed_by": ["avery@example.org", "avery@example.org"],
        "status": ["undone", "committed"],
        "undone_at": [pd.Timestamp("2026-11-04 08:00", tz="UTC"), pd.NaT],
        "undone_by": ["lee@example.org", None],
    }
)
COMMENTS = pd.DataFrame(
    {
        "comment_id": ["K1"],
        "goal_id": "G1",
        "checkin_id": ["C2"],
        "commented_on": pd.to_datetime(["2026-04-02"]),
        "author": ["Morgan Reyes"],
        "comment": ["<b>Good</b> drive"],
    }
)
NONE = pd.DataFrame(columns=["committed_at"])


def history() -> pd.DataFrame:
    current = pd.concat([FOLDER[FOLDER["checkin_id"] == "C1"], RECORDED[RECORDED["checkin_id"] == "C2"]])
    return goal_history(GOAL, current, FOLDER, RECORDED, COMMENTS, NONE, NONE)


def test_every_entry_in_order_with_who():
    rows = history()
    assert list(rows.columns) == HISTORY_COLUMNS
    assert list(zip(rows["happened_on"].dt.strftime("%Y-%m-%d"), rows["entry"], rows["who"], strict=True)) == [
        ("2025-03-31", "Check-in", "Avery Stone"),
        ("2025-03-31", "Status", ""),
        ("2026-03-31", "Check-in", "Cal-ICMA staff"),
        ("2026-03-31", "Check-in corrected", "avery@example.org"),
        ("2026-04-02", "Comment", "Morgan Reyes"),
        ("2026-10-31", "Check-in", "avery@example.org"),
        ("2026-11-04", "Undone", "lee@example.org"),
    ]


def test_a_correction_names_what_it_replaced_and_the_undo_what_no_longer_counts():
    rows = history().set_index("entry")
    assert rows.loc["Check-in corrected", "detail"] == "155 members on 2026-03-31: Recount (replacing 150 members)"
    assert rows.loc["Undone", "detail"] == "the check-in 120 members on 2026-10-31: Lost two cities no longer counts"
    assert rows.loc["Comment", "detail"] == "<b>Good</b> drive (on the check-in C2)"


def test_statuses_are_the_goal_status_as_of_each_check_in_that_counts_now_where_it_changes():
    statuses = history().query("entry == 'Status'")
    assert len(statuses) == 1  # on track on both dates: the second check-in changes nothing
    assert statuses["detail"].iloc[0].startswith("On track; expected")
    behind = pd.concat([FOLDER.iloc[[0]], FOLDER.iloc[[1]].assign(value=110.0)])
    rows = goal_history(GOAL, behind, FOLDER, RECORDED.iloc[0:0], COMMENTS.iloc[0:0], NONE, NONE)
    details = rows.loc[rows["entry"] == "Status", "detail"].tolist()
    assert [detail.split(";")[0] for detail in details] == ["On track", "Off track (was on track)"]
