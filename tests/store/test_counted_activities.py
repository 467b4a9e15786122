"""counted_activities_in_window keeps every counted activity of the window and each affiliate's latest one, however
old, with its title: what analytics.domain.coverage.counted_activities and a latest-per-affiliate in pandas give."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.domain import coverage
from analytics.store.reader import Store

WINDOWS = [
    (date(2026, 12, 1), date(2025, 12, 1)),
    (date(2024, 6, 30), date(2024, 1, 1)),
    (date(2026, 12, 1), date(2030, 1, 1)),
]


def expected(activities: pd.DataFrame, affiliate_ids: set[str], as_of: date, first_on: date) -> pd.DataFrame:
    counted = coverage.counted_activities(activities[activities["affiliate_id"].isin(affiliate_ids)], as_of)
    counted = counted.sort_values(["affiliate_id", "occurred_on", "activity_id"])
    is_latest = ~counted.duplicated("affiliate_id", keep="last")
    kept = counted[is_latest | counted["occurred_on"].ge(pd.Timestamp(first_on))]
    return kept.assign(title=kept["title"].where(is_latest[kept.index]))


@pytest.mark.parametrize(("as_of", "first_on"), WINDOWS)
@pytest.mark.parametrize(("regions", "types"), [([], []), (["West Coast"], []), ([], ["international"])])
def test_the_window_and_each_affiliates_latest_activity(bundled_data_dir, as_of, first_on, regions, types):
    store = Store(bundled_data_dir)
    got = store.query("counted_activities_in_window", regions=regions, types=types, as_of=as_of, first_on=first_on)
    in_scope = set(store.query("affiliates_in_scope", regions=regions, types=types, as_of=as_of)["affiliate_id"])
    want = expected(store.table("activities"), in_scope, as_of, first_on)
    assert len(got) > 0
    columns = ["activity_id", "affiliate_id", "activity_type", "occurred_on", "title", "status"]
    assert got[columns].astype(str).values.tolist() == want[columns].astype(str).values.tolist()
