"""Forms: one record checked by its kind's checks, previewed, committed through the pipeline, idempotent, undone;
and a liaison's ownership checked at commit and undo (tiny data: G0001 is Avery Stone's, G0002 Morgan Reyes's,
G0003 its agreement liaison Jordan Lee's; Avery and Morgan work with state-ca, Jordan with intl-gbr-solace)."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.auth.roles import Identity, Role
from analytics.core.errors import PermissionDenied
from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.reader import Store
from analytics.uploads import pipeline
from analytics.uploads.errors import UndoRefused, UploadRejected
from analytics.uploads.forms import RECORDED, UNCHANGED, FormEntry, check_form, commit_form, form_data
from tests.conftest import uploads_written

TODAY = date(2026, 11, 30)


def liaison(email: str, name: str = "A liaison") -> Identity:
    return Identity(email=email, name=name, roles=frozenset({Role.LIAISON}))


AVERY = liaison("avery.stone@example.org", "Avery Stone")
MORGAN = liaison("morgan.reyes@example.org", "Morgan Reyes")
JORDAN = liaison("jordan.lee@example.org", "Jordan Lee")


def checkin(goal_id: str = "G0001", on: date = date(2026, 11, 1), value: object = 170, note: str | None = "Drive"):
    fields = {"goal_id": goal_id, "reported_on": on, "value": value, "narrative": note, "reported_by": None}
    return FormEntry("goal_checkins", fields, f"{goal_id} on {on}")


def checked(data_dir, entry: FormEntry, who: Identity | None = AVERY):
    return check_form(entry, Store(data_dir), Settings(data_dir=data_dir), committed_by=who, today=TODAY)


def record(data_dir, entry: FormEntry, who: Identity | None = AVERY, replace_stored: bool = False):
    form = checked(data_dir, entry, who)
    return commit_form(form, Store(data_dir), committed_by=who, replace_stored=replace_stored)


def test_a_form_is_one_csv_row_under_the_kinds_labels():
    text = form_data(checkin(note='He said "=1+1", then left')).decode()
    assert text.splitlines()[0] == "goal,date,value,narrative,reported by"
    assert text.splitlines()[1] == 'G0001,2026-11-01,170,"He said ""=1+1"", then left",'


def test_a_liaison_records_a_check_in_on_a_goal_they_own_and_the_ledger_names_them(tiny_data_dir):
    result = record(tiny_data_dir, checkin())
    assert result.status == RECORDED
    rows = Store(tiny_data_dir).table("goal_checkins")
    row = rows[(rows["goal_id"] == "G0001") & (rows["reported_on"] == "2026-11-01")].iloc[0]
    assert (row["value"], row["narrative"], row["reported_by"]) == (170, "Drive", "avery.stone@example.org")
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert (batch["kind"], batch["committed_by"]) == ("goal_checkins", "avery.stone@example.org")
    assert batch["file_name"] == "Goal check-ins form: G0001 on 2026-11-01"


def test_the_same_check_in_again_changes_nothing_and_says_so(tiny_data_dir):
    record(tiny_data_dir, checkin())
    again = checked(tiny_data_dir, checkin())
    assert again.is_unchanged and not again.may_commit
    result = commit_form(again, Store(tiny_data_dir), committed_by=AVERY)
    assert result.status == UNCHANGED and "nothing changed" in result.message
    assert len(ledger.batches(tiny_data_dir)) == 1


def test_a_second_check_in_for_the_same_date_is_asked_replace_or_refuse_and_undo_brings_the_first_back(tiny_data_dir):
    record(tiny_data_dir, checkin(value=170))
    form = checked(tiny_data_dir, checkin(value=175))
    assert form.replaces and form.preview.rows_replaced == 1
    with pytest.raises(UploadRejected, match="already recorded .*value 170.*replace it"):
        commit_form(form, Store(tiny_data_dir), committed_by=AVERY)
    assert len(ledger.batches(tiny_data_dir)) == 1
    replaced = record(tiny_data_dir, checkin(value=175), replace_stored=True)
    assert "replaced" in replaced.message
    values = lambda: Store(tiny_data_dir).table("goal_checkins").set_index("checkin_id")["value"]  # noqa: E731
    assert values()["C-G0001-2026-11-01"] == 175
    pipeline.undo(tiny_data_dir, replaced.batch_id, AVERY)
    assert values()["C-G0001-2026-11-01"] == 170


@pytest.mark.parametrize(
    ("entry", "field", "problem"),
    [
        (checkin("G0003", value=0.5), "Value", "looks like a fraction; this goal is measured in percent, so write 50"),
        (checkin(on=date(2026, 12, 5)), "Date", "the date is in the future"),
        (checkin(on=date(2023, 12, 31)), "Date", "before the goal started (2024-01-01)"),
        (checkin(value="a lot"), "Value", "not a number"),
        (checkin(value=120, note=None), "Narrative", "a narrative is needed: the value moved away from the target"),
        (checkin("G9999"), "Goal", "unknown goal"),
    ],
)
def test_bad_input_gets_the_uploads_messages_in_the_forms_words(tiny_data_dir, entry, field, problem):
    form = checked(tiny_data_dir, entry, who=None)
    assert not form.may_commit
    assert list(form.problems["field"]) == [field]
    assert form.problems["problem"].iloc[0].startswith(problem)
    with pytest.raises(UploadRejected, match=f"nothing recorded: {field}"):
        commit_form(form, Store(tiny_data_dir))
    assert uploads_written(tiny_data_dir) == []


def test_a_liaison_is_refused_on_someone_elses_goal_with_nothing_written(tiny_data_dir):
    with pytest.raises(PermissionDenied, match="only for the goals you own, and G0002 is not one of them"):
        record(tiny_data_dir, checkin("G0002", value=6, note="Six"))
    assert uploads_written(tiny_data_dir) == []


def test_ownership_is_read_from_the_store_at_the_moment_of_commit(tiny_data_dir):
    form = checked(tiny_data_dir, checkin("G0001"))
    goals = (tiny_data_dir / "goals.csv").read_text().replace("2027-12-31,3,L001", "2027-12-31,3,L003")
    (tiny_data_dir / "goals.csv").write_text(goals)
    with pytest.raises(PermissionDenied):
        commit_form(form, Store(tiny_data_dir), committed_by=AVERY)
    assert uploads_written(tiny_data_dir) == []


def test_a_viewer_and_an_unknown_address_may_not_record_and_a_liaison_may_not_upload_a_file(tiny_data_dir):
    viewer = Identity(email="avery.stone@example.org", name="Avery", roles=frozenset({Role.VIEWER}))
    with pytest.raises(PermissionDenied, match="needs the liaison role"):
        record(tiny_data_dir, checkin(), who=viewer)
    with pytest.raises(PermissionDenied, match="not the e-mail address of any liaison"):
        record(tiny_data_dir, checkin(), who=liaison("someone@example.org"))
    data = form_data(checkin())
    file = pipeline.check_file(data, "checkins.csv", "goal_checkins", Store(tiny_data_dir), Settings(), today=TODAY)
    with pytest.raises(PermissionDenied, match="may not upload data"):
        pipeline.commit(file, data, Store(tiny_data_dir), committed_by=AVERY)
    assert uploads_written(tiny_data_dir) == []


def test_a_liaison_undoes_their_own_batch_but_not_anothers(tiny_data_dir):
    mine = record(tiny_data_dir, checkin())
    theirs = record(tiny_data_dir, checkin("G0002", value=6, note="Six"), who=MORGAN)
    with pytest.raises(PermissionDenied, match="may not undo"):
        pipeline.undo(tiny_data_dir, theirs.batch_id, AVERY)
    pipeline.undo(tiny_data_dir, mine.batch_id, AVERY)
    statuses = ledger.batches(tiny_data_dir).set_index("batch_id")["status"]
    assert (statuses[mine.batch_id], statuses[theirs.batch_id]) == ("undone", "committed")
    with pytest.raises(UndoRefused, match="already undone"):
        pipeline.undo(tiny_data_dir, mine.batch_id, AVERY)


def activity(affiliate_id: str = "state-ca", title: str = "Spoke at the spring meeting") -> FormEntry:
    fields = {
        "affiliate_id": affiliate_id,
        "activity_type": "conference attendance",
        "occurred_on": date(2026, 11, 20),
        "title": title,
        "status": None,
        "event_id": None,
        "liaison_id": None,
    }
    return FormEntry("activities", fields, f"{affiliate_id} on 2026-11-20")


def test_a_liaison_records_an_activity_for_an_affiliate_they_work_with_only(tiny_data_dir):
    assert record(tiny_data_dir, activity()).status == RECORDED
    stored = Store(tiny_data_dir).table("activities").set_index("activity_id")
    row = stored.loc["A-state-ca-2026-11-20-spoke-at-the-spring-meeting"]
    assert (row["status"], row["liaison_id"], row["activity_type"]) == ("done", "L001", "conference_attendance")
    with pytest.raises(PermissionDenied, match="only for the affiliates you work with, and intl-gbr-solace"):
        record(tiny_data_dir, activity("intl-gbr-solace"))


def comment(goal_id: str = "G0001", text: str = "**Great** <b>work</b>", checkin_id: str | None = None):
    fields = {"goal_id": goal_id, "checkin_id": checkin_id, "commented_on": TODAY, "author": None, "comment": text}
    return FormEntry("goal_comments", fields, f"{goal_id} on {TODAY}")


def test_comments_by_the_owner_or_a_liaison_of_the_goals_affiliate_kept_as_written(tiny_data_dir):
    record(tiny_data_dir, comment(checkin_id="C000002"), who=MORGAN)  # Morgan works with state-ca
    comments = Store(tiny_data_dir).table("goal_comments")
    new = comments[comments["author"] == "morgan.reyes@example.org"].iloc[0]
    assert (new["comment"], new["checkin_id"]) == ("**Great** <b>work</b>", "C000002")
    with pytest.raises(PermissionDenied):
        record(tiny_data_dir, comment(text="Hello"), who=JORDAN)


def test_a_comment_on_a_check_in_of_another_goal_is_refused(tiny_data_dir):
    form = checked(tiny_data_dir, comment(checkin_id="C000004"))
    assert list(form.problems["problem"]) == ["this check-in is of another goal"]
