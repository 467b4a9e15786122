"""Goal status as pages read it: judged where the goals are stored, so that a page over hundreds of thousands of
goals receives counts and the few rows it shows, never every goal and check-in.

The store judges them with the macro `goal_statuses_on` (analytics/store/macros/), which
tests/store/test_goal_status_sql.py holds equal to `analytics.domain.goals.goal_status`, the one definition of a
goal's status, on the bundled data and on random goals. What is counted from the statuses (the share on track, the
portfolio, the status matrix) is computed from these counts by the domain's own functions (`share_on_track_of_counts`,
`portfolio_of_counts`, `status_matrix_of_counts`), and the reasons of the rows shown by `goals.reasons_for`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from analytics.domain import goals
from analytics.figures import briefing
from ui.data import run_query, store

Query = Callable[..., pd.DataFrame]


def status_params(rules: goals.GoalStatusRules) -> dict[str, Any]:
    """The query parameters of the thresholds in force (and the tolerance and attention statuses of goals)."""
    return {**goals.status_query_params(rules), "attention_statuses": list(goals.ATTENTION_STATUSES)}


def status_counts(params: dict[str, Any], rules: goals.GoalStatusRules) -> pd.DataFrame:
    """How many goals in scope have each status on the as-of date, per area of emphasis, affiliate type and ICMA
    region (count_goals, count_stale)."""
    return run_query("goal_status_counts_in_scope", **params, **status_params(rules))


def count_by_status(counts: pd.DataFrame) -> dict[str, int]:
    """status_counts summed per status: every status, zero when no goal has it."""
    summed = counts.groupby("status")["count_goals"].sum()
    return {status: int(summed.get(status, 0)) for status in goals.STATUSES}


def share_on_track(counts: pd.DataFrame) -> float | None:
    """The share of goals on track (goals.share_on_track_of_counts) of status_counts."""
    return goals.share_on_track_of_counts(count_by_status(counts))


def portfolio(
    params: dict[str, Any],
    rules: goals.GoalStatusRules,
    month_ends: Sequence[dt.date | pd.Timestamp],
    by: str | None = "area_of_emphasis",
) -> pd.DataFrame:
    """goals.portfolio_over_time of the goals in scope at `month_ends` (by area of emphasis, or None)."""
    counts = run_query(
        "goal_status_counts_by_month",
        **params,
        **status_params(rules),
        month_ends=[pd.Timestamp(month_end).date() for month_end in month_ends],
    )
    return goals.portfolio_of_counts(counts, month_ends, by=by)


def _described(query: Query, rows: pd.DataFrame, params: dict[str, Any], rules: goals.GoalStatusRules) -> pd.DataFrame:
    """Rows of goal_statuses_on with the goals' columns, as the goal tables show them: the reason of each status
    (goals.reasons_for), the latest narrative and the status in words (briefing.with_narrative_and_label)."""
    rows["status"] = rows["status"].astype(goals.STATUS_DTYPE)
    checkins = query("goal_checkin_values_of_goals", goal_ids=list(rows["goal_id"]), as_of=params["as_of"])
    return briefing.with_narrative_and_label(goals.reasons_for(rows, rows, checkins, params["as_of"], rules), checkins)


def _needing_attention(
    query: Query, params: dict[str, Any], rules: goals.GoalStatusRules, limit: int | None
) -> pd.DataFrame:
    rows = query("goals_needing_attention", **params, **status_params(rules), limit=limit)
    return _described(query, rows, params, rules)


def needing_attention(params: dict[str, Any], rules: goals.GoalStatusRules, limit: int) -> pd.DataFrame:
    """The first `limit` goals of goals.at_risk_list of the goals in scope (worst first), with every column of
    goals_in_scope, their status figures, their reasons, latest narratives and status labels."""
    return _needing_attention(run_query, params, rules, limit)


def needing_attention_later(params: dict[str, Any], rules: goals.GoalStatusRules) -> Callable[[], pd.DataFrame]:
    """A function building every goal of needing_attention, for a download made only when it is clicked: it reads
    the store opened now, without Streamlit (a download's function runs outside the page's run)."""
    opened = store()
    return lambda: _needing_attention(opened.query, params, rules, None)


# The choices of goals_chosen_in_scope, each None for "all" (only_stale False).
NO_CHOICE: dict[str, Any] = {
    "area": None,
    "affiliate_type": None,
    "icma_region": None,
    "affiliate_id": None,
    "status": None,
    "only_stale": False,
}


def _chosen(
    query: Query, params: dict[str, Any], rules: goals.GoalStatusRules, choices: dict[str, Any], limit: int | None
) -> pd.DataFrame:
    unknown = choices.keys() - NO_CHOICE.keys()
    if unknown:
        raise ValueError(f"unknown goal choice(s): {', '.join(sorted(unknown))}")
    rows = query(
        "goals_chosen_in_scope",
        **params,
        **status_params(rules),
        **(NO_CHOICE | choices),
        statuses=list(goals.STATUSES),
        limit=limit,
    )
    return _described(query, rows, params, rules)


def chosen(
    params: dict[str, Any], rules: goals.GoalStatusRules, choices: dict[str, Any], limit: int | None
) -> pd.DataFrame:
    """The goals in scope narrowed by `choices` (keys of NO_CHOICE), best status first, then the lowest share of
    the expected progress: the first `limit` (None: all), described as needing_attention describes its rows."""
    return _chosen(run_query, params, rules, choices, limit)


def chosen_later(
    params: dict[str, Any], rules: goals.GoalStatusRules, choices: dict[str, Any]
) -> Callable[[], pd.DataFrame]:
    """A function building every goal of `chosen`, for a download made only when it is clicked (as
    needing_attention_later)."""
    opened = store()
    return lambda: _chosen(opened.query, params, rules, choices, None)


def count_chosen(counts: pd.DataFrame, choices: dict[str, Any]) -> int:
    """How many goals `chosen` lists for `choices`, from status_counts (no goal is read)."""
    kept = pd.Series(True, index=counts.index)
    for column in ("area_of_emphasis", "affiliate_type", "icma_region", "status"):
        value = choices.get("area" if column == "area_of_emphasis" else column)
        if value is not None:
            kept &= counts[column] == value
    if choices.get("affiliate_id") is not None:
        raise ValueError("status_counts do not count goals per affiliate")
    return int(counts.loc[kept, "count_stale" if choices.get("only_stale") else "count_goals"].sum())


def progress_of_area(
    params: dict[str, Any], rules: goals.GoalStatusRules, area: str, month_ends: Sequence[dt.date | pd.Timestamp]
) -> pd.DataFrame:
    """goals.progress_by_month of the goals in scope of one area of emphasis, judged in the store."""
    progress = run_query(
        "goal_progress_by_month",
        **params,
        **status_params(rules),
        area=area,
        month_ends=[pd.Timestamp(month_end).date() for month_end in month_ends],
        on_track_statuses=list(goals.ON_TRACK_STATUSES),
    )
    return progress.astype({"count_goals_started": "int64", "count_on_track": "int64"})
