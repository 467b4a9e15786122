"""Overview: the state of the affiliate network on one screen, for leadership.

What is derived from the goals (statuses, the portfolio, the at-risk list) and the figures are kept
per state of the data and filters (`ui.data.kept_per_data`), so that a rerun mostly reads caches.
"""

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.core.links import goal_link
from analytics.domain import goals, membership, overview
from analytics.figures.charts import membership_trend, status_by_group
from ui import goal_status
from ui.components import card_row, chart
from ui.data import kept_per_data, run_query
from ui.labels import download_table, label, show_table
from ui.navigation import COVERAGE, GOALS, MEMBERSHIP, drill_link, open_goals_of_bar
from ui.page import page_frame
from ui.text import (
    change_in_a_year,
    data_origin,
    event_rows,
    format_count,
    format_percent,
    like_for_like_note,
    points_in_a_year,
    shown_note,
)

# The at-risk rows the page shows; the download holds them all.
AT_RISK_SHOWN = 10


@dataclass(frozen=True)
class GoalsSummary:
    share_on_track: float | None
    share_on_track_by_month: list[float] | None  # the last twelve month ends, for the sparkline
    count_at_risk: int  # goals needing attention (at risk, off track or overdue)
    at_risk: pd.DataFrame  # the first AT_RISK_SHOWN of them, worst first, with their reasons
    status_figure: go.Figure


@kept_per_data(max_entries=32)
def goals_summary(params: dict[str, Any], at_risk_below: float, off_track_below: float) -> GoalsSummary:
    """The goals' figures under the thresholds in force (the sidebar's: the same on every page), judged in the store
    (ui.goal_status): counts per status, the share on track at the last twelve month ends, the worst goals."""
    rules = goals.GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    counts = goal_status.status_counts(params, rules)
    member_months = run_query("membership_by_month", **params)
    month_ends = sorted(member_months["month_end_on"].tail(12)) if not member_months.empty else []
    portfolio = goal_status.portfolio(params, rules, month_ends, by=None) if month_ends else None
    counts_by_area = goals.status_matrix_of_counts(
        counts.assign(all_types="all"), rows="area_of_emphasis", columns="all_types"
    )
    by_status = goal_status.count_by_status(counts)
    return GoalsSummary(
        share_on_track=goal_status.share_on_track(counts),
        share_on_track_by_month=(
            [round(v * 100, 1) for v in portfolio["share_on_track"].fillna(0)] if portfolio is not None else None
        ),
        count_at_risk=sum(by_status[status] for status in goals.ATTENTION_STATUSES),
        at_risk=goal_status.needing_attention(params, rules, AT_RISK_SHOWN),
        status_figure=status_by_group(counts_by_area, "area_of_emphasis", "area of emphasis"),
    )


@dataclass(frozen=True)
class NetworkSummary:
    """The network and membership figures of the cards, from the affiliates, agreements and membership in scope."""

    counts: overview.AffiliateCounts | None  # None: no affiliate in scope
    renewals_due: pd.DataFrame  # current agreements due for renewal in the window
    count_lapsed: int
    member_months: pd.DataFrame  # membership_by_month with the share also in ICMA
    icma_months: pd.DataFrame
    affiliate_members: membership.Change
    affiliate_members_like_for_like: membership.Change
    count_counted_both_years: int
    icma_members: membership.Change
    share_icma: membership.Change
    share_icma_like_for_like: membership.Change


@kept_per_data(max_entries=32)
def network_summary(params: dict[str, Any]) -> NetworkSummary:
    """What the cards show, kept: a rerun reads it instead of copying the affiliates and agreements again."""
    affiliates = run_query("affiliates_in_scope", **params)
    agreements = run_query("current_agreements", **params)
    member_months = membership.with_share_in_icma(run_query("membership_by_month", **params))
    year_on_year = run_query("membership_year_on_year_by_affiliate", **params)
    icma_months = run_query("icma_membership_by_month", **params)
    return NetworkSummary(
        counts=None if affiliates.empty else overview.affiliate_counts(affiliates),
        renewals_due=agreements[agreements["status"] == "due_for_renewal"],
        count_lapsed=int((agreements["status"] == "lapsed").sum()),
        member_months=member_months,
        icma_months=icma_months,
        affiliate_members=membership.change_over_year(member_months, "members"),
        affiliate_members_like_for_like=membership.like_for_like_change(year_on_year, "members"),
        count_counted_both_years=len(membership.counted_both_years(year_on_year)),
        icma_members=membership.change_over_year(icma_months, "members"),
        share_icma=membership.change_over_year(member_months, "share_icma"),
        share_icma_like_for_like=membership.like_for_like_share_change(year_on_year),
    )


def at_risk_rows(at_risk: pd.DataFrame) -> pd.DataFrame:
    """The at-risk table's columns, as shown and downloaded."""
    return at_risk.assign(status_label=at_risk["status"].astype(str).map(goals.STATUS_LABELS))[list(AT_RISK_COLUMNS)]


@kept_per_data(max_entries=32)
def membership_figure(params: dict[str, Any]) -> go.Figure:
    member_months = run_query("membership_by_month", **params)
    return membership_trend(member_months, run_query("icma_membership_by_month", **params))


frame = page_frame("Overview")
params = frame.params
network = network_summary(params)
member_months, icma_months = network.member_months, network.icma_months
events = run_query("upcoming_events", **params, limit=8)
summary = goals_summary(params, frame.rules.at_risk_below, frame.rules.off_track_below)

if network.counts is None:
    st.info("No affiliate matches the filters. Widen the region or type filter in the sidebar.")
    st.stop()

config = frame.settings
counts = network.counts
due = network.renewals_due

# -- the network ---------------------------------------------------------------------------------
st.header("The network")
cards = card_row(5)
cards[0].metric(
    "State associations",
    f"{counts.state} of {config.stated_state_agreements}",
    help=f"State associations in the data, against ICMA's stated {config.stated_state_agreements} "
    "signed state agreements.",
    border=True,
)
cards[1].metric(
    "International affiliates",
    f"{counts.international} of {config.stated_international_agreements}",
    help=f"Against ICMA's stated {config.stated_international_agreements} international and multinational affiliates.",
    border=True,
)
cards[2].metric("National and equity affiliates", counts.national, border=True)
cards[3].metric(
    "Countries covered", counts.countries_covered, help="Countries with an international affiliate.", border=True
)
cards[4].metric("US states covered", counts.states_covered, help="States with an affiliated association.", border=True)
drill_link(st, "Where they are, and how active: Coverage", COVERAGE)

# -- health --------------------------------------------------------------------------------------
st.header("Health")
affiliate_members = network.affiliate_members
affiliate_members_like_for_like = network.affiliate_members_like_for_like
icma_members = network.icma_members
share_icma = network.share_icma
share_icma_like_for_like = network.share_icma_like_for_like
like_for_like_help = " " + like_for_like_note(network.count_counted_both_years)
cards = card_row(5)
cards[0].metric(
    f"Renewals due in {config.renewal_window_months} months",
    len(due),
    delta=f"{network.count_lapsed} lapsed" if network.count_lapsed else "none lapsed",
    delta_color="off",
    delta_arrow="off",
    help="Current agreements whose renewal date falls within the window; lapsed ones are past it.",
    border=True,
)
cards[1].metric(
    "Goals on track",
    format_percent(summary.share_on_track),
    help="Achieved or on-track goals as a share of goals that have started, against pro-rated targets.",
    chart_data=summary.share_on_track_by_month,
    chart_type="line",
    border=True,
)
drill_link(cards[1], "The goals", GOALS)
cards[2].metric(
    "ICMA members",
    format_count(icma_members.latest),
    **change_in_a_year(icma_members.change_pct),
    help="ICMA's total membership, latest month-end snapshot"
    + (f" ({icma_members.latest_on:%Y-%m-%d})." if icma_members.latest_on is not None else "."),
    chart_data=membership.recent(icma_months, "members"),
    chart_type="area",
    border=True,
)
cards[3].metric(
    "Affiliate members",
    format_count(affiliate_members.latest),
    **change_in_a_year(affiliate_members_like_for_like.change_pct),
    help="Members of the affiliates in scope at the latest month end"
    + (f" ({affiliate_members.latest_on:%Y-%m-%d})" if affiliate_members.latest_on is not None else "")
    + ". "
    + membership.CARRY_FORWARD_NOTE
    + like_for_like_help,
    chart_data=membership.recent(member_months, "members"),
    chart_type="area",
    border=True,
)
cards[4].metric(
    label("share_icma"),
    format_percent(share_icma.latest, 1),
    **points_in_a_year(share_icma_like_for_like.change),
    help="Share of affiliate members who also belong to ICMA: the value of belonging to both." + like_for_like_help,
    chart_data=[round(v * 100, 2) for v in membership.recent(member_months, "share_icma")],
    chart_type="line",
    border=True,
)
for card in cards[2:]:
    drill_link(card, "By affiliate", MEMBERSHIP)

# -- goals at risk and what is coming --------------------------------------------------------------
# The at-risk table spans the page, so that its six columns, the why included, are in view at 1440 px.
AT_RISK_COLUMNS = {
    "affiliate_name": {"width": 160},
    "status_label": {"width": 75},  # second, so that a phone shows it without scrolling sideways
    "area_of_emphasis": {"width": 130},
    "title": {"width": 180},
    "reason": {"width": 290},
    "liaison_name": {"width": 115},
}
st.header("Goals at risk")
at_risk = summary.at_risk
if at_risk.empty:
    st.success("No goal is at risk, off track or overdue for these filters.")
else:
    st.caption(
        f"{format_count(summary.count_at_risk)} goals at risk, off track or overdue, worst first."
        f"{shown_note(summary.count_at_risk, len(at_risk))} "
        "Select a row to open the goal's progress."
    )
    show_table(
        at_risk_rows(at_risk),
        key="overview_at_risk_table",
        options=AT_RISK_COLUMNS,
        wrap=True,
        height="auto",
        links=[goal_link(*row) for row in at_risk[["goal_id", "affiliate_name", "title"]].itertuples(index=False)],
    )
    every_goal = goal_status.needing_attention_later(params, frame.rules)
    download_table(lambda: at_risk_rows(every_goal()), "goals_at_risk", key="overview_at_risk")
left, right = st.columns([3, 2], gap="large")
with left:
    bars = chart(summary.status_figure, key="overview_status_chart", on_select="rerun")
    st.caption("Select a bar to list its goals on the Goals page.")
    open_goals_of_bar(bars)
with right:
    st.header(f"Renewals due in {config.renewal_window_months} months")
    if due.empty:
        st.success("No agreement is due for renewal in the window.")
    else:
        renewals = due[["affiliate_name", "renewal_due_on", "days_to_renewal", "liaison_name"]]
        show_table(renewals)
        download_table(renewals, "renewals_due", key="overview_renewals")
# The events span the page, so that whether each is real or sample data (its Data column) is in view.
st.header("Next events")
if events.empty:
    st.info("No upcoming events for these filters.")
else:
    listing = event_rows(events).assign(data_origin=data_origin(events))[
        ["dates", "event_name", "organizer", "place", "data_origin"]
    ]
    show_table(listing)
    download_table(listing, "next_events", key="overview_events")

# -- membership ------------------------------------------------------------------------------------
st.header("Membership")
chart_column, table_column = st.columns([3, 2], gap="large")
with chart_column:
    chart(membership_figure(params), key="overview_membership_chart")
    st.caption(membership.CARRY_FORWARD_NOTE)
with table_column:
    year_ends = member_months[member_months["month_end_on"].dt.month == 12]
    yearly = year_ends.assign(year=year_ends["month_end_on"].dt.year)[["year", "members", "icma_members", "share_icma"]]
    show_table(yearly.sort_values("year", ascending=False))
    download_table(member_months, "membership_by_month", key="overview_membership")
