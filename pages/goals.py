"""Goals: progress against pro-rated targets, as of the sidebar's date, with the story behind it.

Status thresholds are the sidebar's (ui.filters: shared by every page that counts statuses, bound to the
URL as `?goals_at_risk_below=85`), defaulting to `GoalStatusRules()`, and are printed on the page and in
the briefing pack: the thresholds in force are always visible and part of the shared link.

The goals view (every goal's status, the portfolio), the at-risk list, the status matrices and the
portfolio figure are kept per state of the data, filters and thresholds (`ui.data.kept_per_data`):
a rerun reads them.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.core.frames import is_among
from analytics.core.links import Link, goal_link
from analytics.domain import goals
from analytics.figures import briefing
from analytics.figures.goal_charts import goal_progress_chart, group_progress_chart, portfolio_chart
from ui.changes import alert_rules_panel
from ui.components import SAMPLE_NOTICE, card_row, chart
from ui.data import kept_per_data, run_query
from ui.filters import describe_scope
from ui.forms import goal_work_panel
from ui.labels import download_table, label, show_table
from ui.navigation import GOAL_LIST_HEADER
from ui.page import page_frame
from ui.text import format_percent, literal, shown_note


@dataclass(frozen=True)
class Derived:
    view: briefing.GoalsView
    at_risk: pd.DataFrame
    at_risk_links: list[Link]  # of the first ROWS_SHOWN rows of at_risk, the ones the page shows
    trends: pd.DataFrame
    portfolio_figure: go.Figure
    affiliate_names: dict[str, str]  # by affiliate_id, sorted by name (a dict: the picker looks up each option)
    goal_titles: dict[str, str]  # "affiliate — title" by goal_id, for the goal picker
    known_checkins: pd.DataFrame  # check-ins reported by the as-of date (kept here: no unpickling per rerun)
    worst_goal_id: str | None  # the default subject: the worst goal with a check-in to show, else the first goal
    worst_affiliate_id: str | None  # the affiliate of worst_goal_id
    counts: dict[str, int]  # briefing.status_counts of the statuses
    share_on_track: float | None  # goals.share_on_track of the statuses


@kept_per_data(max_entries=16)
def derived(params: dict[str, Any], at_risk_below: float, off_track_below: float) -> Derived:
    rules = goals.GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    goal_rows = run_query("goals_in_scope", **params)
    checkins = run_query("goal_checkins_in_scope", **params)
    view = briefing.goals_view(goal_rows, checkins, params["as_of"], rules)
    statuses = view.statuses
    at_risk = briefing.at_risk_table(statuses)
    reported = statuses.loc[statuses["latest_reported_on"].notna(), "goal_id"]
    goal_id = label("goal_id")
    worst_reported = at_risk.loc[is_among(at_risk[goal_id], reported), goal_id]
    candidates = (worst_reported, reported, statuses["goal_id"])
    worst_goal_id = next((ids.iloc[0] for ids in candidates if len(ids)), None)
    names = statuses.drop_duplicates("affiliate_id").set_index("affiliate_id")["affiliate_name"].sort_values()
    return Derived(
        view=view,
        at_risk=at_risk,
        at_risk_links=goal_links(at_risk.head(ROWS_SHOWN)),
        trends=briefing.trends_table(view.portfolio),
        portfolio_figure=portfolio_chart(view.portfolio),
        # tolist() first: iterating a pandas 3 string column is 5x slower (1.4 s for 272,700 goals).
        affiliate_names=dict(zip(names.index.tolist(), names.tolist(), strict=True)),
        goal_titles=dict(
            zip(
                statuses["goal_id"].tolist(),
                (statuses["affiliate_name"] + " — " + statuses["title"]).tolist(),
                strict=True,
            )
        ),
        known_checkins=checkins[checkins["reported_on"] <= pd.Timestamp(params["as_of"])],
        worst_goal_id=worst_goal_id,
        worst_affiliate_id=(
            None
            if worst_goal_id is None
            else statuses.loc[statuses["goal_id"] == worst_goal_id, "affiliate_id"].iloc[0]
        ),
        counts=briefing.status_counts(statuses),
        share_on_track=goals.share_on_track(statuses),
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
    statuses = derived(params, at_risk_below, off_track_below).view.statuses
    return (
        briefing.matrix_table(statuses, matrix_by),
        goals.status_matrix(statuses, rows="area_of_emphasis", columns=matrix_by),
    )


@kept_per_data(max_entries=32)
def chosen_goals(
    params: dict[str, Any],
    at_risk_below: float,
    off_track_below: float,
    matrix_by: str,
    area: str,
    group: str,
    status: str,
    only_stale: bool,
) -> tuple[pd.DataFrame, list[Link]]:
    """The goal list for the choices above it (worst first), with the links of its first ROWS_SHOWN rows (the ones
    shown): kept, so that a rerun with the same choices builds neither the table nor the links again."""
    statuses = derived(params, at_risk_below, off_track_below).view.statuses
    chosen = pd.Series(True, index=statuses.index)
    if area != ALL:
        chosen &= statuses["area_of_emphasis"] == area
    if group != ALL:
        chosen &= statuses[matrix_by] == group
    if status != ALL:
        chosen &= statuses["status"].astype(str) == status
    if only_stale:
        chosen &= statuses["is_stale"]
    table = briefing.goal_table(statuses[chosen].sort_values(["status", "pct_of_expected", "goal_id"]))
    return table, goal_links(table.head(ROWS_SHOWN))


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
events = run_query("affiliate_events_in_scope", **params)
page_data = derived(params, *thresholds)
view = page_data.view

st.caption(f"Status rules: {briefing.rules_text(rules)}.")
with st.expander("Alert rules", icon="🔔"):
    alert_rules_panel()
if view.statuses.empty:
    st.info("No goal matches the filters. Widen the region or type filter in the sidebar.")
    st.stop()

statuses = view.statuses
# The briefing states its date itself; its scope line is the filters in words, without the date.
scope_text = describe_scope(scope).rsplit(", as of ", 1)[0]

# -- at a glance, and the briefing pack ------------------------------------------------------------
counts = page_data.counts
started = len(statuses) - counts["not_started"]
cards = card_row(6)
cards[0].metric("Goals", len(statuses), help=f"{started} started by {as_of:%Y-%m-%d}.", border=True)
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
    data=lambda: briefing.briefing_html(view, scope_text, SAMPLE_NOTICE.replace("**", "")),
    file_name=f"goals_briefing_{as_of:%Y-%m-%d}.html",
    mime="text/html",
    key="goals_briefing_html",
    icon="📄",
    on_click="ignore",
)
right.download_button(
    "Briefing as Excel",
    data=lambda: briefing.briefing_workbook(view),
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
        f"{len(at_risk):,} goals overdue, off track or at risk, worst first, with their latest narrative."
        f"{shown_note(len(at_risk), ROWS_SHOWN)} Select a row to see the goal's progress below."
    )
    show_table(
        at_risk.head(ROWS_SHOWN),
        key="goals_at_risk_table",
        options=GOAL_COLUMNS,
        wrap=True,
        links=page_data.at_risk_links,
    )
    download_table(at_risk, f"goals_at_risk_{as_of:%Y-%m-%d}", key="goals_at_risk")

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
areas = sorted(statuses["area_of_emphasis"].dropna().unique())
groups = sorted(statuses[matrix_by].dropna().unique())
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

goal_list, goal_list_links = chosen_goals(params, *thresholds, matrix_by, area, group, status, only_stale)
st.caption(f"{len(goal_list):,} of {len(statuses):,} goals.{shown_note(len(goal_list), ROWS_SHOWN)}")
if goal_list.empty:
    st.info("No goal matches these choices.")
else:
    show_table(
        goal_list.head(ROWS_SHOWN), key="goals_list_table", options=GOAL_COLUMNS, wrap=True, links=goal_list_links
    )
    download_table(goal_list, f"goals_{as_of:%Y-%m-%d}", key="goals_list")

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
known_checkins = page_data.known_checkins
affiliate_names = page_data.affiliate_names
worst = page_data.worst_goal_id

if subject == "goal":
    titles = page_data.goal_titles
    goal_id = st.selectbox(
        "Goal",
        list(titles),
        index=list(titles).index(worst),
        format_func=titles.__getitem__,
        key="goals_goal",
        bind="query-params",
    )
    members = statuses[statuses["goal_id"] == goal_id]
    goal = members.set_index("goal_id").loc[goal_id]
    shown_checkins = known_checkins[known_checkins["goal_id"] == goal_id]
    shown_events = events[events["affiliate_id"] == goal["affiliate_id"]]
    path_dates = sorted({goal["start_on"], goal["due_on"], pd.Timestamp(as_of)})
    figure = goal_progress_chart(goal, shown_checkins, goals.expected_path(goal, path_dates), shown_events)
    st.caption(f"**{goal['status_label']}** — {literal(goal['reason'])}. Liaison: {literal(goal['liaison_name'])}.")
else:
    if subject == "affiliate":
        default_affiliate = page_data.worst_affiliate_id
        chosen_id = st.selectbox(
            "Affiliate",
            list(affiliate_names),
            index=list(affiliate_names).index(default_affiliate),
            format_func=affiliate_names.__getitem__,
            key="goals_affiliate",
            bind="query-params",
        )
        members = statuses[statuses["affiliate_id"] == chosen_id]
        shown_events = events[events["affiliate_id"] == chosen_id]
        subject_name = affiliate_names[chosen_id]
    else:
        chosen_area = st.selectbox("Area of emphasis", areas, key="goals_progress_area", bind="query-params")
        members = statuses[statuses["area_of_emphasis"] == chosen_area]
        shown_events = None
        subject_name = chosen_area
        st.caption("Events are marked for one goal or one affiliate; an area spans too many affiliates to mark.")
    shown_checkins = known_checkins[is_among(known_checkins["goal_id"], members["goal_id"])]
    first_start = pd.Timestamp(members["start_on"].min())
    month_count = max((as_of.year - first_start.year) * 12 + as_of.month - first_start.month + 1, 6)
    progress = goals.progress_by_month(members, shown_checkins, briefing.month_ends_until(as_of, month_count), rules)
    figure = group_progress_chart(progress, shown_checkins, shown_events, subject_name)
    st.caption(
        f"{len(members)} goals; each counts as the share of the way from its baseline to its target "
        "(a goal past its target counts as 100%). Hover for the month's check-in narratives."
    )

chart_column, table_column = st.columns([3, 2], gap="large")
with chart_column:
    chart(figure, key="goals_progress_chart")
with table_column:
    titles_by_goal = members.set_index("goal_id")["title"]
    checkin_table = shown_checkins.sort_values("reported_on", ascending=False).assign(
        title=lambda rows: rows["goal_id"].map(titles_by_goal)
    )[["reported_on", "title", "value", "narrative", "reported_by"]]
    if checkin_table.empty:
        st.info("No check-in reported by the as-of date.")
    else:
        show_table(checkin_table, key="goals_checkins_table")
        download_table(checkin_table, f"goal_checkins_{as_of:%Y-%m-%d}", key="goals_checkins")

# -- the chosen goal's history, comments, and the forms to record a check-in or a comment -------------------------
if subject == "goal":
    st.subheader("History, comments and check-ins")
    goal_work_panel(members.iloc[0], shown_checkins, key="goals_work")
