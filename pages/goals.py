"""Goals: progress against pro-rated targets, as of the sidebar's date, with the story behind it.

Status thresholds are the sidebar's (ui.filters: shared by every page that counts statuses, bound to the
URL as `?goals_at_risk_below=85`), defaulting to `GoalStatusRules()`, and are printed on the page and in
the briefing pack: the thresholds in force are always visible and part of the shared link.

Statuses are judged in the store (ui.goal_status): the page receives counts per area, type, region and status,
the portfolio's counts per month end, and the few goals each table shows, never every goal and check-in. The
downloads and the briefing pack read the rest only when clicked. What is built from the counts is kept per
state of the data, filters and thresholds (`ui.data.kept_per_data`): a rerun reads it.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.core.links import Link, goal_link
from analytics.domain import goals
from analytics.figures import briefing
from analytics.figures.goal_charts import (
    NARRATIVES_PER_POINT,
    goal_progress_chart,
    group_progress_chart,
    portfolio_chart,
)
from ui import goal_status
from ui.changes import alert_rules_panel
from ui.components import SAMPLE_NOTICE, card_row, chart
from ui.data import kept_per_data, run_query, store
from ui.filters import describe_scope
from ui.forms import goal_work_panel
from ui.labels import download_table, label, show_table
from ui.navigation import GOAL_LIST_HEADER
from ui.page import page_frame
from ui.text import format_percent, literal, shown_note


@dataclass(frozen=True)
class Derived:
    counts: pd.DataFrame  # goal_status.status_counts: per area, type, region and status
    by_status: dict[str, int]  # every status, and the stale goals under "stale"
    count_goals: int
    share_on_track: float | None  # goals.share_on_track_of_counts
    count_at_risk: int  # goals needing attention (goals.ATTENTION_STATUSES)
    at_risk: pd.DataFrame  # briefing.goal_table of the first ROWS_SHOWN of them, worst first
    at_risk_links: list[Link]
    trends: pd.DataFrame
    portfolio_figure: go.Figure
    affiliates: dict[str, str]  # affiliate_id by the label the pickers list, by name
    default_goal_id: str | None  # the default subject: the worst goal with a check-in to show, else the worst
    default_affiliate_id: str | None  # the affiliate of default_goal_id


@kept_per_data(max_entries=16)
def derived(params: dict[str, Any], at_risk_below: float, off_track_below: float) -> Derived:
    rules = goals.GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    counts = goal_status.status_counts(params, rules)
    by_status = goal_status.count_by_status(counts)
    attention = goal_status.needing_attention(params, rules, ROWS_SHOWN)
    first = attention if len(attention) else goal_status.chosen(params, rules, {}, limit=1)
    reported = first[first["latest_reported_on"].notna()]
    default = (reported if len(reported) else first).head(1)
    portfolio = goal_status.portfolio(params, rules, briefing.month_ends_until(params["as_of"]))
    affiliates = run_query("goal_affiliates_in_scope", **params)
    at_risk = briefing.goal_table(attention)
    return Derived(
        counts=counts,
        by_status={**by_status, "stale": int(counts["count_stale"].sum())},
        count_goals=int(counts["count_goals"].sum()),
        share_on_track=goals.share_on_track_of_counts(by_status),
        count_at_risk=sum(by_status[status] for status in goals.ATTENTION_STATUSES),
        at_risk=at_risk,
        at_risk_links=goal_links(at_risk),
        trends=briefing.trends_table(portfolio),
        portfolio_figure=portfolio_chart(portfolio),
        # tolist() first: iterating a pandas 3 string column is 5x slower.
        affiliates=dict(zip(affiliates["label"].tolist(), affiliates["affiliate_id"].tolist(), strict=True)),
        default_goal_id=None if default.empty else default["goal_id"].iloc[0],
        default_affiliate_id=None if default.empty else default["affiliate_id"].iloc[0],
    )


def goal_links(table: pd.DataFrame) -> list[Link]:
    """Each row's goal, its progress over time on this page (a labelled goal table: briefing.goal_table)."""
    columns = [label("goal_id"), label("affiliate_name"), label("title")]
    return [goal_link(*row) for row in table[columns].itertuples(index=False)]


@kept_per_data(max_entries=32)
def matrices(
    params: dict[str, Any], at_risk_below: float, off_track_below: float, matrix_by: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The status matrix as shown (wide) and as downloaded (long)."""
    counts = derived(params, at_risk_below, off_track_below).counts
    long = goals.status_matrix_of_counts(counts, rows="area_of_emphasis", columns=matrix_by)
    return briefing.matrix_table_of_counts(long, matrix_by), long


def list_choices(matrix_by: str, area: str, group: str, status: str, only_stale: bool) -> dict[str, Any]:
    """The goal list's choices as goal_status.chosen takes them ("All" is no choice)."""
    choices = {"area": area, matrix_by: group, "status": status}
    return {name: value for name, value in choices.items() if value != ALL} | {"only_stale": only_stale}


@kept_per_data(max_entries=32)
def chosen_goals(
    params: dict[str, Any], at_risk_below: float, off_track_below: float, choices: dict[str, Any]
) -> tuple[pd.DataFrame, list[Link], int]:
    """The first ROWS_SHOWN goals of the goal list for `choices` (worst first) with their links, and how many the
    list holds: kept, so that a rerun with the same choices builds neither the table nor the links again."""
    rules = goals.GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    table = briefing.goal_table(goal_status.chosen(params, rules, choices, limit=ROWS_SHOWN))
    count = goal_status.count_chosen(derived(params, at_risk_below, off_track_below).counts, choices)
    return table, goal_links(table), count


@kept_per_data(max_entries=32)
def area_progress(
    params: dict[str, Any], at_risk_below: float, off_track_below: float, area: str
) -> tuple[int, go.Figure, pd.DataFrame]:
    """How many goals an area has, its progress chart (every month since its first goal started, at least six)
    and its latest ROWS_SHOWN check-ins."""
    rules = goals.GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    as_of = params["as_of"]
    span = run_query("goal_area_span", **params, area=area).iloc[0]
    first_start = pd.Timestamp(span["first_start_on"]) if pd.notna(span["first_start_on"]) else pd.Timestamp(as_of)
    month_count = max((as_of.year - first_start.year) * 12 + as_of.month - first_start.month + 1, 6)
    progress = goal_status.progress_of_area(params, rules, area, briefing.month_ends_until(as_of, month_count))
    narratives = run_query("goal_checkin_narratives_by_month", **params, area=area, per_month=NARRATIVES_PER_POINT)
    figure = group_progress_chart(progress, narratives, None, area)
    checkins = run_query("goal_checkins_of_area", **params, area=area, limit=ROWS_SHOWN)
    return int(span["count_goals"]), figure, checkins


def area_checkins_later(params: dict[str, Any], area: str):
    """Every check-in of the area by the as-of date, for a download built only when clicked."""
    opened = store()
    return lambda: checkin_table(opened.query("goal_checkins_of_area", **params, area=area, limit=None))


@dataclass(frozen=True)
class AffiliateGoals:
    goals: pd.DataFrame  # every goal of the affiliate, described as goal_status.chosen describes them
    checkins: pd.DataFrame  # their check-ins by the as-of date, with the goal's title
    events: pd.DataFrame  # its events started by the as-of date and not cancelled, for the charts' markers
    figure: go.Figure  # the affiliate's average progress, every month since its first goal started (at least six)


@kept_per_data(max_entries=32)
def affiliate_goals(
    params: dict[str, Any], at_risk_below: float, off_track_below: float, affiliate_id: str, name: str
) -> AffiliateGoals:
    """One affiliate's goals, check-ins, events and progress chart, read for that affiliate alone."""
    rules = goals.GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    as_of = params["as_of"]
    members = goal_status.chosen(params, rules, {"affiliate_id": affiliate_id}, limit=None)
    checkins = run_query("goal_checkins_of_affiliate", affiliate_id=affiliate_id, as_of=as_of)
    events = run_query("events_of_affiliate", affiliate_id=affiliate_id)
    started_by = pd.to_datetime(events["start_on"]) <= pd.Timestamp(as_of)
    events = events[started_by & ~events["is_cancelled"].fillna(False).astype(bool)]
    first_start = pd.Timestamp(members["start_on"].min())
    month_count = max((as_of.year - first_start.year) * 12 + as_of.month - first_start.month + 1, 6)
    progress = goals.progress_by_month(members, checkins, briefing.month_ends_until(as_of, month_count), rules)
    return AffiliateGoals(
        goals=members,
        checkins=checkins.merge(members[["goal_id", "title"]], on="goal_id", how="left"),
        events=events,
        figure=group_progress_chart(progress, checkins, events, name),
    )


def checkin_table(checkins: pd.DataFrame) -> pd.DataFrame:
    """Check-ins (with the goal's title) as the table beside the progress chart shows them, newest first."""
    newest = checkins.sort_values(["reported_on", "checkin_id"], ascending=False, kind="stable")
    return newest[["reported_on", "title", "value", "narrative", "reported_by"]]


frame = page_frame("Goals", ", using only check-ins reported by then.")

MATRIX_COLUMNS = {name: label(name) for name in ("affiliate_type", "icma_region")}
SUBJECTS = {"goal": "One goal", "affiliate": "An affiliate", "area": "An area of emphasis"}
ALL = "All"
# A table shows its first rows (worst first); its download holds every row. At scale a list of every goal would
# cost seconds to send on each rerun and nobody reads past the first screens.
ROWS_SHOWN = 200
# The goal tables' long text gets room and wraps (show_table's wrap), so the why and the narrative are in view.
GOAL_COLUMNS = {
    "affiliate_name": {"width": 140},
    "status_label": {"width": 75},  # second, so that a phone shows it without scrolling sideways
    "is_stale": {"width": 50},
    "title": {"width": 170},
    "reason": {"width": 270},
    "latest_narrative": {"width": 250},
}
scope = frame.scope
as_of: dt.date = frame.as_of

rules = frame.rules
params = frame.params
thresholds = (rules.at_risk_below, rules.off_track_below)
page_data = derived(params, *thresholds)

st.caption(f"Status rules: {briefing.rules_text(rules)}.")
with st.expander("Alert rules", icon="🔔"):
    alert_rules_panel()
if page_data.count_goals == 0:
    st.info("No goal matches the filters. Widen the region or type filter in the sidebar.")
    st.stop()

# The briefing states its date itself; its scope line is the filters in words, without the date.
scope_text = describe_scope(scope).rsplit(", as of ", 1)[0]


opened = store()  # now: a download's function runs outside the page's run, where Streamlit is not to be used


def goals_view_later() -> briefing.GoalsView:
    """Every goal's status and the portfolio, read when a briefing pack is clicked."""
    return briefing.goals_view(
        opened.query("goals_in_scope", **params), opened.query("goal_checkins_in_scope", **params), as_of, rules
    )


# -- at a glance, and the briefing pack ------------------------------------------------------------
counts = page_data.by_status
started = page_data.count_goals - counts["not_started"]
cards = card_row(6)
cards[0].metric("Goals", page_data.count_goals, help=f"{started} started by {as_of:%Y-%m-%d}.", border=True)
cards[1].metric(
    "On track",
    format_percent(page_data.share_on_track),
    help="Share of the goals started by the as-of date that are on track or achieved.",
    border=True,
)
cards[2].metric("At risk", counts["at_risk"], border=True)
cards[3].metric("Off track", counts["off_track"], border=True)
cards[4].metric("Overdue", counts["overdue"], help="Past the due date without reaching the target.", border=True)
cards[5].metric(
    "Stale", counts["stale"], help="No check-in for longer than the goal's reporting interval.", border=True
)


def narrow_list(status: str = ALL, only_stale: bool = False) -> None:
    """A card's count opens the goals it counts: the goal list's choices, all of them set (the list is below)."""
    st.session_state.update(goals_area=ALL, goals_group=ALL, goals_status=status, goals_only_stale=only_stale)


# Each count leads to the goals it counts: the goal list below, narrowed to them.
# (The on-track share counts achieved goals too; its story over time is the portfolio chart at the foot.)
for card, (name, text, choice) in zip(
    [cards[0], *cards[2:]],
    (
        ("all", "List all", {}),
        ("at_risk", "List at risk", {"status": "at_risk"}),
        ("off_track", "List off track", {"status": "off_track"}),
        ("overdue", "List overdue", {"status": "overdue"}),
        ("stale", "List stale", {"only_stale": True}),
    ),
    strict=True,
):
    card.button(text, key=f"goals_card_{name}", on_click=narrow_list, kwargs=choice, type="tertiary", icon="↘️")
st.markdown(f"A card's link narrows the [{GOAL_LIST_HEADER.lower()}](#goal-list) below to the goals it counts.")

st.markdown(
    "**Briefing pack** for a leadership meeting, as of the chosen date: one HTML file that opens with no "
    "internet, or an Excel workbook."
)
left, right, _ = st.columns([2, 2, 3])
left.download_button(
    "Briefing as HTML",
    data=lambda: briefing.briefing_html(goals_view_later(), scope_text, SAMPLE_NOTICE.replace("**", "")),
    file_name=f"goals_briefing_{as_of:%Y-%m-%d}.html",
    mime="text/html",
    key="goals_briefing_html",
    icon="📄",
    on_click="ignore",
)
right.download_button(
    "Briefing as Excel",
    data=lambda: briefing.briefing_workbook(goals_view_later()),
    file_name=f"goals_briefing_{as_of:%Y-%m-%d}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="goals_briefing_xlsx",
    icon="📊",
    on_click="ignore",
)

# -- at-risk list ----------------------------------------------------------------------------------
st.header("At-risk list")
at_risk = page_data.at_risk
if at_risk.empty:
    st.success("No goal is at risk, off track or overdue for these filters.")
else:
    st.caption(
        f"{page_data.count_at_risk:,} goals overdue, off track or at risk, worst first, with their latest narrative."
        f"{shown_note(page_data.count_at_risk, ROWS_SHOWN)} Select a row to see the goal's progress below."
    )
    show_table(
        at_risk,
        key="goals_at_risk_table",
        options=GOAL_COLUMNS,
        wrap=True,
        links=page_data.at_risk_links,
    )
    every_at_risk = goal_status.needing_attention_later(params, rules)
    download_table(lambda: briefing.goal_table(every_at_risk()), f"goals_at_risk_{as_of:%Y-%m-%d}", key="goals_at_risk")

# -- status matrix and the goals behind each count ---------------------------------------------------
st.header("Status matrix")
matrix_by = st.segmented_control(
    "Columns",
    list(MATRIX_COLUMNS),
    format_func=MATRIX_COLUMNS.__getitem__,
    default="affiliate_type",
    required=True,
    key="goals_matrix_by",
    bind="query-params",
    on_change=lambda: st.session_state.update(goals_group=ALL),
)
matrix, matrix_long = matrices(params, *thresholds, matrix_by)


def select_cell() -> None:
    """A selected matrix cell sets the area and column filters of the goal list."""
    cells = st.session_state["goals_matrix"].selection.cells
    if cells:
        row, column = cells[0]
        st.session_state["goals_area"] = matrix.iloc[row][label("area_of_emphasis")]
        if column != label("area_of_emphasis"):
            st.session_state["goals_group"] = column


st.caption(
    "Goals by status in each area of emphasis and "
    f"{MATRIX_COLUMNS[matrix_by].lower()}. Select a cell to list the goals behind its counts below."
)
# The matrix's columns are the chosen grouping's values (affiliate types or regions), shown as they are.
show_table(
    matrix,
    key="goals_matrix",
    data_columns=matrix.columns,
    on_select=select_cell,
    selection_mode="single-cell",
    height="auto",
)
download_table(matrix_long, f"goal_status_matrix_{as_of:%Y-%m-%d}", key="goals_matrix_download")

st.header(GOAL_LIST_HEADER)
areas = sorted(page_data.counts["area_of_emphasis"].dropna().unique())
groups = sorted(page_data.counts[matrix_by].dropna().unique())
filters = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
area = filters[0].selectbox("Area of emphasis", [ALL, *areas], key="goals_area", bind="query-params")
group = filters[1].selectbox(MATRIX_COLUMNS[matrix_by], [ALL, *groups], key="goals_group", bind="query-params")
status = filters[2].selectbox(
    "Status",
    [ALL, *goals.STATUSES],
    format_func=lambda value: goals.STATUS_LABELS.get(value, value),
    key="goals_status",
    bind="query-params",
)
only_stale = filters[3].checkbox("Only stale", key="goals_only_stale", bind="query-params")

choices = list_choices(matrix_by, area, group, status, only_stale)
goal_list, goal_list_links, count_listed = chosen_goals(params, *thresholds, choices)
st.caption(f"{count_listed:,} of {page_data.count_goals:,} goals.{shown_note(count_listed, ROWS_SHOWN)}")
if goal_list.empty:
    st.info("No goal matches these choices.")
else:
    show_table(goal_list, key="goals_list_table", options=GOAL_COLUMNS, wrap=True, links=goal_list_links)
    every_listed = goal_status.chosen_later(params, rules, choices)
    download_table(lambda: briefing.goal_table(every_listed()), f"goals_{as_of:%Y-%m-%d}", key="goals_list")

# -- portfolio over time -----------------------------------------------------------------------------
st.header("Portfolio over time")
st.caption(
    f"Share of the goals started by each month end that were achieved or on track then, by area, "
    f"over the {briefing.PORTFOLIO_MONTHS} month ends up to {as_of:%Y-%m-%d}."
)
trends = page_data.trends
chart(page_data.portfolio_figure, key="goals_portfolio_chart")
month_end = label("month_end")
latest = trends[trends[month_end] == trends[month_end].max()]
st.caption(f"At the last month end, {latest[month_end].max():%Y-%m-%d}; the download holds every month.")
show_table(latest.drop(columns=[month_end]), key="goals_portfolio_table")
download_table(trends, f"goals_portfolio_{as_of:%Y-%m-%d}", key="goals_portfolio")

# -- progress over time for one goal, an affiliate or an area ------------------------------------------
st.header("Progress over time")
subject = st.segmented_control(
    "Show progress of",
    list(SUBJECTS),
    format_func=SUBJECTS.__getitem__,
    default="affiliate",
    required=True,
    key="goals_subject",
    bind="query-params",
)
affiliates = page_data.affiliates
labels_of_affiliates = {affiliate_id: name for name, affiliate_id in affiliates.items()}


def affiliate_picker(default_id: str | None) -> str:
    """The affiliate whose goals are shown, listed by name (bound to the URL by its label)."""
    names = list(affiliates)
    default_label = labels_of_affiliates.get(default_id)
    return affiliates[
        st.selectbox(
            "Affiliate",
            names,
            index=names.index(default_label) if default_label in affiliates else 0,
            key="goals_affiliate",
            bind="query-params",
        )
    ]


# A goal's link names only the goal (analytics.core.links.goal_link): its affiliate is found from its label.
linked_label = st.query_params.get("goals_goal")
linked = run_query("goal_of_label", **params, label=linked_label) if linked_label else pd.DataFrame()
default_affiliate = linked["affiliate_id"].iloc[0] if len(linked) else page_data.default_affiliate_id
if subject in ("goal", "affiliate"):
    chosen_id = affiliate_picker(default_affiliate)
    of_affiliate = affiliate_goals(params, *thresholds, chosen_id, labels_of_affiliates[chosen_id])
    members, affiliate_checkins, shown_events = of_affiliate.goals, of_affiliate.checkins, of_affiliate.events
if subject == "goal":
    titles = dict(
        zip(
            members["goal_id"].tolist(),
            (members["affiliate_name"] + " — " + members["title"]).tolist(),
            strict=True,
        )
    )
    goal_ids = list(titles)
    default_goal = next(
        (goal for goal in (*linked.get("goal_id", []), page_data.default_goal_id) if goal in titles), goal_ids[0]
    )
    goal_id = st.selectbox(
        "Goal",
        goal_ids,
        index=goal_ids.index(default_goal),
        format_func=titles.__getitem__,
        key="goals_goal",
        bind="query-params",
    )
    members = members[members["goal_id"] == goal_id]
    goal = members.set_index("goal_id").loc[goal_id]
    shown_checkins = affiliate_checkins[affiliate_checkins["goal_id"] == goal_id]
    path_dates = sorted({goal["start_on"], goal["due_on"], pd.Timestamp(as_of)})
    figure = goal_progress_chart(goal, shown_checkins, goals.expected_path(goal, path_dates), shown_events)
    st.caption(f"**{goal['status_label']}** — {literal(goal['reason'])}. Liaison: {literal(goal['liaison_name'])}.")
    every_checkin = None
elif subject == "affiliate":
    figure, shown_checkins = of_affiliate.figure, affiliate_checkins
    st.caption(
        f"{len(members)} goals; each counts as the share of the way from its baseline to its target "
        "(a goal past its target counts as 100%). Hover for the month's check-in narratives."
    )
    every_checkin = None
else:
    chosen_area = st.selectbox("Area of emphasis", areas, key="goals_progress_area", bind="query-params")
    count_members, figure, shown_checkins = area_progress(params, *thresholds, chosen_area)
    every_checkin = area_checkins_later(params, chosen_area)
    st.caption("Events are marked for one goal or one affiliate; an area spans too many affiliates to mark.")
    st.caption(
        f"{count_members:,} goals; each counts as the share of the way from its baseline to its target "
        "(a goal past its target counts as 100%). Hover for the month's check-in narratives."
    )

chart_column, table_column = st.columns([3, 2], gap="large")
with chart_column:
    chart(figure, key="goals_progress_chart")
with table_column:
    checkins_shown = checkin_table(shown_checkins)
    if checkins_shown.empty:
        st.info("No check-in reported by the as-of date.")
    else:
        if every_checkin is not None and len(checkins_shown) == ROWS_SHOWN:
            st.caption(f"The latest {ROWS_SHOWN} check-ins are shown; the download holds them all.")
        show_table(checkins_shown, key="goals_checkins_table")
        download_table(every_checkin or checkins_shown, f"goal_checkins_{as_of:%Y-%m-%d}", key="goals_checkins")

# -- the chosen goal's history, comments, and the forms to record a check-in or a comment -------------------------
if subject == "goal":
    st.subheader("History, comments and check-ins")
    goal_work_panel(members.iloc[0], shown_checkins, key="goals_work")
