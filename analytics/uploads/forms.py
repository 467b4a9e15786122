"""Forms: one record a person enters in the app or on the command line, checked and committed as an upload is.

A form is a one-row source of an upload kind (a check-in, an activity, a comment): its fields become one CSV row
under the kind's column labels, which the pipeline reads and checks like any file (`pipeline.check_file`: the
kind's checks module of the registry), previews and commits (`pipeline.commit`: the role and, for a liaison,
the ownership checked at that moment; one ledger row naming the person and the kind, undoable like any batch).
Its source's file type is "form", and its file name in the ledger says which form and what about
("Goal check-ins form: G0001 on 2026-11-30"). Problems are said of the form's fields ("Value: looks like a
fraction ..."), never of "row 2".

Sending the same record again changes nothing and says so: when the store holds a record with the same key
and the same values, nothing is committed. A record whose key the store holds with other values (a second
check-in for the same goal and date) is a question, never settled silently: replace it, or record nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analytics.auth.roles import Identity, acting_identity
from analytics.uploads import pipeline
from analytics.uploads.checked import Checked
from analytics.uploads.errors import UploadRejected
from analytics.uploads.kinds import upload_kind
from analytics.uploads.ownership import FORM
from analytics.uploads.preview import Preview

if TYPE_CHECKING:
    from analytics.core.settings import Settings
    from analytics.store.reader import Store

RECORDED = "committed"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FormEntry:
    """What a form holds: values by the kind's column names, and what it is about, in a few words."""

    kind: str
    fields: dict[str, object]  # schema column -> the value entered (text, a number or a date); None: left empty
    subject: str  # "G0001 on 2026-11-30"

    @property
    def file_name(self) -> str:
        """How the ledger names the form's batch."""
        return f"{upload_kind(self.kind).label} form: {self.subject}"


def checkin_entry(
    goal: str, reported_on: date, value: object, narrative: str | None, reported_by: str | None = None
) -> FormEntry:
    """ "Record a check-in": the goal (id or title), its date, the value in the goal's unit, the narrative."""
    fields = {"goal_id": goal, "reported_on": reported_on, "value": value, "narrative": narrative}
    return FormEntry("goal_checkins", {**fields, "reported_by": reported_by}, f"{goal} on {reported_on:%Y-%m-%d}")


def activity_entry(
    affiliate: str,
    activity_type: str,
    occurred_on: date,
    title: str,
    status: str | None = None,
    event: str | None = None,
    liaison: str | None = None,
) -> FormEntry:
    """ "Record an activity": the affiliate, its type, date and title, its status and the event it belongs to."""
    fields = {
        "affiliate_id": affiliate,
        "activity_type": activity_type,
        "occurred_on": occurred_on,
        "title": title,
        "status": status,
        "event_id": event,
        "liaison_id": liaison,
    }
    return FormEntry("activities", fields, f"{affiliate} on {occurred_on:%Y-%m-%d}")


def comment_entry(
    goal: str, commented_on: date, text: str, checkin_id: str | None = None, author: str | None = None
) -> FormEntry:
    """A comment on a goal, or on one of its check-ins."""
    fields = {"goal_id": goal, "checkin_id": checkin_id, "commented_on": commented_on, "author": author}
    about = f"{goal}, check-in {checkin_id}" if checkin_id else goal
    return FormEntry("goal_comments", {**fields, "comment": text}, f"{about} on {commented_on:%Y-%m-%d}")


def form_data(entry: FormEntry) -> bytes:
    """The form as the bytes of a one-row CSV file under the kind's column labels (dates written ISO)."""
    columns = [column for column in upload_kind(entry.kind).columns if column.name in entry.fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.label for column in columns])
    writer.writerow([_cell(entry.fields[column.name]) for column in columns])
    return buffer.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class FormCheck:
    """A form after the checks of its kind: its problems in the form's words, what it would change."""

    entry: FormEntry
    data: bytes
    checked: Checked
    preview: Preview
    problems: pd.DataFrame  # field, value, problem: one row per problem
    stored: pd.Series | None  # the stored record with the same key, if there is one
    is_unchanged: bool  # the store already holds this very record: committing changes nothing

    @property
    def replaces(self) -> bool:
        """Whether committing would replace a stored record holding other values (a question to ask first)."""
        return self.stored is not None and not self.is_unchanged

    @property
    def may_commit(self) -> bool:
        return self.problems.empty and not self.is_unchanged

    @property
    def row(self) -> pd.Series:
        """The record as it would be stored (when the form has no problem)."""
        return self.checked.rows.iloc[0]


def check_form(
    entry: FormEntry,
    store: Store,
    settings: Settings,
    committed_by: Identity | str | None = None,
    today: date | None = None,
) -> FormCheck:
    """The form checked by its kind's checks against what the store holds now, as `committed_by` would store it."""
    data = form_data(entry)
    checked = pipeline.check_file(data, entry.file_name, entry.kind, store, settings, today=today)
    checked = replace(checked, source=replace(checked.source, file_type=FORM))
    kind = upload_kind(entry.kind)
    if not checked.rows.empty and kind.filled_by_committer:
        who = acting_identity(committed_by).label
        rows = checked.rows.assign(**{name: checked.rows[name].fillna(who) for name in kind.filled_by_committer})
        checked = replace(checked, rows=rows)
    stored = _stored_record(checked, store)
    unchanged = stored is not None and _same_values(checked.rows.iloc[0], stored, checked.kind)
    return FormCheck(
        entry=entry,
        data=data,
        checked=checked,
        preview=pipeline.preview(checked, store, settings),
        problems=form_problems(checked),
        stored=stored,
        is_unchanged=unchanged,
    )


def form_problems(checked: Checked) -> pd.DataFrame:
    """The report in a form's words: the field (its label), the value entered and the problem; no row numbers."""
    report = checked.report
    fields = report["column"].fillna("the form").astype(str).str.capitalize()
    problems = pd.DataFrame({"field": fields, "value": report["value"], "problem": report["problem"]})
    if checked.question is not None:
        question = pd.DataFrame({"field": ["Date"], "value": [pd.NA], "problem": [str(checked.question)]})
        problems = pd.concat([problems, question], ignore_index=True)
    return problems.reset_index(drop=True)


def _stored_record(checked: Checked, store: Store) -> pd.Series | None:
    """The stored record with the form's key, if there is one."""
    if checked.rows.empty:
        return None
    kind = upload_kind(checked.kind)
    row = checked.rows.iloc[0]
    stored = kind.records.stored(kind, checked.rows, store)
    same = pd.Series(True, index=stored.index)
    for name in kind.key:
        same &= stored[name].map(_text_of) == _text_of(row[name])
    found = stored[same]
    return None if found.empty else found.iloc[0]


def _text_of(value: object) -> str | None:
    """A value as text for comparing a form's record with a stored one: dates as ISO dates, numbers by value.

    >>> _text_of(pd.Timestamp("2026-11-30")), _text_of(150), _text_of(150.0), _text_of(float("nan"))
    ('2026-11-30', '150', '150', None)
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_):
        return f"{float(value):.10g}"
    return str(value)


def _same_values(row: pd.Series, stored: pd.Series, kind_name: str) -> bool:
    columns = [name for name in upload_kind(kind_name).table.column_names if name != "is_sample"]
    return all(_text_of(row[name]) == _text_of(stored[name]) for name in columns)


@dataclass(frozen=True)
class FormResult:
    status: str  # RECORDED or UNCHANGED
    batch_id: str | None
    message: str


def commit_form(
    form: FormCheck,
    store: Store,
    committed_by: Identity | str | None = None,
    replace_stored: bool = False,
    accept_warnings: bool = False,
) -> FormResult:
    """Commit a checked form through the pipeline; UploadRejected (nothing written) when it has problems,
    replaces a stored record with other values without `replace_stored`, or has plausibility warnings
    (`form.preview.warnings`) without `accept_warnings`; PermissionDenied when the person may not record it
    (pipeline.commit checks the role and the ownership now)."""
    kind = upload_kind(form.entry.kind)
    one = kind.one
    if not form.problems.empty:
        problems = form.problems
        reasons = "; ".join(
            f"{field}: {why}" for field, why in zip(problems["field"], problems["problem"], strict=True)
        )
        raise UploadRejected(form.checked, f"nothing recorded: {reasons}")
    if form.is_unchanged:
        return FormResult(UNCHANGED, None, f"this {one} is already recorded with these values; nothing changed")
    if form.replaces and not replace_stored:
        raise UploadRejected(
            form.checked,
            f"nothing recorded: a {one} with the same {kind.same_key} is already recorded "
            f"({replaced_in_words(form)}); replace it, or change the form",
        )
    result = pipeline.commit(form.checked, form.data, store, committed_by=committed_by, accept_warnings=accept_warnings)
    if result.status != RECORDED:
        return FormResult(UNCHANGED, result.batch_id, f"this {one} was already recorded as batch {result.batch_id}")
    verb = "replaced the one recorded before" if form.replaces else "recorded"
    message = f"{one.capitalize()} {verb} (batch {result.batch_id}; it can be undone from the ledger)"
    return FormResult(RECORDED, result.batch_id, message)


def replaced_in_words(form: FormCheck) -> str:
    """The stored record a form would replace, in its preview columns: "value 150, reported by Avery Stone"."""
    if form.stored is None:
        return ""
    kind = upload_kind(form.entry.kind)
    labels = kind.column_labels
    shown = [name for name in (*kind.preview_columns, *kind.filled_by_committer) if name not in kind.key]
    parts = []
    for name in dict.fromkeys(shown):
        value = form.stored.get(name)
        if _text_of(value) is None:
            continue
        parts.append(f"{labels.get(name, name)} {_text_of(value)}")
    return ", ".join(parts)
