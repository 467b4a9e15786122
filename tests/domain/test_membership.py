"""Membership transforms: change over a year, like for like over the affiliates counted both years, carry limits."""

from __future__ import annotations

import pandas as pd

from analytics.core.schema import table
from analytics.domain.membership import (
    MAX_CARRY_MONTHS,
    change_over_year,
    is_counted_as_of,
    last_month_end_counted,
    like_for_like_change,
    like_for_like_share_change,
    with_share_in_icma,
)


def year_on_year() -> pd.DataFrame:
    """As membership_year_on_year_by_affiliate returns it: one row per affiliate counted at either month end."""
    columns = ["affiliate_id", "members", "icma_members", "members_year_before", "icma_members_year_before"]
    rows = [
        ("steady", 1100, 660, 1000, 500),
        ("shrinking", 380, 38, 400, 40),
        ("started_this_year", 5000, 50, None, None),
        ("stopped_reporting", None, None, 700, 70),
    ]
    frame = pd.DataFrame(rows, columns=columns).astype({column: "Int64" for column in columns[1:]})
    return frame.assign(month_end_on=pd.Timestamp("2026-10-31"), year_before_on=pd.Timestamp("2025-10-31"))


def test_like_for_like_change_ignores_affiliates_that_started_or_stopped_reporting():
    change = like_for_like_change(year_on_year(), "members")
    assert (change.latest, change.year_before) == (1100 + 380, 1000 + 400)
    assert change.change_pct == (1480 - 1400) / 1400
    assert change.latest_on == pd.Timestamp("2026-10-31")


def test_like_for_like_share_is_over_the_same_affiliates():
    share = like_for_like_share_change(year_on_year())
    assert share.latest == (660 + 38) / (1100 + 380)
    assert share.year_before == (500 + 40) / (1000 + 400)


def test_like_for_like_without_an_affiliate_counted_both_years_has_no_change():
    only_new = year_on_year().iloc[[2]]
    assert like_for_like_change(only_new).change_pct is None
    assert like_for_like_share_change(only_new).change is None
    assert like_for_like_change(year_on_year().iloc[0:0]).latest_on is None


def test_like_for_like_leaves_its_input_unchanged():
    frame = year_on_year()
    before = frame.copy()
    like_for_like_change(frame)
    like_for_like_share_change(frame)
    pd.testing.assert_frame_equal(frame, before)


def months(*rows: tuple[str, int, int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["month_end_on", "members", "icma_members"])
    return with_share_in_icma(frame.assign(month_end_on=pd.to_datetime(frame["month_end_on"])))


def test_change_over_year_takes_the_latest_value_on_or_before_a_year_earlier():
    quarterly = months(("2025-09-30", 900, 90), ("2026-06-30", 950, 95), ("2026-09-30", 990, 99))
    change = change_over_year(quarterly, "members")
    assert (change.latest, change.year_before) == (990, 900)


def test_change_over_year_with_a_carry_limit_ignores_a_snapshot_too_old_then():
    sparse = months(("2024-08-31", 800, 80), ("2026-10-31", 990, 99))
    assert change_over_year(sparse, "members").year_before == 800
    assert change_over_year(sparse, "members", max_carry_months=12).year_before is None
    carried = months(("2024-10-31", 800, 80), ("2026-10-31", 990, 99))
    assert change_over_year(carried, "members", max_carry_months=12).year_before == 800


def test_a_snapshot_counts_for_twelve_month_ends_after_its_own():
    assert last_month_end_counted(pd.Timestamp("2025-02-28")) == pd.Timestamp("2026-02-28")
    assert is_counted_as_of(pd.Timestamp("2025-02-28"), pd.Timestamp("2026-03-30"))  # shows February 2026
    assert not is_counted_as_of(pd.Timestamp("2025-02-28"), pd.Timestamp("2026-03-31"))


def test_the_data_reference_states_the_same_carry_limit():
    assert f"for up to {MAX_CARRY_MONTHS} months" in table("membership").description
