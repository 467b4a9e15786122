"""My work's "what changed in the last 30 days": the entries of all of a liaison's goals from one query and one read
of each recorded kind are the entries of each goal's own history (ui.forms.goal_history), in the same order."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.auth.roles import Identity, Role
from analytics.core.settings import Settings
from analytics.domain import work
from analytics.store.reader import Store
from analytics.uploads import pipeline
from analytics.uploads.forms import FormEntry, check_form, comment_entry, commit_form
from ui.data import run_query, scope_params
from ui.forms import goal_history, recent_goal_entries

AVERY = Identity(email="avery.stone@example.org", name="Avery Stone", roles=frozenset({Role.LIAISON}))
AS_OF = dt.date(2026, 11, 30)
SINCE = AS_OF - dt.timedelta(days=work.SOON_DAYS)


def record(data_dir, entry: FormEntry, replace_stored: bool = False) -> str:
    form = check_form(entry, Store(data_dir), Settings(data_dir=data_dir), committed_by=AVERY, today=AS_OF)
    # accept_warnings: the drop to 120 below is far from the goal's way up, on purpose (an entry to undo).
    return commit_form(
        form, Store(data_dir), committed_by=AVERY, replace_stored=replace_stored, accept_warnings=True
    ).batch_id


def checkin(on: dt.date, value: float) -> FormEntry:
    fields = {"goal_id": "G0001", "reported_on": on, "value": value, "narrative": "Drive", "reported_by": None}
    return FormEntry("goal_checkins", fields, f"G0001 on {on}")


def per_goal(goal_rows: pd.DataFrame) -> pd.DataFrame:
    """As My work built it before: every goal's whole history, one goal at a time, then the recent entries."""
    histories = [goal_history(row.goal_id).assign(title=row.title) for row in goal_rows.itertuples(index=False)]
    return work.recent_entries(pd.concat(histories, ignore_index=True), SINCE)


def test_the_recent_entries_of_all_goals_at_once_are_those_of_each_goals_history(monkeypatch, tiny_data_dir):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    record(tiny_data_dir, checkin(dt.date(2026, 11, 1), 170))
    record(tiny_data_dir, checkin(dt.date(2026, 11, 1), 175), replace_stored=True)  # a correction
    pipeline.undo(tiny_data_dir, record(tiny_data_dir, checkin(dt.date(2026, 11, 20), 120)), AVERY)
    record(tiny_data_dir, comment_entry("G0001", dt.date(2026, 11, 21), "Good drive"))
    st.cache_data.clear()
    st.cache_resource.clear()

    params = scope_params({"regions": [], "types": [], "as_of": AS_OF})
    for owner_id in ("L001", "L003", "L002"):
        goal_rows = run_query("goals_in_scope", **params).query("owner_id == @owner_id")
        batched = recent_goal_entries(goal_rows, params, owner_id, SINCE)
        expected = per_goal(goal_rows)[batched.columns]
        # An empty result's text columns may be object or str (pd.DataFrame of no rows): nothing shows either way.
        pd.testing.assert_frame_equal(batched, expected, check_dtype=not expected.empty, check_index_type=False)
    entries = recent_goal_entries(
        run_query("goals_in_scope", **params).query("owner_id == 'L001'"), params, "L001", SINCE
    )
    assert {"Check-in", "Check-in corrected", "Undone", "Comment", "Status"} <= set(entries["entry"])
