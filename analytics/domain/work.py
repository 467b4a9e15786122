"""What a liaison has to do: which of their goals are due for a check-in, which are overdue, what changed lately.

A goal's next check-in is due one reporting interval after its latest check-in (or after its start when it has
none yet); it is overdue once that day has passed while the goal runs, due when it falls within `soon_days`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

CHECKIN_STATES: tuple[str, ...] = ("overdue", "due soon", "not yet due", "ended")
SOON_DAYS = 30


def next_checkin_on(goals: pd.DataFrame, latest_reported_on: pd.Series) -> pd.Series:
    """The day each goal's next check-in is due: latest check-in (else start) plus its reporting interval.

    >>> goals = pd.DataFrame({"start_on": pd.to_datetime(["2026-01-01", "2026-01-01"]),
    ...                       "reporting_interval_months": [3, 6]})
    >>> next_checkin_on(goals, pd.Series(pd.to_datetime(["2026-03-31", None]))).dt.strftime("%Y-%m-%d").tolist()
    ['2026-06-30', '2026-07-01']
    """
    last = pd.to_datetime(latest_reported_on).set_axis(goals.index).fillna(pd.to_datetime(goals["start_on"]))
    months = goals["reporting_interval_months"].astype("int64").to_numpy()
    due = [day + pd.DateOffset(months=int(count)) for day, count in zip(last, months, strict=True)]
    return pd.Series(pd.to_datetime(due), index=goals.index).astype("datetime64[ns]")


def checkin_states(next_on: pd.Series, due_on: pd.Series, as_of: dt.date, soon_days: int = SOON_DAYS) -> pd.Series:
    """Each goal's check-in state on `as_of`: overdue, due soon, not yet due, or ended (past its due date).

    >>> states = checkin_states(pd.Series(pd.to_datetime(["2026-10-31", "2026-12-15", "2027-05-01", "2026-01-01"])),
    ...                         pd.Series(pd.to_datetime(["2027-12-31"] * 3 + ["2026-06-30"])), dt.date(2026, 11, 30))
    >>> states.tolist()
    ['overdue', 'due soon', 'not yet due', 'ended']
    """
    today = pd.Timestamp(as_of)
    next_on, due_on = pd.to_datetime(next_on), pd.to_datetime(due_on).set_axis(next_on.index)
    state = np.select(
        [due_on < today, next_on < today, next_on <= today + pd.Timedelta(days=soon_days)],
        ["ended", "overdue", "due soon"],
        "not yet due",
    )
    return pd.Series(pd.Categorical(state, categories=list(CHECKIN_STATES), ordered=True), index=next_on.index)


def recent_entries(history: pd.DataFrame, since: dt.date) -> pd.DataFrame:
    """The entries of one or more goals' histories that happened or were recorded after `since`, newest first."""
    after = pd.Timestamp(since)
    recorded = pd.to_datetime(history["recorded_at"], utc=True).dt.tz_localize(None)
    recent = history[(history["happened_on"] > after) | (recorded > after)]
    return recent.sort_values(["happened_on", "recorded_at"], ascending=False, kind="stable").reset_index(drop=True)
