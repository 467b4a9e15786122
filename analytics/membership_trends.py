"""Membership over time by group: trends per region, type or affiliate, joiners and leavers, growth in a year.

Pure pandas transforms over `membership_by_affiliate_month` (one row per affiliate per month). An
affiliate that did not report in a month is not counted in that month's totals.
"""

from __future__ import annotations

import pandas as pd

# What the trend can be broken down by: group column -> label.
GROUPINGS: dict[str, str] = {
    "icma_region": "ICMA region",
    "affiliate_type": "Affiliate type",
    "affiliate_name": "Affiliate",
}
# What the trend can show: measure -> label.
MEASURES: dict[str, str] = {
    "members": "Members",
    "icma_members": "Members also in ICMA",
    "share_icma": "Share also in ICMA",
}
TOP_AFFILIATES = 10


def trend_by_group(affiliate_months: pd.DataFrame, group: str, top: int = TOP_AFFILIATES) -> pd.DataFrame:
    """One row per group per month: members, also ICMA, their share, joiners and leavers.

    By affiliate, only the `top` affiliates with most members in the latest month are kept.
    """
    columns = ["month_end_on", "group", "members", "icma_members", "new_members", "lapsed_members", "share_icma"]
    if affiliate_months.empty:
        return pd.DataFrame(columns=columns)
    rows = affiliate_months
    if group == "affiliate_name":
        latest = rows[rows["month_end_on"] == rows["month_end_on"].max()]
        keep = latest.nlargest(top, "members")["affiliate_id"]
        rows = rows[rows["affiliate_id"].isin(keep)]
    sums = (
        rows.groupby(["month_end_on", group], as_index=False)[
            ["members", "icma_members", "new_members", "lapsed_members"]
        ]
        .sum()
        .rename(columns={group: "group"})
    )
    share = (sums["icma_members"] / sums["members"].astype("float64")).where(sums["members"] > 0)
    return sums.assign(share_icma=share)[columns].sort_values(["group", "month_end_on"], ignore_index=True)


def growth_by_affiliate(affiliate_months: pd.DataFrame) -> pd.DataFrame:
    """One row per affiliate: its latest members, the members a year before that, the change, and the share in ICMA.

    "A year before" is the affiliate's snapshot of the same month a year earlier (empty when it did not report).
    """
    columns = [
        "affiliate_id",
        "affiliate_name",
        "affiliate_type",
        "icma_region",
        "latest_on",
        "members",
        "members_year_before",
        "change",
        "change_pct",
        "icma_members",
        "share_icma",
        "new_members_12_months",
        "lapsed_members_12_months",
    ]
    if affiliate_months.empty:
        return pd.DataFrame(columns=columns)
    rows = affiliate_months.sort_values("month_end_on")
    latest = rows.groupby("affiliate_id").tail(1).set_index("affiliate_id")
    year_before_on = (latest["month_end_on"] - pd.DateOffset(years=1)) + pd.offsets.MonthEnd(0)
    lookup = rows.set_index(["affiliate_id", "month_end_on"])["members"]
    keys = list(zip(latest.index, year_before_on, strict=True))
    before = pd.Series([lookup.get(key) for key in keys], index=latest.index, dtype="Float64")
    window = rows.merge(latest["month_end_on"].rename("latest_on"), left_on="affiliate_id", right_index=True)
    window = window[window["month_end_on"] > window["latest_on"] - pd.DateOffset(years=1)]
    flows = window.groupby("affiliate_id")[["new_members", "lapsed_members"]].sum()
    result = pd.DataFrame(
        {
            "affiliate_name": latest["affiliate_name"],
            "affiliate_type": latest["affiliate_type"],
            "icma_region": latest["icma_region"],
            "latest_on": latest["month_end_on"],
            "members": latest["members"],
            "members_year_before": before,
            "icma_members": latest["icma_members"],
            "new_members_12_months": flows["new_members"],
            "lapsed_members_12_months": flows["lapsed_members"],
        }
    )
    result["change"] = result["members"] - result["members_year_before"]
    result["change_pct"] = (result["change"] / result["members_year_before"]).where(result["members_year_before"] > 0)
    result["share_icma"] = (result["icma_members"] / result["members"].astype("float64")).where(result["members"] > 0)
    return result.reset_index()[columns].sort_values("members", ascending=False, ignore_index=True)


def flows_by_month(months: pd.DataFrame) -> pd.DataFrame:
    """One row per month: joiners, leavers and the net change, from `membership_by_month`."""
    if months.empty:
        return pd.DataFrame(columns=["month_end_on", "new_members", "lapsed_members", "net_change"])
    flows = months[["month_end_on", "new_members", "lapsed_members"]].copy()
    return flows.assign(net_change=flows["new_members"] - flows["lapsed_members"])
