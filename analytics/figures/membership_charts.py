"""Charts of the Membership page: pure functions from DataFrame to plotly Figure, in the shared theme."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.domain.membership_trends import MEASURES
from analytics.figures.theme import DASHES, SERIES_COLORS, empty_figure, plain, shortened, template_text, themed

# The longest group name a legend shows whole.
LEGEND_NAME_CHARACTERS = 38


def trend_by_group_chart(trend: pd.DataFrame, measure: str, group_label: str) -> go.Figure:
    """One line per group over time; lines differ by dash as well as colour, each named in the legend."""
    title = f"{MEASURES[measure]} by {group_label}"
    if trend.empty:
        return empty_figure(title)
    figure = go.Figure()
    is_share = measure == "share_icma"
    for index, (name, rows) in enumerate(trend.groupby("group", sort=True)):
        figure.add_trace(
            go.Scatter(
                x=rows["month_end_on"],
                y=rows[measure],
                name=plain(shortened(str(name), LEGEND_NAME_CHARACTERS)),
                mode="lines",
                line={"color": SERIES_COLORS[index % len(SERIES_COLORS)], "dash": DASHES[index % len(DASHES)]},
                hovertemplate=f"{template_text(name)}: %{{y:{'.1%' if is_share else ','}}}"
                "<br>%{x|%b %Y}<extra></extra>",
            )
        )
    figure.update_yaxes(tickformat=".0%" if is_share else ",", rangemode="tozero", title=None)
    # Many groups: the legend goes below the plot (the theme's place), where it wraps on a narrow screen
    # instead of taking half of its width.
    return themed(figure, title, height=520)


def share_in_icma_chart(months: pd.DataFrame) -> go.Figure:
    """The share of affiliate members who also belong to ICMA, by month."""
    title = "Share of affiliate members also in ICMA"
    if months.empty:
        return empty_figure(title)
    figure = go.Figure(
        go.Scatter(
            x=months["month_end_on"],
            y=months["share_icma"],
            name="Also ICMA members",
            mode="lines",
            line={"color": SERIES_COLORS[2], "width": 2},
            hovertemplate="%{y:.1%} also ICMA members<br>%{x|%b %Y}<extra></extra>",
        )
    )
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    return themed(figure, title)


def flows_chart(flows: pd.DataFrame) -> go.Figure:
    """Joiners above the axis, leavers below, and the net change as a line."""
    title = "New and lapsed members by month"
    if flows.empty:
        return empty_figure(title)
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=flows["month_end_on"],
            y=flows["new_members"],
            name="New members (above)",
            marker_color=SERIES_COLORS[0],
            hovertemplate="%{y:,} joined<br>%{x|%b %Y}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            x=flows["month_end_on"],
            y=-flows["lapsed_members"],
            name="Lapsed members (below)",
            marker_color=SERIES_COLORS[1],
            customdata=flows["lapsed_members"],
            hovertemplate="%{customdata:,} lapsed<br>%{x|%b %Y}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=flows["month_end_on"],
            y=flows["net_change"],
            name="Net change",
            mode="lines",
            line={"color": "#333", "width": 1.5, "dash": "dot"},
            hovertemplate="net %{y:+,}<br>%{x|%b %Y}<extra></extra>",
        )
    )
    figure.update_layout(barmode="relative")
    figure.update_yaxes(tickformat=",", title="people")
    return themed(figure, title)
