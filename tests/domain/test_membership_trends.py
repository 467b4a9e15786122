"""Joiners and leavers per month."""

from __future__ import annotations

import pandas as pd

from analytics.domain.membership_trends import flows_by_month


def test_no_months_give_no_flows():
    assert flows_by_month(pd.DataFrame()).empty


def test_flows_net_change_is_joiners_minus_leavers():
    months = pd.DataFrame({"month_end_on": pd.to_datetime(["2026-01-31"]), "new_members": [10], "lapsed_members": [4]})
    assert flows_by_month(months)["net_change"].tolist() == [6]
