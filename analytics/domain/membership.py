"""Membership transforms: latest values, change over a year, and the share who belong to both.

Membership is a stock reported as snapshots, monthly, quarterly or yearly. The queries count an affiliate at
each month end with its latest snapshot on or before it, for at most `MAX_CARRY_MONTHS` months after that
snapshot (after that it has stopped reporting and no longer counts); joiners and leavers are flows and count
only in the month reported. A change over a year compares like with like: the affiliates counted at both month
ends (`like_for_like_change`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

# Months after its latest snapshot that an affiliate that has not reported since still counts in the totals
# (the queries' $max_carry_months, passed by ui.data.scope_params).
MAX_CARRY_MONTHS = 12
CARRY_FORWARD_NOTE = (
    "An affiliate that has not reported in a month counts with its latest snapshot, "
    f"for up to {MAX_CARRY_MONTHS} months."
)


@dataclass(frozen=True)
class Change:
    """A measure's latest value and its value twelve months before (None when there is none)."""

    latest_on: pd.Timestamp | None
    latest: float | None
    year_before: float | None

    @property
    def change(self) -> float | None:
        if self.latest is None or self.year_before is None:
            return None
        return self.latest - self.year_before

    @property
    def change_pct(self) -> float | None:
        if self.change is None or not self.year_before:
            return None
        return self.change / self.year_before


def change_over_year(
    months: pd.DataFrame, column: str, date_column: str = "month_end_on", max_carry_months: int | None = None
) -> Change:
    """The latest value of `column` and the value at the same month end a year earlier.

    The value a year earlier is the latest one on or before that date; with `max_carry_months`, only when it is
    at most that many months older (otherwise there is none), as the totals count a snapshot.
    """
    rows = months.dropna(subset=[column]).sort_values(date_column)
    if rows.empty:
        return Change(None, None, None)
    latest_row = rows.iloc[-1]
    latest_on = pd.Timestamp(latest_row[date_column])
    year_before_on = latest_on - pd.DateOffset(years=1)
    dates = pd.to_datetime(rows[date_column])
    earlier = rows[dates <= year_before_on]
    if max_carry_months is not None:
        counts_after_on = _month_end(year_before_on) - pd.offsets.MonthEnd(max_carry_months + 1)
        earlier = earlier[dates[earlier.index] > counts_after_on]
    year_before = float(earlier.iloc[-1][column]) if not earlier.empty else None
    return Change(latest_on, float(latest_row[column]), year_before)


def _month_end(on: pd.Timestamp) -> pd.Timestamp:
    return on.normalize() + pd.offsets.MonthEnd(0)


def latest_as_of(latest_reported_on: dt.date) -> dt.date:
    """The latest as-of date the data answers for: the end of the month after the month of its latest report.

    A month's reports arrive during the next month, so as of any day of that month the latest reports are the
    current ones; later than that, every figure would be a guess (members carried forward, then none at all
    next to a share of the last reports). The pages clamp a later as-of date to this one, and say so.

    >>> latest_as_of(dt.date(2026, 10, 31)), latest_as_of(dt.date(2026, 11, 5))
    (datetime.date(2026, 11, 30), datetime.date(2026, 12, 31))
    """
    return (_month_end(pd.Timestamp(latest_reported_on)) + pd.offsets.MonthEnd(1)).date()


def last_month_end_counted(snapshot_on: pd.Timestamp) -> pd.Timestamp:
    """The last month end at which a snapshot still counts in the totals when no later one comes.

    >>> last_month_end_counted(pd.Timestamp("2025-02-10"))  # MAX_CARRY_MONTHS = 12 months after its month
    Timestamp('2026-02-28 00:00:00')
    """
    return _month_end(pd.Timestamp(snapshot_on)) + pd.offsets.MonthEnd(MAX_CARRY_MONTHS)


def last_month_end_on_or_before(on: pd.Timestamp) -> pd.Timestamp:
    """The latest month end on or before a date: the last month the totals show at that as-of date.

    The same as the SQL macro `last_month_end_on_or_before` (analytics/store/macros/).

    >>> last_month_end_on_or_before(pd.Timestamp("2026-06-29"))
    Timestamp('2026-05-31 00:00:00')
    >>> last_month_end_on_or_before(pd.Timestamp("2026-06-30"))
    Timestamp('2026-06-30 00:00:00')
    """
    return pd.Timestamp(on).normalize() + pd.Timedelta(days=1) - pd.offsets.MonthEnd(1)


def is_counted_as_of(latest_snapshot_on: pd.Timestamp, as_of: pd.Timestamp) -> bool:
    """Whether an affiliate whose latest snapshot is this one still counts in the totals as of `as_of`."""
    return last_month_end_counted(latest_snapshot_on) >= last_month_end_on_or_before(as_of)


def counted_both_years(affiliates: pd.DataFrame, before: str = "year_before") -> pd.DataFrame:
    """The rows of `membership_year_on_year_by_affiliate` counted at both month ends, twelve months apart.

    `before`: the suffix of the earlier month end's columns (`membership_change_by_affiliate` says "before").
    """
    return affiliates[affiliates["members"].notna() & affiliates[f"members_{before}"].notna()]


def like_for_like_change(affiliates: pd.DataFrame, column: str = "members", before: str = "year_before") -> Change:
    """`column` summed at the latest month end and twelve months before, over the affiliates counted at both.

    `affiliates` is `membership_year_on_year_by_affiliate` (one row per affiliate with `column` and
    `<column>_year_before`): an affiliate that started or stopped reporting in between changes neither sum.
    With `before="before"`, `membership_change_by_affiliate` (two month ends chosen by the caller) likewise.
    """
    both = counted_both_years(affiliates, before)
    latest_on = pd.Timestamp(affiliates["month_end_on"].iloc[0]) if not affiliates.empty else None
    if both.empty:
        return Change(latest_on, None, None)
    return Change(latest_on, float(both[column].sum()), float(both[f"{column}_{before}"].sum()))


def like_for_like_share_change(affiliates: pd.DataFrame) -> Change:
    """The share of members also in ICMA, at the latest month end and twelve months before, over the same affiliates."""
    members = like_for_like_change(affiliates, "members")
    icma_members = like_for_like_change(affiliates, "icma_members")
    if not members.latest or not members.year_before:
        return Change(members.latest_on, None, None)
    return Change(
        members.latest_on,
        icma_members.latest / members.latest,
        icma_members.year_before / members.year_before,
    )


def with_share_in_icma(months: pd.DataFrame) -> pd.DataFrame:
    """The months with `share_icma`: affiliate members who also belong to ICMA, as a fraction."""
    members = months["members"].astype("float64")
    share = (months["icma_members"] / members).where(members > 0)
    return months.assign(share_icma=share)


def recent(months: pd.DataFrame, column: str, count: int = 24, date_column: str = "month_end_on") -> list[float]:
    """The last `count` values of a column, oldest first (for a sparkline)."""
    return months.sort_values(date_column)[column].tail(count).astype("float64").tolist()
