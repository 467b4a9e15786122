"""Plausibility warnings: rows that pass every check but are far from the store's history warn in words, must be
acknowledged to commit, and the ledger records which were acknowledged."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.ledger import LEDGER_SCHEMA, StoreLayout
from analytics.store.reader import Store
from analytics.uploads import delta
from analytics.uploads import pipeline as uploads
from analytics.uploads.errors import UploadRejected

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
