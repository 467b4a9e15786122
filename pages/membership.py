"""Membership: affiliate and ICMA membership over time, the share who belong to both, joiners and leavers, growth.

Every query aggregates in DuckDB to what the page shows (months, groups, one row per affiliate). The
figures are kept per state of the data and filters (`ui.data.kept_per_data`): a figure is never changed
after it is built, `st.plotly_chart` only reads it.
"""

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.domain import membership
from analytics.domain.membership_trends import GROUPINGS, MEASURES, TOP_AFFILIATES, flows_by_month
from analytics.figures.charts import membership_trend
from analytics.figures.membership_charts import flows_chart, share_in_icma_chart, trend_by_group_chart
from ui.components import card_row, chart
from ui.data import kept_per_data, run_query
from ui.labels import download_table, label, show_table
from ui.page import page_frame
from ui.text import change_in_a_year, format_count, format_percent, like_for_like_note, points_in_a_year


@kept_per_data(max_entries=32)
def whole_charts(params: dict[str, Any]) -> tuple[go.Figure, go.Figure, go.Figure]:
    """The totals, the share also in ICMA, and joiners and leavers over the last 36 months."""
    member_months = membership.with_share_in_icma(run_query("membership_by_month", **params))
    icma_months = run_query("icma_membership_by_month", **params)
    flows = flows_by_month(member_months)
    return (
        membership_trend(member_months, icma_months),
        share_in_icma_chart(member_months),
        flows_chart(flows.tail(36)),
    )


@kept_per_data(max_entries=64)
def group_chart(params: dict[str, Any], group: str, measure: str) -> go.Figure:
    return trend_by_group_chart(trend_by_group(params, group), measure, GROUPINGS[group])


def trend_by_group(params: dict[str, Any], group: str) -> pd.DataFrame:
    """One row per group per month for one grouping (the query returns all three at once)."""
    trends = run_query("membership_by_group_month", limit=TOP_AFFILIATES, **params)
    return trends[trends["grouping"] == group].drop(columns="grouping").reset_index(drop=True)


frame = page_frame(
    "Membership", ". Uploaded membership files count as soon as they are committed. " + membership.CARRY_FORWARD_NOTE
)
params = frame.params
member_months = membership.with_share_in_icma(run_query("membership_by_month", **params))
year_on_year = run_query("membership_year_on_year_by_affiliate", **params)
icma_months = run_query("icma_membership_by_month", **params)

if member_months.empty:
    st.info("No membership has been reported for the affiliates in these filters by this date. Widen the filters.")
    st.stop()

# -- the whole -------------------------------------------------------------------------------------
members = membership.change_over_year(member_months, "members")
also_icma = membership.change_over_year(member_months, "icma_members")
share = membership.change_over_year(member_months, "share_icma")
icma = membership.change_over_year(icma_months, "members")
like_for_like = {
    "members": membership.like_for_like_change(year_on_year, "members"),
    "icma_members": membership.like_for_like_change(year_on_year, "icma_members"),
    "share_icma": membership.like_for_like_share_change(year_on_year),
}
like_for_like_help = " " + like_for_like_note(len(membership.counted_both_years(year_on_year)))
last_year = member_months[member_months["month_end_on"] > member_months["month_end_on"].max() - pd.DateOffset(years=1)]
cards = card_row(5)
for card, card_label, change, change_in_year, help_text in (
    (
        cards[0],
        "Affiliate members",
        members,
        like_for_like["members"],
        "Members of the affiliates in scope at the latest month end. "
        + membership.CARRY_FORWARD_NOTE
        + like_for_like_help,
    ),
    (
        cards[1],
        "Members also in ICMA",
        also_icma,
        like_for_like["icma_members"],
        "Of those, members who also belong to ICMA." + like_for_like_help,
    ),
    (cards[3], "ICMA members", icma, icma, "ICMA's own total membership."),
):
    card.metric(
        card_label,
        format_count(change.latest),
        **change_in_a_year(change_in_year.change_pct),
        help=help_text + (f" As of {change.latest_on:%Y-%m-%d}." if change.latest_on is not None else ""),
        border=True,
    )
cards[2].metric(
    label("share_icma"),
    format_percent(share.latest, 1),
    **points_in_a_year(like_for_like["share_icma"].change),
    help="Affiliate members who also belong to ICMA: the value of belonging to both." + like_for_like_help,
    border=True,
)
cards[4].metric(
    "Joined in 12 months",
    format_count(last_year["new_members"].sum()),
    delta=f"{format_count(last_year['lapsed_members'].sum())} lapsed",
    delta_color="off",
    delta_arrow="off",
    help="Affiliate members who joined, and who left, over the last twelve months of data.",
    border=True,
)

total_figure, share_figure, flows_figure = whole_charts(params)
left, right = st.columns(2, gap="large")
with left:
    chart(total_figure, key="membership_total_chart")
with right:
    chart(share_figure, key="membership_share_chart")
monthly = member_months[
    ["month_end_on", "count_affiliates_reporting", "count_affiliates_counted", "members", "icma_members", "share_icma"]
]
monthly = monthly.merge(icma_months[["month_end_on", "members"]].rename(columns={"members": "icma_total"}), how="left")
with st.expander("The figures by month"):
    table = monthly.sort_values("month_end_on", ascending=False)
    show_table(table)
    download_table(table, "membership_by_month", key="membership_monthly")

# -- by group --------------------------------------------------------------------------------------
st.header("Trends by group")
controls = st.columns(2)
with controls[0]:
    group = st.segmented_control(
        "Break down by",
        list(GROUPINGS),
        format_func=GROUPINGS.__getitem__,
        default="icma_region",
        required=True,
        key="membership_by",
        bind="query-params",
    )
with controls[1]:
    measure = st.segmented_control(
        "Show",
        list(MEASURES),
        format_func=MEASURES.__getitem__,
        default="members",
        required=True,
        key="membership_measure",
        bind="query-params",
    )
group = group or "icma_region"
measure = measure or "members"
trend = trend_by_group(params, group)
growth = run_query("membership_growth_by_affiliate", **params)
if group == "affiliate_name":
    st.caption(f"The {TOP_AFFILIATES} affiliates with most members in the latest month.")
chart(group_chart(params, group, measure), key="membership_group_chart")
latest = trend[trend["month_end_on"] == trend["month_end_on"].max()].sort_values(measure, ascending=False)
show = (lambda value: format_percent(value, 1)) if measure == "share_icma" else format_count
st.caption(
    "Latest month: "
    + "; ".join(f"{name} {show(value)}" for name, value in zip(latest["group"], latest[measure], strict=True))
)
download_table(trend.rename(columns={"group": group}), f"membership_by_{group}", key="membership_group")

# -- joiners and leavers -----------------------------------------------------------------------------
st.header("New and lapsed members")
flows = flows_by_month(member_months)
chart(flows_figure, key="membership_flows_chart")
st.caption("The last 36 months: joiners above the line, leavers below, the net change dotted.")
download_table(flows, "membership_new_and_lapsed", key="membership_flows")

# -- growth against a year earlier ---------------------------------------------------------------------
st.header("Growth against a year earlier, by affiliate")
st.caption(
    "Each affiliate's latest snapshot against what it counted at the same month end a year before "
    f"(its latest snapshot then, up to {membership.MAX_CARRY_MONTHS} months old)."
)
# Sorted by the change (the largest gains first, the largest losses last; no earlier count at the very end),
# with the change beside the name so that it is in view without scrolling.
growth_table = growth.sort_values(["change", "affiliate_name"], ascending=[False, True], na_position="last")[
    [
        "affiliate_name",
        "change",
        "change_pct",
        "members",
        "members_year_before",
        "share_icma",
        "new_members_12_months",
        "lapsed_members_12_months",
        "latest_on",
        "affiliate_type",
        "icma_region",
        "icma_members",
    ]
]
show_table(growth_table, options={"affiliate_name": {"width": 220}})
download_table(growth_table, "membership_growth_by_affiliate", key="membership_growth")
