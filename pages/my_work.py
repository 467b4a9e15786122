"""My work: a liaison's goals (due for a check-in, overdue, what changed in the last 30 days) and affiliates,
with the forms to record a check-in, a comment or an activity, and undo for what they recorded.

A signed-in liaison sees their own work (by their e-mail address in the liaisons table); anyone else who may
record (analysts, admins, the local user) chooses whose work to see. The page opens first for a liaison.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.domain import goals, work
from analytics.figures import briefing
from ui.components import card_row
from ui.data import kept_per_data, load_table, run_query
from ui.forms import (
    goal_work_panel,
    recent_goal_entries,
    record_activity_form,
    session_identity,
    session_liaison,
    undo_panel,
)
from ui.labels import show_table
from ui.page import page_frame
from ui.text import literal

frame = page_frame("My work", ", for the goals and affiliates of one liaison.")
identity = session_identity()
liaisons = load_table("liaisons").sort_values("name")
mine = session_liaison(identity)
if mine is not None:
    liaison_id = str(mine["liaison_id"])
    st.caption(f"Your goals and affiliates as {literal(mine['role'])} ({literal(mine['icma_region'])}).")
else:
    names = {row.liaison_id: f"{row.name} · {row.role}, {row.icma_region}" for row in liaisons.itertuples(index=False)}
    liaison_id = st.selectbox(
        "Whose work",
        list(names),
        format_func=names.get,
        key="my_work_liaison",
        help="You are not a liaison yourself (or not signed in): choose one to see their goals and affiliates.",
    )
liaison = liaisons.set_index("liaison_id").loc[liaison_id]
as_of: dt.date = frame.as_of
params = frame.params
SINCE = as_of - dt.timedelta(days=work.SOON_DAYS)


@kept_per_data(max_entries=16)
def my_goals(params: dict, liaison_id: str) -> pd.DataFrame:
    """The liaison's goals in scope with their status, next check-in and check-in state on the as-of date."""
    goal_rows = run_query("goals_of_owner_in_scope", **params, owner_id=liaison_id)
    checkins = run_query("goal_checkins_of_owner_in_scope", **params, owner_id=liaison_id)
    statuses = briefing.goals_view(goal_rows, checkins, params["as_of"]).statuses
    next_on = work.next_checkin_on(statuses, statuses["latest_reported_on"])
    return statuses.assign(
        next_checkin_on=next_on,
        checkin_state=work.checkin_states(next_on, statuses["due_on"], params["as_of"]),
    ).sort_values(["checkin_state", "status", "next_checkin_on"])


@kept_per_data(max_entries=16)
def recent_on_my_goals(params: dict, liaison_id: str, since: dt.date) -> pd.DataFrame:
    """What happened on the liaison's goals in scope after `since`, newest first (each goal's history entries)."""
    return recent_goal_entries(my_goals(params, liaison_id), params, liaison_id, since)


owned = my_goals(params, liaison_id)
affiliates = run_query("affiliates_of_liaison", liaison_id=liaison_id)
states = owned["checkin_state"].astype(str).value_counts()
cards = card_row(5)
cards[0].metric("My goals", len(owned), border=True)
cards[1].metric("Check-in overdue", int(states.get("overdue", 0)), border=True)
cards[2].metric(f"Due in {work.SOON_DAYS} days", int(states.get("due soon", 0)), border=True)
at_risk = owned["status"].astype(str).isin(["at_risk", "off_track", "overdue"]).sum()
cards[3].metric("At risk or worse", int(at_risk), border=True)
cards[4].metric("My affiliates", len(affiliates), border=True)

# -- my goals ----------------------------------------------------------------------------------------------------
st.header("My goals")
if owned.empty:
    st.info(f"{literal(liaison['name'])} owns no goal of the affiliates in scope. Widen the filters in the sidebar.")
else:
    table = owned.assign(checkin_state=owned["checkin_state"].astype(str))[
        [
            "title",
            "affiliate_name",
            "checkin_state",
            "next_checkin_on",
            "status_label",
            "latest_reported_on",
            "reason",
        ]
    ]
    st.caption("Overdue check-ins first. Choose a goal below to see its history and record a check-in.")
    widths = {"title": {"width": "large"}, "affiliate_name": {"width": "medium"}, "reason": {"width": "large"}}
    show_table(table, key="my_work_goals", options=widths)

    recent = recent_on_my_goals(params, liaison_id, SINCE)
    st.header("What changed in the last 30 days")
    if recent.empty:
        st.caption(f"Nothing happened on your goals after {SINCE:%Y-%m-%d}.")
    else:
        show_table(recent[["happened_on", "title", "entry", "who", "detail"]], key="my_work_recent")

    st.header("Record a check-in")
    titles = dict(zip(owned["goal_id"], owned["affiliate_name"] + " — " + owned["title"], strict=True))
    goal_id = st.selectbox("Goal", list(titles), format_func=titles.get, key="my_work_goal")
    goal = owned[owned["goal_id"] == goal_id].iloc[0]
    checkins = run_query("goal_checkins_of_goal", goal_id=goal_id)
    st.caption(f"{goals.STATUS_LABELS[str(goal['status'])].capitalize()}: {literal(goal['reason'])}")
    goal_work_panel(goal, checkins, key="my_work_panel")

# -- my affiliates -----------------------------------------------------------------------------------------------
st.header("My affiliates")
if affiliates.empty:
    st.info(f"{literal(liaison['name'])} works with no affiliate in the data.")
else:
    show_table(affiliates[["affiliate_name", "is_agreement_liaison"]], key="my_work_affiliates")
    names = dict(zip(affiliates["affiliate_id"], affiliates["affiliate_name"], strict=True))
    chosen = st.selectbox("Record an activity with", list(names), format_func=names.get, key="my_work_affiliate")
    events = load_table("events")
    events = events[events["affiliate_id"].eq(chosen).fillna(False) | events["event_type"].str.startswith("icma")]
    if identity.may("record"):
        record_activity_form(chosen, identity, key="my_work_activity", events=events.sort_values("start_on"))

# -- undo -------------------------------------------------------------------------------------------------------
if identity.may("record"):
    st.header("My records")
    st.caption("Check-ins, activities and comments you recorded that count now; undo one, and it no longer counts.")
    undo_panel(identity, key="my_work_undo")
