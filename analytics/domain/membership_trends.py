"""Membership over time: what the trends can be broken down by and show, and joiners and leavers per month.

The trends themselves are summed in SQL (`membership_by_group_month`, `membership_by_month`).
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


def flows_by_month(months: pd.DataFrame) -> pd.DataFrame:
    """One row per month: joiners, leavers and the net change, from `membership_by_month`."""
    if months.empty:
        return pd.DataFrame(columns=["month_end_on", "new_members", "lapsed_members", "net_change"])
    flows = months[["month_end_on", "new_members", "lapsed_members"]].copy()
    return flows.assign(net_change=flows["new_members"] - flows["lapsed_members"])
