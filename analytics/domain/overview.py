"""The Overview's figures: affiliate coverage against ICMA's stated agreement counts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class AffiliateCounts:
    state: int
    international: int
    national: int
    countries_covered: int
    states_covered: int


def affiliate_counts(affiliates: pd.DataFrame) -> AffiliateCounts:
    """Affiliates per type, international countries covered and US states with an association."""
    by_type = affiliates["affiliate_type"].value_counts()
    international = affiliates[affiliates["affiliate_type"] == "international"]
    states = affiliates[affiliates["affiliate_type"] == "state"]
    return AffiliateCounts(
        state=int(by_type.get("state", 0)),
        international=int(by_type.get("international", 0)),
        national=int(by_type.get("national", 0)),
        countries_covered=int(international["country_iso3"].dropna().nunique()),
        states_covered=int(states["state_code"].dropna().nunique()),
    )


def share_on_track(goal_statuses: pd.DataFrame) -> float | None:
    """Achieved or on-track goals as a share of the goals that have started; None when none has."""
    started = goal_statuses[goal_statuses["status"].astype(str) != "not_started"]
    if started.empty:
        return None
    return float(started["status"].astype(str).isin(["achieved", "on_track"]).mean())
