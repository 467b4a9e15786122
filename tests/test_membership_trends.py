"""Membership trends by group, growth against a year earlier, joiners and leavers."""

from __future__ import annotations

import pandas as pd

from analytics.membership_trends import flows_by_month, growth_by_affiliate, trend_by_group


def affiliate_months() -> pd.DataFrame:
    rows = [
        ("a", "A", "state", "West Coast", "2025-10-31", 100, 50, 5, 1),
        ("a", "A", "state", "West Coast", "2026-10-31", 120, 66, 7, 2),
        ("b", "B", "state", "Midwest", "2025-10-31", 200, 20, 3, 3),
        ("b", "B", "state", "Midwest", "2026-10-31", 180, 18, 1, 4),
        ("c", "C", "international", "International", "2026-10-31", 50, 0, 0, 0),
    ]
    columns = ["affiliate_id", "affiliate_name", "affiliate_type", "icma_region", "month_end_on", "members"]
    frame = pd.DataFrame(rows, columns=[*columns, "icma_members", "new_members", "lapsed_members"])
    return frame.assign(month_end_on=pd.to_datetime(frame["month_end_on"]))


def test_trend_by_type_sums_members_and_computes_the_share():
    trend = trend_by_group(affiliate_months(), "affiliate_type")
    state_2026 = trend[(trend["group"] == "state") & (trend["month_end_on"] == "2026-10-31")].iloc[0]
    assert (state_2026["members"], state_2026["icma_members"]) == (300, 84)
    assert state_2026["share_icma"] == 84 / 300


def test_trend_by_affiliate_keeps_the_largest():
    trend = trend_by_group(affiliate_months(), "affiliate_name", top=2)
    assert set(trend["group"]) == {"A", "B"}


def test_growth_compares_with_the_same_month_a_year_earlier():
    growth = growth_by_affiliate(affiliate_months()).set_index("affiliate_id")
    assert growth.loc["a", "change"] == 20 and growth.loc["a", "change_pct"] == 0.2
    assert growth.loc["b", "change"] == -20
    assert pd.isna(growth.loc["c", "members_year_before"]) and pd.isna(growth.loc["c", "change_pct"])
    assert growth.loc["a", "new_members_12_months"] == 7  # only the last twelve months


def test_empty_input_gives_empty_frames():
    empty = affiliate_months().iloc[0:0]
    assert trend_by_group(empty, "icma_region").empty
    assert growth_by_affiliate(empty).empty
    assert flows_by_month(pd.DataFrame()).empty


def test_flows_net_change_is_joiners_minus_leavers():
    months = pd.DataFrame({"month_end_on": pd.to_datetime(["2026-01-31"]), "new_members": [10], "lapsed_members": [4]})
    assert flows_by_month(months)["net_change"].tolist() == [6]
