"""A value for every parameter a named query can take, for tests that run every query (analytics/store/queries/)."""

from __future__ import annotations

from datetime import date, timedelta

from analytics.domain.coverage import ACTIVITY_WEIGHTS
from analytics.domain.goals import (
    ATTENTION_STATUSES,
    ON_TRACK_STATUSES,
    STATUSES,
    THRESHOLD_TOLERANCE,
    GoalStatusRules,
)
from analytics.domain.membership import MAX_CARRY_MONTHS


def every_parameter(regions: list[str], types: list[str], as_of: date, since: date | None = None) -> dict:
    """Bound values for every query: the scope and as-of date given, the window from `since` (400 days before the
    as-of date unless given), the tiny folder's affiliate, goal and liaison, and the default goal status rules."""
    since = since or as_of - timedelta(days=400)
    rules = GoalStatusRules()
    return {
        "regions": regions,
        "types": types,
        "as_of": as_of,
        "renewal_window_months": 6,
        "max_carry_months": MAX_CARRY_MONTHS,
        "limit": 10,
        "affiliate_id": "state-ca",
        "first_on": since,
        "last_on": as_of,
        "since": since,
        "window_start": since,
        "activity_types": list(ACTIVITY_WEIGHTS),
        "goal_id": "G0001",
        "goal_ids": ["G0001", "G0002"],
        "owner_id": "L001",
        "liaison_id": "L001",
        "month_ends": [as_of - timedelta(days=31), as_of],
        "at_risk_below": rules.at_risk_below,
        "off_track_below": rules.off_track_below,
        "tolerance": THRESHOLD_TOLERANCE,
        "attention_statuses": list(ATTENTION_STATUSES),
        "on_track_statuses": list(ON_TRACK_STATUSES),
        "statuses": list(STATUSES),
        "area": "Ethics",
        "affiliate_type": None,
        "icma_region": None,
        "status": None,
        "only_stale": False,
        "per_month": 3,
        "label": "Cal-ICMA — Grow dual membership",
    }
