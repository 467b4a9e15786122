"""The forms of the app: "Record a check-in", "Record an activity", a goal's comments, its history, and undo.

Each form gathers its fields in an `st.form`; its "Check" button keeps the entry, and the next run checks it with
analytics/uploads/forms.py (the kind's own checks, against what the store holds now), shows the problems in the
form's words or what recording it will change, asks before replacing a record of the same key, and records it
with a button whose callback commits through the pipeline, which checks the person's role and, for a liaison,
that the goal or affiliate is theirs, at that moment. Hiding a form would be a courtesy only: it is shown to
whoever may record, and the commit decides.

Text a person typed is shown as text (`st.text`, tables), never as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from analytics.auth.roles import Identity, local_identity
from analytics.core.errors import AnalyticsError
from analytics.core.frames import is_among
from analytics.core.schema import ACTIVITY_STATUSES, ACTIVITY_TYPES
from analytics.domain import history, work
from analytics.store.recorded import recorded_rows, recorded_rows_of
from analytics.uploads import pipeline
from analytics.uploads.forms import (
    FormCheck,
    FormEntry,
    activity_entry,
    check_form,
    checkin_entry,
    comment_entry,
    commit_form,
    replaced_in_words,
)
from analytics.uploads.kinds import upload_kind
from analytics.uploads.ownership import liaison_of
from ui.auth import current_identity, identity_now
from ui.data import counting_batches, kept_per_data, load_table, run_query, settings, store
from ui.labels import show_table
from ui.text import literal, undo_effect, warnings_list

REPLACE, KEEP = "Replace the recorded one", "Record nothing"
BY_THE_DATE = ""  # an activity's status left to its date: done if passed, planned if ahead


def in_words(name: str) -> str:
    """A schema value in words, as the activity checks read it back: `in_progress` -> "In progress"."""
    return name.replace("_", " ").capitalize() if name else "By the date (done if passed, planned if ahead)"


def session_identity() -> Identity:
    """Who is using this session (the local user without sign-in)."""
    return current_identity() or local_identity()


def session_liaison(identity: Identity) -> pd.Series | None:
    """The liaisons row of the signed-in person, by their e-mail address; None for anyone else."""
    return liaison_of(identity, load_table("liaisons"))


def _reporter(identity: Identity) -> str | None:
    liaison = session_liaison(identity)
    return None if liaison is None else str(liaison["name"])


# -- the outcome of a form: problems, what it changes, the question, the button ---------------------------------


def _outcome(key: str, identity: Identity) -> None:
    """Below a form: the last commit's message, or the kept entry checked, previewed and offered for recording."""
    if message := st.session_state.pop(f"{key}_message", None):
        st.success(message, icon="✅")
    if error := st.session_state.pop(f"{key}_error", None):
        st.error("Nothing was recorded:", icon="🚫")
        st.text(str(error))
    entry: FormEntry | None = st.session_state.get(f"{key}_entry")
    if entry is None:
        return
    form = check_form(entry, store(), settings(), committed_by=identity)
    kind = upload_kind(entry.kind)
    if not form.problems.empty:
        st.error(f"Nothing recorded yet: fix {len(form.problems)} problem(s) in the form and check again.", icon="🚫")
        problems = form.problems.rename(columns={"value": "entered"})
        show_table(problems, key=f"{key}_problems")
        return
    if form.is_unchanged:
        st.info(f"This {kind.one} is already recorded with these values: recording it again changes nothing.")
        return
    replace_stored = False
    if form.replaces:
        st.warning(f"A {kind.one} with the same {kind.same_key} is already recorded. Replace it, or record nothing?")
        st.text(replaced_in_words(form))
        choice = st.radio("What to do", [REPLACE, KEEP], index=None, key=f"{key}_replace", horizontal=True)
        replace_stored = choice == REPLACE
        ready = replace_stored
    else:
        st.caption(f"Recording adds this {kind.one}; it shows on every page at once and can be undone.")
        ready = True
    st.text(_summary(form))
    accept_warnings = False
    if form.preview.warnings:
        st.warning(f"This {kind.one} passes every check but is far from what is recorded:", icon="⚠️")
        st.markdown(warnings_list(form.preview.warnings))
        accept_warnings = st.checkbox(
            "I have checked it: the value is right (the ledger records that you acknowledged the warning)",
            key=f"{key}_accept_warnings",
        )
        ready = ready and accept_warnings
    st.button(
        f"Record the {kind.one}",
        type="primary",
        key=f"{key}_commit",
        disabled=not ready,
        on_click=_commit,
        args=(key, form, identity, replace_stored, accept_warnings),
    )


def _summary(form: FormCheck) -> str:
    """The record as it will be stored, in a line of plain text."""
    kind = upload_kind(form.entry.kind)
    labels = kind.column_labels
    parts = []
    for column in kind.columns:
        value = form.row.get(column.name)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        text = f"{value:%Y-%m-%d}" if isinstance(value, pd.Timestamp) else str(value)
        parts.append(f"{labels[column.name].capitalize()}: {text}")
    return " · ".join(parts)


def _commit(key: str, form: FormCheck, identity: Identity, replace_stored: bool, accept_warnings: bool) -> None:
    """Button callback: commit through the pipeline as who clicks with their roles now (the role and ownership
    are checked there)."""
    try:
        identity = identity_now(identity)
        result = commit_form(
            form, store(), committed_by=identity, replace_stored=replace_stored, accept_warnings=accept_warnings
        )
    except AnalyticsError as error:
        st.session_state[f"{key}_error"] = error
    else:
        st.session_state[f"{key}_message"] = result.message
        st.session_state.pop(f"{key}_entry", None)
        if form.entry.kind == "goal_checkins" and (comment := st.session_state.get(f"{key}_comment_text")):
            _comment_on_checkin(key, form, comment, identity)


def _comment_on_checkin(key: str, form: FormCheck, text: str, identity: Identity) -> None:
    """The check-in form's optional comment, recorded on the check-in just recorded (a batch of its own)."""
    row = form.row
    entry = comment_entry(row["goal_id"], row["reported_on"].date(), text, checkin_id=row["checkin_id"])
    try:
        comment = commit_form(check_form(entry, store(), settings(), committed_by=identity), store(), identity)
    except AnalyticsError as error:
        st.session_state[f"{key}_error"] = error
    else:
        st.session_state[f"{key}_message"] += f"; comment: {comment.message}"


def _keep(key: str, entry: FormEntry, extra: dict[str, Any] | None = None) -> None:
    st.session_state[f"{key}_entry"] = entry
    for name, value in (extra or {}).items():
        st.session_state[f"{key}_{name}"] = value


# -- the forms ----------------------------------------------------------------------------------------------------


def _field(key: str, name: str) -> Any:
    value = st.session_state.get(f"{key}_{name}")
    return value.strip() if isinstance(value, str) else value


def record_checkin_form(goal: pd.Series, identity: Identity, key: str) -> None:
    """ "Record a check-in" on one goal: date, value in the goal's unit, narrative, optional comment."""
    unit = str(goal["unit"])

    def keep() -> None:
        on, value, narrative = (_field(key, name) for name in ("on", "value", "narrative"))
        entry = checkin_entry(str(goal["goal_id"]), on, value, narrative, _reporter(identity))
        _keep(key, entry, {"comment_text": _field(key, "comment")})

    with st.form(f"{key}_form", border=True):
        st.markdown("**Record a check-in**")
        left, right = st.columns(2)
        left.date_input("Date", value=dt.date.today(), format="YYYY-MM-DD", key=f"{key}_on")
        right.text_input(f"Value ({unit})", key=f"{key}_value", help=f"In the goal's unit: {unit}.")
        st.text_area("Narrative: what happened", key=f"{key}_narrative", height=80)
        st.text_area("Comment (optional)", key=f"{key}_comment", height=68)
        # A callback, not the button's value: it runs before the page does, whatever reruns the page makes.
        st.form_submit_button("Check the check-in", on_click=keep)
    _outcome(key, identity)


def record_activity_form(affiliate_id: str, identity: Identity, key: str, events: pd.DataFrame) -> None:
    """ "Record an activity" with an affiliate: type, date, title, status, the event it belongs to."""
    event_names = {"": "None", **dict(zip(events["event_id"], events["name"], strict=True))}

    def keep() -> None:
        liaison = session_liaison(identity)
        status, event = _field(key, "status"), _field(key, "event")
        entry = activity_entry(
            affiliate_id,
            in_words(_field(key, "type")),
            _field(key, "on"),
            _field(key, "title"),
            in_words(status) if status else None,
            event or None,
            None if liaison is None else str(liaison["liaison_id"]),
        )
        _keep(key, entry)

    with st.form(f"{key}_form", border=True):
        st.markdown("**Record an activity**")
        left, right = st.columns(2)
        left.selectbox("Type", ACTIVITY_TYPES, format_func=in_words, key=f"{key}_type")
        right.date_input("Date", value=dt.date.today(), format="YYYY-MM-DD", key=f"{key}_on")
        st.text_input("Title: what it is, in a line", key=f"{key}_title")
        left, right = st.columns(2)
        left.selectbox("Status", [BY_THE_DATE, *ACTIVITY_STATUSES], format_func=in_words, key=f"{key}_status")
        right.selectbox("Event", list(event_names), format_func=event_names.get, key=f"{key}_event")
        st.form_submit_button("Check the activity", on_click=keep)
    _outcome(key, identity)


def comment_form(goal_id: str, checkins: pd.DataFrame, identity: Identity, key: str) -> None:
    """A comment on the goal, or on one of its check-ins."""
    about = {"": "The goal as a whole"} | {
        row.checkin_id: f"The check-in of {pd.Timestamp(row.reported_on):%Y-%m-%d} ({row.value:g})"
        for row in checkins.sort_values("reported_on", ascending=False).itertuples(index=False)
    }

    def keep() -> None:
        checkin_id = _field(key, "about") or None
        _keep(key, comment_entry(goal_id, dt.date.today(), _field(key, "text"), checkin_id=checkin_id))

    with st.form(f"{key}_form", border=True):
        st.markdown("**Add a comment**")
        st.selectbox("About", list(about), format_func=about.get, key=f"{key}_about")
        st.text_area("Comment", key=f"{key}_text", height=68)
        st.form_submit_button("Check the comment", on_click=keep)
    _outcome(key, identity)


# -- a goal's history, its thread, and undo -----------------------------------------------------------------------


@kept_per_data(max_entries=32)
def goal_history(goal_id: str) -> pd.DataFrame:
    """The goal's whole history (analytics.domain.history), with the recorded time also in words."""
    goal = run_query("goal_record", goal_id=goal_id).iloc[0]
    data_dir = settings().data_dir
    entries = history.goal_history(
        goal,
        run_query("goal_checkins_of_goal", goal_id=goal_id),
        run_query("goal_checkins_in_folder", goal_id=goal_id),
        recorded_rows(data_dir, "goal_checkins", "goal_id", goal_id),
        run_query("goal_comments_in_folder", goal_id=goal_id),
        recorded_rows(data_dir, "goal_comments", "goal_id", goal_id),
        recorded_rows(data_dir, "goals", "goal_id", goal_id),
    )
    return entries.assign(recorded_at_utc=entries["recorded_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""))


def recent_goal_entries(goal_rows: pd.DataFrame, params: dict[str, Any], owner_id: str, since: dt.date) -> pd.DataFrame:
    """What happened on the goals `goal_rows` (those `owner_id` owns in scope) after `since`, newest first: the
    entries `goal_history` shows for each, with its title, from one query and one read of each recorded kind."""
    rows = run_query("goal_history_rows_of_owner", **params, owner_id=owner_id)
    data_dir, goal_ids = settings().data_dir, goal_rows["goal_id"].tolist()
    recorded = [recorded_rows_of(data_dir, kind, "goal_id", goal_ids) for kind in ("goal_checkins", "goal_comments")]
    recorded_goals = recorded_rows_of(data_dir, "goals", "goal_id", goal_ids)
    counted, folder_checkins, folder_comments = (
        rows[rows["source"] == source] for source in ("counted", "folder_checkin", "folder_comment")
    )
    touched = history.goal_ids_touched_after(since, rows, *recorded, recorded_goals)
    goals = goal_rows[is_among(goal_rows["goal_id"], touched)]
    frames = [counted, folder_checkins, recorded[0], folder_comments, recorded[1], recorded_goals]
    entries = history.goal_histories(goals, *(frame[is_among(frame["goal_id"], touched)] for frame in frames))
    # Goal by goal in the order of goal_rows, as the page lists them.
    position = pd.Series(range(len(goal_rows)), index=goal_rows["goal_id"])
    entries = entries.iloc[entries["goal_id"].map(position).argsort(kind="stable")]
    titles = goal_rows.set_index("goal_id")["title"]
    entries = entries.assign(
        recorded_at_utc=entries["recorded_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        title=entries["goal_id"].map(titles),
    )
    return work.recent_entries(entries.drop(columns="goal_id").reset_index(drop=True), since)


def history_table(goal_id: str, key: str) -> None:
    entries = goal_history(goal_id)
    st.caption(
        f"{len(entries)} entries, oldest first: check-ins, statuses as of each check-in, comments, edits and undos. "
        "Nothing is overwritten: a correction or an undo is an entry of its own."
    )
    show_table(entries.drop(columns="recorded_at"), key=key, options={"detail": {"width": "large"}})


def comment_thread(goal_id: str, key: str) -> None:
    """The goal's comments that count now, oldest first, each as plain text with who and when."""
    comments = run_query("goal_comments_of_goal", goal_id=goal_id)
    if comments.empty:
        st.caption("No comment on this goal yet.")
        return
    for row in comments.itertuples(index=False):
        with st.container(border=True, key=f"{key}_{row.comment_id}"):
            about = f" · on the check-in {row.checkin_id}" if isinstance(row.checkin_id, str) else ""
            st.text(f"{pd.Timestamp(row.commented_on):%Y-%m-%d} · {row.author}{about}\n{row.comment}")


def my_batches(identity: Identity, about: str | None = None) -> pd.DataFrame:
    """The batches this person committed that count now (those about `about`, a goal or affiliate id, if given)."""
    counting = counting_batches()
    mine = counting[counting["committed_by"] == identity.label]
    if about:
        mine = mine[mine["file_name"].str.contains(f": {about}", regex=False, na=False)]
    return mine


def undo_panel(identity: Identity, key: str, about: str | None = None) -> None:
    """Undo one of this person's records (pipeline.undo checks that it is theirs, or that they may undo any)."""
    if message := st.session_state.pop(f"{key}_message", None):
        st.success(message, icon="✅")
    if error := st.session_state.pop(f"{key}_error", None):
        st.error("Nothing was undone:", icon="🚫")
        st.text(str(error))
    mine = my_batches(identity, about)
    if mine.empty:
        st.caption("Nothing you recorded here counts now, so there is nothing to undo.")
        return
    labels = {
        row.batch_id: f"{row.file_name} · {pd.Timestamp(row.committed_at):%Y-%m-%d %H:%M} UTC"
        for row in mine.itertuples(index=False)
    }
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox("One of your records", list(labels), format_func=labels.get, key=f"{key}_batch")
    st.caption(literal(undo_effect(mine.set_index("batch_id").loc[chosen])))
    is_confirmed = st.checkbox("Yes, undo this record", key=f"{key}_confirm")
    right.button("Undo it", key=f"{key}_undo", on_click=_undo, args=(key, chosen, identity), disabled=not is_confirmed)


def _undo(key: str, batch_id: str, identity: Identity) -> None:
    try:
        pipeline.undo(settings().data_dir, batch_id, identity_now(identity))
    except AnalyticsError as error:
        st.session_state[f"{key}_error"] = error
    else:
        st.session_state[f"{key}_message"] = f"Batch {batch_id} undone: it no longer counts (the ledger keeps it)."
        st.session_state[f"{key}_confirm"] = False  # the next undo is confirmed afresh


def goal_work_panel(goal: pd.Series, checkins: pd.DataFrame, key: str) -> None:
    """A goal's history, its comments and, for those who may record, the check-in and comment forms and undo."""
    identity = session_identity()
    goal_id = str(goal["goal_id"])
    st.markdown(f"**History of the goal** (owner: {literal(goal.get('owner_name')) or 'none recorded'})")
    history_table(goal_id, key=f"{key}_history")
    st.markdown("**Comments**")
    comment_thread(goal_id, key=f"{key}_thread")
    if not identity.may("record"):
        return
    left, right = st.columns(2, gap="large")
    with left:
        record_checkin_form(goal, identity, key=f"{key}_checkin")
    with right:
        comment_form(goal_id, checkins, identity, key=f"{key}_comment")
    with st.expander("Undo one of your records on this goal"):
        undo_panel(identity, key=f"{key}_undo", about=goal_id)


def affiliate_work_panel(affiliate_id: str, key: str) -> None:
    """An affiliate's liaisons, and for those who may record, the activity form and undo."""
    liaisons = run_query("liaisons_of_affiliate", affiliate_id=affiliate_id)
    if not liaisons.empty:
        names = (liaisons["liaison_name"] + " (" + liaisons["liaison_role"] + ")").tolist()
        st.caption("Liaisons who work with this affiliate:")
        st.text(", ".join(names))
    identity = session_identity()
    if not identity.may("record"):
        return
    events = load_table("events")
    events = events[events["affiliate_id"].eq(affiliate_id).fillna(False) | events["event_type"].str.startswith("icma")]
    with st.expander("Record an activity with this affiliate", icon="📝"):
        record_activity_form(affiliate_id, identity, key=f"{key}_activity", events=events.sort_values("start_on"))
        undo_panel(identity, key=f"{key}_undo", about=affiliate_id)
