"""The Upload page, run by AppTest: report, preview, question, manual mapping, commit and undo."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analytics.store import ledger
from analytics.store.reader import Store
from analytics.uploads.kinds import KINDS
from tests.apptest import metric_values, run_page, shown
from tests.conftest import uploads_written

BAD_FILES = Path(__file__).resolve().parents[1] / "bad_files"
GOOD = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\nSolace,2025-12-31,530,41\n"


def table_with(app, *columns: str) -> pd.DataFrame:
    """The first table on the page that has these columns."""
    return next(frame.value for frame in app.dataframe if set(columns) <= set(frame.value.columns))


def upload(app, name: str, data: bytes):
    app.file_uploader(key="upload_file").set_value((name, data, "text/csv"))
    return app.run()


def acknowledge(app):
    """Tick "I have checked the warnings" (the corpus' 10 members of Cal-ICMA are far from its 1,010)."""
    app.checkbox(key="upload_accept_warnings").check()
    return app.run()


def questions(app) -> list[str]:
    return [warning.value for warning in app.warning if "question" in warning.value]


def test_upload_page_without_a_file_invites_one(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "upload")
    assert not app.exception
    assert "Choose a file" in app.info[0].value
    assert any("No file has been uploaded yet" in info.value for info in app.info)


def test_a_good_file_shows_what_will_change_and_commits(monkeypatch, tiny_data_dir):
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "members.csv", GOOD)
    assert not app.exception
    assert "passed every check" in app.success[0].value
    metrics = metric_values(app)
    assert (metrics["New snapshots"], metrics["Snapshots replaced"]) == ("1", "1")
    app.text_input(key="upload_by").set_value("Avery")
    app.button(key="upload_commit").click()
    app = app.run()
    assert not app.exception
    assert "committed batch" in app.success[0].value
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert (batch["committed_by"], batch["rows_loaded"]) == ("Avery", 2)
    assert "already loaded" in app.info[0].value
    assert app.button(key="upload_commit").disabled


def test_a_bad_file_shows_its_row_level_report_and_cannot_be_committed(monkeypatch, tiny_data_dir):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "bad.csv", (BAD_FILES / "negative_count.csv").read_bytes()
    )
    assert not app.exception
    assert "1 problem(s)" in app.error[0].value
    report = table_with(app, "Problem")
    assert report.iloc[0][["Row", "Column", "Problem"]].tolist() == [2, "members", "a count cannot be negative"]
    assert app.button(key="upload_commit").disabled


def test_only_valid_rows_may_be_committed_when_chosen(monkeypatch, tiny_data_dir):
    data = (BAD_FILES / "unknown_affiliate.csv").read_bytes()
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "mixed.csv", data)
    assert app.button(key="upload_commit").disabled
    app.checkbox(key="upload_only_valid").check()
    app = acknowledge(app.run())
    app.button(key="upload_commit").click()
    app = app.run()
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert (batch["rows_loaded"], batch["rows_rejected"]) == (1, 1)


def test_ambiguous_dates_are_asked_and_the_answer_is_used(monkeypatch, tiny_data_dir):
    data = (BAD_FILES / "ambiguous_dates.csv").read_bytes()
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "dates.csv", data)
    assert "question" in app.warning[0].value
    app.radio(key="upload_date_order").set_value("day_first")
    app = app.run()
    assert not questions(app)
    assert "passed every check" in app.success[0].value


def test_an_unrecognised_column_can_be_mapped_by_hand(monkeypatch, tiny_data_dir):
    # Two unnamed count columns: neither is taken for the missing one by its cells (never a guess between two).
    data = b"affiliate,date,members,Nb ICMA,Nb staff\nSolace,2025-12-31,530,41,3\n"
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "odd.csv", data)
    assert "required column" in table_with(app, "Problem").iloc[0]["Problem"]
    app.selectbox(key="upload_map_0").set_value("icma_members")
    app = app.run()
    assert not app.exception
    assert "passed every check" in app.success[0].value


def test_a_refused_file_says_why_and_stores_nothing(monkeypatch, tiny_data_dir):
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "x.xlsx", (BAD_FILES / "not_a_zip.xlsx").read_bytes())
    assert "not an Excel workbook" in app.error[0].value
    assert uploads_written(tiny_data_dir) == []


def test_a_batch_can_be_undone_from_the_ledger(monkeypatch, tiny_data_dir):
    before = Store(tiny_data_dir).table("membership").sort_values(["affiliate_id", "snapshot_on"], ignore_index=True)
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "members.csv", GOOD)
    app.button(key="upload_commit").click()
    app = app.run()
    assert app.button(key="upload_undo").disabled  # asked first
    assert any("stops its 2 membership row(s) counting" in shown(caption.value) for caption in app.caption)
    app.checkbox(key="upload_undo_confirm").check()
    app = app.run()
    app.button(key="upload_undo").click()
    app = app.run()
    assert not app.exception
    assert "undone" in app.success[0].value
    after = Store(tiny_data_dir).table("membership").sort_values(["affiliate_id", "snapshot_on"], ignore_index=True)
    pd.testing.assert_frame_equal(after, before)


def test_an_events_file_is_checked_and_committed_when_the_kind_is_events(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "upload")
    app.radio(key="upload_kind").set_value("events")
    app = app.run()
    assert app.title[0].value == "Upload events"
    bad = b"Title,From,To\nSummit,2027-03-05,2027-03-04\n"
    app = upload(app, "bad-events.csv", bad)
    assert not app.exception
    report = table_with(app, "Problem")
    assert report.iloc[0][["Row", "Column", "Problem"]].tolist() == [2, "To", "ends before it starts"]
    assert app.button(key="upload_commit").disabled
    good = b"Event,Start,End,Affiliate\nSolace Leaders Forum 2027,2027-03-04,2027-03-05,Solace\n"
    app = upload(app, "events.csv", good)
    assert "passed every check" in app.success[0].value
    assert (metric_values(app)["New events"], metric_values(app)["Events replaced"]) == ("1", "0")
    app.button(key="upload_commit").click()
    app = app.run()
    assert not app.exception
    assert "committed batch" in app.success[0].value
    assert "Solace Leaders Forum 2027" in set(Store(tiny_data_dir).table("events")["name"])
    assert ledger.batches(tiny_data_dir).iloc[0]["kind"] == "events"


def test_a_goals_file_shows_the_rows_as_they_will_be_stored_and_commits(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "upload")
    app.radio(key="upload_kind").set_value("goals")
    app = app.run()
    assert app.title[0].value == "Upload agreement goals"
    good = (
        b"Affiliate,Area,Goal,Metric,Unit,Baseline,Target,Start,Due\n"
        b"Solace,DEI,Close the speaker gap,gender gap,points,20,5,2025-01-01,2027-12-31\n"
    )
    app = upload(app, "goals.csv", good)
    assert not app.exception
    assert "passed every check" in app.success[0].value
    assert (metric_values(app)["New goals"], metric_values(app)["Goals replaced"]) == ("1", "0")
    stored = table_with(app, "Goal id")  # the rows as they will be stored
    assert stored[["Agreement id", "Direction", "Reporting interval months"]].values.tolist() == [
        ["AG-intl-gbr-solace-2021", "decrease", 3]
    ]
    app.button(key="upload_commit").click()
    app = app.run()
    assert "committed batch" in app.success[0].value
    assert "Close the speaker gap" in set(Store(tiny_data_dir).table("goals")["title"])


def test_a_check_ins_file_reports_its_problems_by_row_and_column(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "upload")
    app.radio(key="upload_kind").set_value("goal_checkins")
    app = app.run()
    app = upload(app, "checkins.csv", b"Goal,Date,Value\nG0001,2030-01-31,160\n")
    assert not app.exception
    report = table_with(app, "Problem")
    assert report.iloc[0][["Row", "Column", "Problem"]].tolist() == [2, "Date", "the date is in the future"]
    assert app.button(key="upload_commit").disabled


def test_the_page_lists_each_kinds_columns_and_its_template_is_read_back_as_those_columns(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "upload")
    app.radio(key="upload_kind").set_value("activities")
    app = app.run()
    guide = table_with(app, "Also recognised as")
    assert guide.loc[guide["Required"], "Column"].tolist() == ["Affiliate", "Activity type", "Date", "Title"]
    for kind in KINDS:
        headers = list(kind.template().columns)
        assert kind.match(headers).unmatched == [], kind.name
        assert set(kind.match(headers).sources) == {column.name for column in kind.columns}


def test_the_rows_a_batch_refused_are_listed_with_their_problems(monkeypatch, tiny_data_dir):
    data = (BAD_FILES / "unknown_affiliate.csv").read_bytes()
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "mixed.csv", data)
    app.checkbox(key="upload_only_valid").check()
    app = acknowledge(app.run())
    app.button(key="upload_commit").click()
    app = app.run()
    refused = table_with(app, "Problem", "affiliate")
    assert refused[["Row", "affiliate"]].values.tolist() == [[2, "Solase"]]
    assert refused["Problem"].iloc[0].startswith("unknown affiliate")


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx file with these sheets, in this order."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


US_DATES = b"affiliate,date,members,icma members\nSolace,04/03/2026,10,2\nCal-ICMA,06/05/2026,11,3\n"


def test_the_day_month_answer_for_one_file_is_asked_again_for_the_next(monkeypatch, tiny_data_dir):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "european.csv", (BAD_FILES / "ambiguous_dates.csv").read_bytes()
    )
    app.radio(key="upload_date_order").set_value("day_first")
    app = app.run()
    assert not questions(app)
    app = upload(app, "us.csv", US_DATES)
    assert not app.exception
    assert app.radio(key="upload_date_order").value is None
    assert "question" in app.warning[0].value
    assert app.button(key="upload_commit").disabled


def test_the_sheet_chosen_in_one_workbook_is_not_looked_for_in_the_next(monkeypatch, tiny_data_dir):
    rows = [["affiliate", "date", "members", "icma members"], ["Solace", "2025-12-31", 530, 41]]
    first = workbook_bytes({"Intro": [["Read me"]], "Data": rows})
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "first.xlsx", first)
    app.selectbox(key="upload_sheet").set_value("Data")
    app = app.run()
    assert "passed every check" in app.success[0].value
    app = upload(app, "second.xlsx", workbook_bytes({"Members": rows, "Notes": [["none"]]}))
    assert not app.exception
    assert not app.error, app.error[0].value
    assert app.selectbox(key="upload_sheet").value is None  # none chosen: the reader's choice, named in the notes
    assert any("read from sheet 'Members'" in shown(caption.value) for caption in app.caption)
    assert "passed every check" in app.success[0].value


def test_columns_matched_by_hand_for_one_file_are_not_used_for_the_next(monkeypatch, tiny_data_dir):
    first = b"affiliate,date,members,Nb ICMA,Nb staff\nSolace,2025-12-31,530,41,3\n"
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "odd.csv", first)
    app.selectbox(key="upload_map_0").set_value("icma_members")
    app = app.run()
    assert "passed every check" in app.success[0].value
    second = b"affiliate,date,members,Nb ICMA,Nb staff\nCal-ICMA,2025-11-30,1020,610,4\n"
    app = upload(app, "other.csv", second)
    assert not app.exception
    assert app.selectbox(key="upload_map_0").value == "(not used)"
    assert "required column" in table_with(app, "Problem").iloc[0]["Problem"]


def test_a_header_matched_by_hand_once_is_matched_so_again_and_the_choice_can_be_set_aside(monkeypatch, tiny_data_dir):
    header = b"affiliate,date,members,Nb ICMA,Nb staff\n"
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "odd.csv", header + b"Solace,2025-12-31,530,41,3\n")
    box = app.selectbox(key="upload_map_0")
    assert box.label.endswith("“Nb ICMA” is")
    assert box.format_func("icma_members") == "Members also in ICMA (required)"  # the label, never the schema name
    box.set_value("icma_members")
    app = app.run()
    app.button(key="upload_commit").click()
    app = app.run()
    assert "committed batch" in app.success[0].value

    # The same header next month: matched as last time, shown in its box, and named in the notes.
    app = upload(app, "next.csv", header + b"Cal-ICMA,2025-11-30,1020,610,4\n")
    assert not app.exception
    assert app.selectbox(key="upload_map_0").value == "icma_members"
    assert app.selectbox(key="upload_map_1").value == "(not used)"
    assert any("matched as in batch" in shown(caption.value) for caption in app.caption)
    assert any("Not used now: “Nb staff”" in shown(caption.value) for caption in app.caption)
    assert "passed every check" in app.success[0].value

    # "(not used)" sets the remembered choice aside: the required column is missing again.
    app.selectbox(key="upload_map_0").set_value("(not used)")
    app = app.run()
    assert not app.exception
    assert app.selectbox(key="upload_map_0").value == "(not used)"
    assert "required column" in table_with(app, "Problem").iloc[0]["Problem"]


def test_committing_only_the_valid_rows_is_chosen_again_for_the_next_file(monkeypatch, tiny_data_dir):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "mixed.csv", (BAD_FILES / "unknown_affiliate.csv").read_bytes()
    )
    app.checkbox(key="upload_only_valid").check()
    app = acknowledge(app.run())
    assert not app.button(key="upload_commit").disabled
    other = b"affiliate,date,members,icma members\nSolase,2026-02-28,10,2\nCal-ICMA,2026-02-28,10,2\n"
    app = upload(app, "other.csv", other)
    assert not app.checkbox(key="upload_only_valid").value
    assert app.button(key="upload_commit").disabled


def test_changing_the_kind_clears_the_answers(monkeypatch, tiny_data_dir):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "dates.csv", (BAD_FILES / "ambiguous_dates.csv").read_bytes()
    )
    app.radio(key="upload_date_order").set_value("day_first")
    app = app.run()
    app.radio(key="upload_kind").set_value("events")
    app = app.run()
    app.radio(key="upload_kind").set_value("membership")
    app = app.run()
    assert not app.exception
    assert app.session_state["upload_date_order"] is None


def test_a_file_missing_a_required_column_shows_no_counts_until_it_is_matched(monkeypatch, tiny_data_dir):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "short.csv", (BAD_FILES / "missing_column.csv").read_bytes()
    )
    assert not app.exception
    assert any("checked once the required columns are matched" in info.value for info in app.info)
    assert not {"Valid rows", "Rejected rows"} & set(metric_values(app))
    assert app.button(key="upload_commit").disabled


def test_an_open_question_shows_no_counts_and_no_success_until_it_is_answered(monkeypatch, tiny_data_dir):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "dates.csv", (BAD_FILES / "ambiguous_dates.csv").read_bytes()
    )
    assert any("checked once the question above is answered" in info.value for info in app.info)
    assert not app.success
    assert not {"Valid rows", "Rejected rows"} & set(metric_values(app))
    app.radio(key="upload_date_order").set_value("month_first")
    app = app.run()
    assert (metric_values(app)["Valid rows"], metric_values(app)["Rejected rows"]) == ("2", "0")


def test_a_header_only_file_says_it_has_no_data_rows_with_blank_cells_for_the_file_as_a_whole(
    monkeypatch, tiny_data_dir
):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "empty.csv", (BAD_FILES / "header_only.csv").read_bytes()
    )
    assert not app.exception
    assert app.error[0].value == "The file has no data rows."
    assert not any("0 of 0 rows" in error.value for error in app.error)
    report = next(frame for frame in app.dataframe if "Problem" in frame.value.columns)
    assert report.value["Row"].isna().all()
    assert report.proto.HasField("placeholder") and report.proto.placeholder == ""  # missing cells shown blank
    assert not metric_values(app)


def test_a_file_of_another_kind_is_recognised_and_can_be_read_as_that_kind(monkeypatch, tiny_data_dir):
    events = b"Event,Start,End,Affiliate\nSolace Leaders Forum 2027,2027-03-04,2027-03-05,Solace\n"
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "events.csv", events)
    assert not app.exception
    assert "This looks like an events file" in app.warning[0].value
    app.button(key="upload_switch_kind").click()
    app = app.run()
    assert not app.exception
    assert app.title[0].value == "Upload events"
    assert "passed every check" in app.success[0].value


def test_a_file_of_the_chosen_kind_that_lacks_a_column_gets_no_kind_hint(monkeypatch, tiny_data_dir):
    app = upload(
        run_page(monkeypatch, tiny_data_dir, "upload"), "short.csv", (BAD_FILES / "missing_column.csv").read_bytes()
    )
    assert not any("looks like" in warning.value for warning in app.warning)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_the_page_recognises_can_be_chosen_from_its_hint(kind, monkeypatch, tiny_data_dir):
    other = next(other for other in KINDS if other is not kind)
    app = run_page(monkeypatch, tiny_data_dir, "upload")
    app.radio(key="upload_kind").set_value(other.name)
    app = upload(app.run(), f"{kind.name}.csv", kind.template().to_csv(index=False).encode())
    assert not app.exception
    assert f"This looks like {kind.a_file}, not {other.label.lower()}" in app.warning[0].value
    assert app.button(key="upload_switch_kind").label == f"Read it as {kind.label.lower()}"
    app.button(key="upload_switch_kind").click()
    app = app.run()
    assert not app.exception
    assert app.title[0].value == kind.title
    assert not any("looks like" in warning.value for warning in app.warning)


def test_hostile_header_and_sheet_names_are_plain_text_in_the_preview(monkeypatch, tiny_data_dir):
    hostile, sheet = "![x](http://127.0.0.1:9/x.png)", "_emph_ <b>bold"  # a sheet's name cannot hold [ ] * /
    rows = [["affiliate", "date", "members", "icma members", hostile], ["Cal-ICMA", "2025-11-30", 1020, 610, "x"]]
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "m.xlsx", workbook_bytes({sheet: rows, "Other": []}))
    assert not app.exception
    labels = [box.label for box in app.selectbox]
    texts = [element.value for element in [*app.caption, *app.markdown, *app.warning, *app.info]] + labels
    quoting = [text for text in texts if "127.0.0.1" in shown(text)]
    assert len(quoting) >= 2  # the notes (its sheet, its unused column) and the hand-matching question
    for text in quoting:
        assert re.search(r"(?<!\\)[<\[\]_]", text) is None, text  # no link, image, tag or emphasis live
        assert hostile in shown(text)
    assert any(sheet in shown(text) and "\\_emph\\_" in text for text in texts)


JUMP = b"affiliate,date,members,icma members\nCal-ICMA,2026-11-30,2109,660\n"


def test_a_plausibility_warning_is_shown_and_must_be_acknowledged_to_commit(monkeypatch, tiny_data_dir):
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "jump.csv", JUMP)
    assert not app.exception
    assert any("far from what is stored" in warning.value for warning in app.warning)
    assert any(
        "Cal-ICMA: 2,109 members, +92% on its last report of 1,100 on 2026-10-31" in shown(text.value)
        for text in app.markdown
    )
    assert app.button(key="upload_commit").disabled
    app.checkbox(key="upload_accept_warnings").check()
    app = app.run()
    assert not app.button(key="upload_commit").disabled
    app.button(key="upload_commit").click()
    app = app.run()
    assert "committed batch" in app.success[0].value
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert batch["warnings_acknowledged"].startswith("Cal-ICMA: 2,109 members")


def test_the_preview_shows_affiliate_names_and_plain_dates(monkeypatch, tiny_data_dir):
    app = upload(run_page(monkeypatch, tiny_data_dir, "upload"), "members.csv", GOOD)
    stored = table_with(app, "Affiliate name", "Snapshot on", "Members")
    assert stored["Affiliate name"].tolist() == ["Cal-ICMA", "Solace"]
    assert [str(day) for day in stored["Snapshot on"]] == ["2025-11-30", "2025-12-31"]  # no 00:00:00
    replaced = table_with(app, "Affiliate name", "Members before")
    assert replaced["Affiliate name"].tolist() == ["Cal-ICMA"]
