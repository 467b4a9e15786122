"""`checkin`, `activity` and `comment`: the app's forms from the shell, with ingest's exit codes; the batch shows in
`batches` with its kind and undoes with `undo`."""

from __future__ import annotations

import pandas as pd

from analytics.cli.main import main
from analytics.store import ledger
from analytics.store.reader import Store


def run(tiny_data_dir, monkeypatch, *argv: str) -> int:
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    return main(list(argv))


def checkins(data_dir) -> pd.DataFrame:
    return Store(data_dir).table("goal_checkins").set_index("checkin_id")


def test_checkin_records_is_unchanged_the_second_time_and_undoes(tiny_data_dir, monkeypatch, capsys):
    argv = ("checkin", "G0001", "--on", "2026-11-01", "--value", "170", "--note", "Fall drive", "--by", "Avery Stone")
    assert run(tiny_data_dir, monkeypatch, *argv) == 0
    assert "Check-in recorded (batch" in capsys.readouterr().out
    row = checkins(tiny_data_dir).loc["C-G0001-2026-11-01"]
    assert (row["value"], row["narrative"], row["reported_by"]) == (170, "Fall drive", "Avery Stone")
    assert run(tiny_data_dir, monkeypatch, *argv) == 0
    assert "already recorded with these values; nothing changed" in capsys.readouterr().out
    assert run(tiny_data_dir, monkeypatch, "batches") == 0
    listed = capsys.readouterr().out
    assert "goal_checkins" in listed and "Goal check-ins form: G0001 on 2026-11-01" in listed
    batch_id = ledger.batches(tiny_data_dir).iloc[0]["batch_id"]
    assert run(tiny_data_dir, monkeypatch, "undo", batch_id) == 0
    assert "C-G0001-2026-11-01" not in checkins(tiny_data_dir).index


def test_checkin_refuses_with_1_and_the_reason_and_a_second_value_needs_replace(tiny_data_dir, monkeypatch, capsys):
    assert run(tiny_data_dir, monkeypatch, "checkin", "G0003", "--on", "2026-11-01", "--value", "0.07") == 1
    assert "rejected: nothing recorded: Value: looks like a fraction" in capsys.readouterr().out
    first = ("checkin", "G0001", "--on", "2026-11-01", "--value", "170", "--note", "Drive")
    assert run(tiny_data_dir, monkeypatch, *first) == 0
    second = ("checkin", "G0001", "--on", "2026-11-01", "--value", "180", "--note", "Drive")
    assert run(tiny_data_dir, monkeypatch, *second) == 1
    assert "already recorded (goal G0001, date 2026-11-01, value 170, reported by" in capsys.readouterr().out
    assert run(tiny_data_dir, monkeypatch, *second, "--dry-run") == 0
    assert "it would replace the one recorded" in capsys.readouterr().out
    assert checkins(tiny_data_dir).loc["C-G0001-2026-11-01", "value"] == 170
    assert run(tiny_data_dir, monkeypatch, *second, "--replace") == 0
    assert checkins(tiny_data_dir).loc["C-G0001-2026-11-01", "value"] == 180


def test_checkin_with_a_comment_records_both_the_comment_on_the_check_in(tiny_data_dir, monkeypatch):
    argv = ("checkin", "Grow dual membership", "--on", "2026-11-01", "--value", "170", "--note", "Drive")
    assert run(tiny_data_dir, monkeypatch, *argv, "--comment", '=HYPERLINK("x")', "--by", "Avery") == 0
    comments = Store(tiny_data_dir).table("goal_comments")
    new = comments[comments["author"] == "Avery"].iloc[0]
    assert (new["goal_id"], new["checkin_id"], new["comment"]) == ("G0001", "C-G0001-2026-11-01", '=HYPERLINK("x")')
    assert list(ledger.batches(tiny_data_dir)["kind"]) == ["goal_comments", "goal_checkins"]


def test_activity_records_and_refuses_an_unknown_type_with_1(tiny_data_dir, monkeypatch, capsys):
    argv = ("activity", "Cal-ICMA", "--type", "article", "--on", "2026-11-20", "--title", "Column in PM")
    assert run(tiny_data_dir, monkeypatch, *argv, "--status", "done") == 0
    activities = Store(tiny_data_dir).table("activities").set_index("activity_id")
    row = activities.loc["A-state-ca-2026-11-20-column-in-pm"]
    assert (row["activity_type"], row["status"], row["liaison_id"]) == ("publication_contribution", "done", "L001")
    assert run(tiny_data_dir, monkeypatch, "activity", "Cal-ICMA", "--type", "picnic", "--on", "2026-11-20",
               "--title", "x") == 1  # fmt: skip
    assert "Activity type: not an activity type" in capsys.readouterr().out


def test_a_usage_error_is_2(tiny_data_dir, monkeypatch, capsys):
    try:
        run(tiny_data_dir, monkeypatch, "checkin", "G0001", "--on", "30/11/2026", "--value", "1")
    except SystemExit as exit:
        assert exit.code == 2
    assert "is not a date" in capsys.readouterr().err


def test_comment_on_a_goal(tiny_data_dir, monkeypatch):
    assert run(tiny_data_dir, monkeypatch, "comment", "G0002", "--text", "Next training?", "--on", "2026-11-02") == 0
    comments = Store(tiny_data_dir).table("goal_comments").set_index("comment_id")
    assert comments.filter(like="K-G0002-2026-11-02", axis=0)["comment"].tolist() == ["Next training?"]


def test_a_checkin_far_beyond_its_target_needs_accept_warnings_and_the_ledger_records_it(
    tiny_data_dir, monkeypatch, capsys
):
    argv = ("checkin", "G0002", "--on", "2026-11-01", "--value", "40", "--note", "Many", "--by", "Avery Stone")
    assert run(tiny_data_dir, monkeypatch, *argv) == 1
    out = capsys.readouterr().out
    assert "warning: Hold ethics trainings (G0002): 40 on 2026-11-01, far beyond its target of 12" in out
    assert "--accept-warnings" in out
    assert ledger.batches(tiny_data_dir).empty
    assert run(tiny_data_dir, monkeypatch, *argv, "--accept-warnings") == 0
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert batch["committed_by"] == "Avery Stone"
    assert "far beyond its target of 12" in batch["warnings_acknowledged"]


def test_ingest_of_an_implausible_snapshot_needs_accept_warnings(tiny_data_dir, monkeypatch, capsys, tmp_path):
    upload = tmp_path / "jump.csv"
    upload.write_bytes(b"affiliate,date,members,icma members\nCal-ICMA,2026-11-30,2109,660\n")
    assert run(tiny_data_dir, monkeypatch, "ingest", str(upload), "--dry-run") == 0
    assert "warning: Cal-ICMA: 2,109 members, +92% on its last report of 1,100" in capsys.readouterr().out
    assert run(tiny_data_dir, monkeypatch, "ingest", str(upload)) == 1
    assert "1 warning(s) to acknowledge" in capsys.readouterr().out
    assert ledger.batches(tiny_data_dir).empty
    assert run(tiny_data_dir, monkeypatch, "ingest", str(upload), "--accept-warnings", "--by", "Jordan") == 0
    assert ledger.batches(tiny_data_dir).iloc[0]["warnings_acknowledged"].startswith("Cal-ICMA: 2,109 members")
