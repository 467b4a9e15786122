"""Charts several pages share: pure functions from DataFrame to plotly Figure, in the one theme (`theme`).

Every figure says what it shows in its title and axis labels, uses colour and a second cue
(labels, patterns or order) together, and renders an explicit "no data" note when empty.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.figures.theme import (
    SERIES_COLORS,
    STATUS_COLORS,
    STATUS_INK,
    STATUS_PATTERNS,
    empty_figure,
    plain,
    plain_texts,
    shortened,
    themed,
)

# The longest group name written beside a bar of `status_by_group`.
GROUP_NAME_CHARACTERS = 26


def membership_trend(months: pd.DataFrame, icma_months: pd.DataFrame) -> go.Figure:
    """Affiliate members, of them ICMA members, and ICMA's own total, by month."""
    title = "Membership by month"
    if months.empty and icma_months.empty:
        return empty_figure(title)
    figure = go.Figure()
    series = [
        (months, "members", "Affiliate members", SERIES_COLORS[0], "solid"),
        (months, "icma_members", "…of them also ICMA members", SERIES_COLORS[2], "dot"),
        (icma_months, "members", "ICMA members (all)", SERIES_COLORS[1], "dash"),
    ]
    for frame, column, name, color, dash in series:
        if frame.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=frame["month_end_on"],
                y=frame[column],
                name=name,
                mode="lines",
                line={"color": color, "dash": dash, "width": 2},
                hovertemplate=f"{name}: %{{y:,}}<br>%{{x|%b %Y}}<extra></extra>",
            )
        )
    figure.update_yaxes(title="people", rangemode="tozero", tickformat=",")
    return themed(figure, title)


def status_by_group(counts: pd.DataFrame, group: str, group_label: str) -> go.Figure:
    """Horizontal stacked bars: goals per status for each group (area of emphasis, region...).

    `counts` has columns `group`, status and count_goals (long form).
    """
    title = f"Goals by status and {group_label}"
    if counts.empty or counts["count_goals"].sum() == 0:
        return empty_figure(title)
    figure = go.Figure()
    for status, color in STATUS_COLORS.items():
        rows = counts[counts["status"] == status]
        if rows["count_goals"].sum() == 0:
            continue
        label = status.replace("_", " ")
        figure.add_trace(
            go.Bar(
                y=plain_texts(rows[group]),
                x=rows["count_goals"],
                name=label,
                orientation="h",
                marker={
                    "color": color,
                    "line": {"color": "#FFFFFF", "width": 1},
                    "pattern": {"shape": STATUS_PATTERNS[status], "fgcolor": STATUS_INK[status], "fgopacity": 0.35},
                },
                text=rows["count_goals"].where(rows["count_goals"] > 0),
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": STATUS_INK[status]},
                hovertemplate=f"%{{y}}<br>{label}: %{{x}} goals<extra></extra>",
                # What a click on the bar opens: the goals of this group and status (ui.navigation).
                customdata=[[name, status] for name in rows[group].astype(str)],
            )
        )
    figure.update_layout(barmode="stack", legend={"traceorder": "normal"})
    figure.update_xaxes(title="goals")
    # Group names are cut beside the bars (whole on hover and in the table beside the chart), so that on a phone
    # the bars keep most of the width and no name runs out of the chart's box.
    groups = list(dict.fromkeys(counts[group].astype(str)))
    figure.update_yaxes(
        autorange="reversed",
        title=None,
        tickvals=[plain(name) for name in groups],
        ticktext=[plain(shortened(name, GROUP_NAME_CHARACTERS)) for name in groups],
    )
    return themed(figure, title, height=160 + 40 * counts[group].nunique())
