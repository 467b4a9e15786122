"""Checking activities files: types and statuses in people's words, liaisons from agreements, events by name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from analytics.uploads.checked import Checked

TODAY = date(2026, 11, 27)
HEADER = "Affiliate,Type,Date,Title,Status,Liaison,Event\n"


def check(data_dir: Path, text: str) -> Checked:
    store = Store(data_dir)
    data = text.encode("utf-8")
    return uploads.check_file(data, "activities.csv", "activities", store, Settings(data_dir=data_dir), today=TODAY)


def problems(checked: Checked) -> list[tuple]:
    return [tuple(row) for row in checked.report[["row", "column", "problem"]].itertuples(index=False)]


def test_types_statuses_liaisons_and_events_are_read_as_people_write_them(tiny_data_dir):
    checked = check(
        tiny_data_dir,
        HEADER
        + "Solace,Conference,2026-12-02,Delegation at the Summit,,,Solace Summit 2026\n"
        + "CA,article,2026-03-15,Piece on ethics,Published,,\n"
        + "Cal-ICMA,work plan,2027-04-01,Joint webinar,,Jordan Lee,\n"
        + "NFBPA,exchange,2021-05-01,Exchange with Atlanta,completed,,\n",
    )
    assert checked.report.empty
    rows = checked.rows.set_index("title")
    assert rows[["activity_type", "status", "liaison_id", "event_id"]].astype(object).where(
        rows.notna(), None
    ).values.tolist() == [
        ["conference_attendance", "planned", "L002", "E2026-solace-summit"],
        ["publication_contribution", "done", "L001", None],
        ["work_plan_item", "planned", "L002", None],
        ["member_exchange", "done", "L001", None],
    ]
    assert rows.loc["Piece on ethics", "activity_id"] == "A-state-ca-2026-03-15-piece-on-ethics"


def test_every_activity_problem_names_its_row_column_and_reason(tiny_data_dir):
    checked = check(
        tiny_data_dir,
        HEADER
        + "Solace,lunch,2026-05-01,Lunch,,,\n"
        + "Solace,conference,2027-05-01,Summit,done,,\n"
        + "Solace,conference,2026-05-01,Summit,maybe,Nobody Known,Not An Event\n"
        + ",exchange,2026-05-01,Exchange,,,\n"
        + "Solace,exchange,,,,,\n"
        + "Solace,exchange,2026-05-01,Same,,,\n"
        + "Solace,exchange,2026-05-01,Same,,,\n",
    )
    assert problems(checked) == [
        (
            2,
            "Type",
            "not an activity type (use conference attendance, publication contribution, member exchange "
            "or work plan item)",
        ),
        (3, "Status", "done, but dated in the future"),
        (4, "Event", "unknown event (use its id, or its name as on the Calendar page)"),
        (4, "Liaison", "unknown liaison (use their liaison id, full name or e-mail, as on the affiliate's profile)"),
        (4, "Status", "not a status (use planned, confirmed, in progress, done or cancelled)"),
        (5, "Affiliate", "a value is required"),
        (6, "Date", "a value is required"),
        (6, "Title", "a value is required"),
        (7, "Title", "the same activity also stands in row 8"),
        (8, "Title", "the same activity also stands in row 7"),
    ]


def test_a_stored_activity_uploaded_again_is_replaced_and_undo_restores_it(tiny_data_dir):
    text = HEADER + "Cal-ICMA,work plan,2026-05-01,Joint ethics webinar series,in progress,,\n"
    store = Store(tiny_data_dir)
    checked = check(tiny_data_dir, text)
    assert checked.rows["activity_id"].tolist() == ["A000002"]
    result = uploads.commit(checked, text.encode(), store, committed_by="test")
    assert (result.rows_loaded, result.rows_replaced) == (1, 1)
    activities = Store(tiny_data_dir).table("activities").set_index("activity_id")
    assert (len(activities), activities.loc["A000002", "status"]) == (3, "in_progress")
    uploads.undo(tiny_data_dir, result.batch_id, "test")
    assert Store(tiny_data_dir).table("activities").set_index("activity_id").loc["A000002", "status"] == "done"


def test_an_affiliate_without_an_agreement_needs_a_named_liaison(tiny_data_dir):
    affiliates = tiny_data_dir / "affiliates.csv"
    affiliates.write_text(
        affiliates.read_text()
        + "natl-lghn,Local Government Hispanic Network,LGHN,,national,USA,United States,,,,,,,current,,,high\n"
    )
    checked = check(tiny_data_dir, "Affiliate,Type,Date,Title\nLGHN,exchange,2026-05-01,Exchange\n")
    assert problems(checked) == [
        (2, "Affiliate", "no ICMA liaison: name one (this affiliate has no agreement to take its liaison from)")
    ]
    named = check(tiny_data_dir, "Affiliate,Type,Date,Title,Liaison\nLGHN,exchange,2026-05-01,Exchange,L001\n")
    assert named.report.empty
