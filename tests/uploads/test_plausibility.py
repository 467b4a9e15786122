"""Plausibility warnings: rows that pass every check but are far from the store's history warn in words, must be
acknowledged to commit, and the ledger records which were acknowledged."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.ledger import LEDGER_SCHEMA, StoreLayout
from analytics.store.reader import Store
from analytics.uploads import delta
from analytics.uploads import pipeline as uploads
from analytics.uploads.errors import UploadRejected
from analytics.uploads.plausibility import checkin_warnings

TODAY = date(2026, 11, 30)
JUMP = b"affiliate,date,members,icma members\nCal-ICMA,2026-11-30,2109,1600\nSolace,2026-11-30,530,46\n"
CHECKINS = (
    b"Goal,Date,Value,Narrative\n"
    b"G0001,2026-06-30,120,Members lapsed\n"  # down from 150 on 2026-03-31: the goal is to increase
    b"G0002,2026-06-30,40,Many trainings\n"  # target 12 from 0: far beyond
    b"G0003,2026-09-30,7,Fewer lapses\n"  # a decrease goal going down, under its target of 8 by a little: fine
)


def checked(data_dir, data: bytes, kind: str = "membership"):
    store = Store(data_dir)
    return uploads.check_file(data, f"{kind}.csv", kind, store, Settings(data_dir=data_dir), today=TODAY), store


def test_a_snapshot_far_from_the_affiliates_last_report_warns_in_words(tiny_data_dir):
    file, store = checked(tiny_data_dir, JUMP)
    assert file.report.empty
    assert uploads.preview(file, store, Settings(data_dir=tiny_data_dir)).warnings == (
        "Cal-ICMA: 2,109 members, +92% on its last report of 1,100 on 2026-10-31",
        "Cal-ICMA: 1,600 members also in ICMA, +142% on its last report of 660 on 2026-10-31",
    )


def test_the_thresholds_are_settings(tiny_data_dir):
    file, store = checked(tiny_data_dir, JUMP)
    assert uploads.warnings(file, store, Settings(data_dir=tiny_data_dir, warn_members_change=1.0)) == (
        "Cal-ICMA: 1,600 members also in ICMA, +142% on its last report of 660 on 2026-10-31",
    )
    lenient = Settings(data_dir=tiny_data_dir, warn_members_change=2.0, warn_icma_members_change=2.0)
    assert uploads.warnings(file, store, lenient) == ()


def test_check_ins_that_move_backwards_or_far_beyond_the_target_warn(tiny_data_dir):
    file, store = checked(tiny_data_dir, CHECKINS, "goal_checkins")
    assert file.report.empty
    assert uploads.warnings(file, store, Settings(data_dir=tiny_data_dir)) == (
        "Grow dual membership (G0001): 120 on 2026-06-30, down from 150 on 2026-03-31, although the goal is to "
        "increase",
        "Hold ethics trainings (G0002): 40 on 2026-06-30, far beyond its target of 12 (from a baseline of 0)",
    )


def test_warnings_refuse_the_commit_until_acknowledged_and_the_ledger_records_them(tiny_data_dir):
    file, store = checked(tiny_data_dir, JUMP)
    settings = Settings(data_dir=tiny_data_dir)
    with pytest.raises(UploadRejected, match=r"2 warning\(s\) to acknowledge"):
        uploads.commit(file, JUMP, store, committed_by="Jordan Lee", settings=settings)
    assert ledger.batches(tiny_data_dir).empty  # nothing written
    assert not (tiny_data_dir / "store" / "membership").exists()
    uploads.commit(file, JUMP, store, committed_by="Jordan Lee", accept_warnings=True, settings=settings)
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert batch["committed_by"] == "Jordan Lee"
    assert batch["warnings_acknowledged"].splitlines() == [
        "Cal-ICMA: 2,109 members, +92% on its last report of 1,100 on 2026-10-31",
        "Cal-ICMA: 1,600 members also in ICMA, +142% on its last report of 660 on 2026-10-31",
    ]


def test_a_file_without_warnings_commits_without_acknowledging_and_records_none(tiny_data_dir):
    data = b"affiliate,date,members,icma members\nCal-ICMA,2026-11-30,1120,670\n"
    file, store = checked(tiny_data_dir, data)
    uploads.commit(file, data, store, committed_by="Jordan Lee", settings=Settings(data_dir=tiny_data_dir))
    assert pd.isna(ledger.batches(tiny_data_dir).iloc[0]["warnings_acknowledged"])


def test_a_ledger_written_before_the_column_existed_gains_it_and_reads_as_before(tiny_data_dir):
    data = b"affiliate,date,members,icma members\nCal-ICMA,2026-11-30,1120,670\n"
    file, store = checked(tiny_data_dir, data)
    uploads.commit(file, data, store, committed_by="Jordan Lee", settings=Settings(data_dir=tiny_data_dir))
    path = StoreLayout(tiny_data_dir).ledger
    old = ledger.delta_table(path).to_pyarrow_table().drop_columns(["warnings_acknowledged"])
    old_schema = pa.schema([field for field in LEDGER_SCHEMA if field.name != "warnings_acknowledged"])
    shutil.rmtree(path)
    delta.append(path, old.cast(old_schema))  # a ledger as older versions wrote it
    assert "warnings_acknowledged" not in ledger.delta_table(path).schema().to_arrow().names
    assert pd.isna(ledger.batches(tiny_data_dir).iloc[0]["warnings_acknowledged"])
    file, store = checked(tiny_data_dir, JUMP)
    uploads.commit(
        file, JUMP, store, committed_by="Avery", accept_warnings=True, settings=Settings(data_dir=tiny_data_dir)
    )
    listed = ledger.batches(tiny_data_dir)
    assert listed["committed_by"].tolist() == ["Avery", "Jordan Lee"]
    assert listed.iloc[0]["warnings_acknowledged"].startswith("Cal-ICMA: 2,109 members")


class _Tables:
    """A store of just the tables the warnings read."""

    def __init__(self, **tables: pd.DataFrame):
        self.tables = tables

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _checkin_warnings_one_by_one(rows: pd.DataFrame, store: _Tables, settings: Settings) -> tuple[str, ...]:
    """The rule as first written: each row against its goal's stored check-ins, one row at a time."""
    goals = store.table("goals").set_index("goal_id")
    history = store.table("goal_checkins")
    found = []
    for row in rows.sort_values(["goal_id", "reported_on"], kind="stable").itertuples(index=False):
        if row.goal_id not in goals.index or pd.isna(row.value):
            continue
        goal = goals.loc[row.goal_id]
        baseline, target, value = float(goal["baseline_value"]), float(goal["target_value"]), float(row.value)
        sign = -1.0 if goal["direction"] == "decrease" else 1.0
        on = pd.Timestamp(row.reported_on)
        earlier = history[(history["goal_id"] == row.goal_id) & (history["reported_on"] < on)]
        if earlier.empty:
            previous, words = baseline, f"its baseline of {baseline:,g}"
        else:
            last = earlier.loc[earlier["reported_on"].idxmax()]
            previous, words = float(last["value"]), f"{float(last['value']):,g} on {last['reported_on']:%Y-%m-%d}"
        name = f"{goal['title']} ({row.goal_id})"
        if sign * (value - previous) < 0:
            moved = "down" if sign > 0 else "up"
            found.append(
                f"{name}: {value:,g} on {on:%Y-%m-%d}, {moved} from {words}, although the goal is to "
                f"{goal['direction']}"
            )
        elif sign * (value - target) > settings.warn_beyond_target * abs(target - baseline):
            found.append(
                f"{name}: {value:,g} on {on:%Y-%m-%d}, far beyond its target of {target:,g} "
                f"(from a baseline of {baseline:,g})"
            )
    return tuple(found)


_DAYS = st.integers(0, 12).map(lambda month: pd.Timestamp("2026-01-31") + pd.DateOffset(months=month))
_VALUES = st.one_of(st.integers(0, 30).map(float), st.just(float("nan")))
_GOALS = ["G1", "G2", "G3", "G9"]  # G9 has no goal


@given(
    goals=st.lists(
        st.tuples(st.sampled_from(["increase", "decrease"]), st.integers(0, 20), st.integers(0, 20)),
        min_size=3,
        max_size=3,
    ),
    stored=st.lists(st.tuples(st.sampled_from(_GOALS[:3]), _DAYS, _VALUES), max_size=12),
    uploaded=st.lists(st.tuples(st.sampled_from(_GOALS), _DAYS, _VALUES), min_size=1, max_size=8),
)
@settings(max_examples=300, deadline=None)
def test_check_in_warnings_equal_the_rule_applied_one_row_at_a_time(goals, stored, uploaded):
    store = _Tables(
        goals=pd.DataFrame(
            {
                "goal_id": _GOALS[:3],
                "title": ["Grow", "Train", "Hold"],
                "direction": [direction for direction, _, _ in goals],
                "baseline_value": [float(baseline) for _, baseline, _ in goals],
                "target_value": [float(target) for _, _, target in goals],
            }
        ),
        goal_checkins=pd.DataFrame(stored, columns=["goal_id", "reported_on", "value"]).astype(
            {"goal_id": object, "reported_on": "datetime64[us]", "value": float}
        ),
    )
    rows = pd.DataFrame(uploaded, columns=["goal_id", "reported_on", "value"])
    settings_ = Settings(data_dir=".")
    assert checkin_warnings(rows, store, settings_) == _checkin_warnings_one_by_one(rows, store, settings_)
