"""Figures of goal progress: pure functions from DataFrames to plotly Figures, in the shared theme.

Every figure names what it shows in its title and axes, pairs colour with a second cue (line dash,
marker shape, a label at the line's end) and renders an explicit "no data" note when empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.figures.theme import (
    DASHES,
    MARKERS,
    SERIES_COLORS,
    STATUS_COLORS,
    empty_figure,
    legend_below,
    plain,
    plain_texts,
    shortened,
    template_text,
    themed,
)

EVENT_COLOR = "#666666"
# The longest area name a legend entry shows whole (with its line sample it must fit a phone's width).
LEGEND_NAME_CHARACTERS = 34
# Narratives shown in one hover label before the rest are only counted.
NARRATIVES_PER_POINT = 3


def _add_event_markers(figure: go.Figure, events: pd.DataFrame, y: float) -> None:
    """Events as dotted vertical lines, with a diamond on the axis that names the event on hover."""
    if events is None or events.empty:
        return
    for start_on in events["start_on"]:
        figure.add_vline(x=start_on, line={"color": EVENT_COLOR, "dash": "dot", "width": 1}, opacity=0.5)
    figure.add_trace(
        go.Scatter(
            x=events["start_on"],
            y=[y] * len(events),
            mode="markers",
            name="Events of the affiliate",
            marker={"symbol": "diamond", "size": 11, "color": EVENT_COLOR},
            customdata=plain_texts(events["name"]).to_numpy().reshape(-1, 1),
            hovertemplate="Event: %{customdata[0]}<br>%{x|%Y-%m-%d}<extra></extra>",
        )
    )


def portfolio_chart(portfolio: pd.DataFrame, group: str = "area_of_emphasis") -> go.Figure:
    """Share of started goals achieved or on track at each month end, one line per `group` value.

    `portfolio` is `goals.portfolio_over_time(..., by=group)`. Each line has its own dash and
    marker shape as well as colour, and names its group on hover.
    """
    title = "Share of goals on track at each month end"
    shown = portfolio.dropna(subset=["share_on_track"]) if not portfolio.empty else portfolio
    if shown.empty:
        return empty_figure(title, "No goal had started in these months.")
    figure = go.Figure()
    for index, (name, rows) in enumerate(shown.groupby(group, sort=True)):
        rows = rows.sort_values("month_end")
        color = SERIES_COLORS[index % len(SERIES_COLORS)]
        figure.add_trace(
            go.Scatter(
                x=rows["month_end"],
                y=rows["share_on_track"] * 100,
                name=plain(shortened(str(name), LEGEND_NAME_CHARACTERS)),
                mode="lines+markers",
                line={"color": color, "dash": DASHES[index % len(DASHES)], "width": 2},
                marker={"size": 7, "symbol": MARKERS[index % len(MARKERS)]},
                customdata=rows[["count_goals_started"]].to_numpy(),
                hovertemplate=f"{template_text(name)}<br>%{{x|%b %Y}}: %{{y:.0f}}% of %{{customdata[0]}} "
                "started goals on track<extra></extra>",
            )
        )
    figure.update_yaxes(title="% of started goals on track", range=[0, 105], ticksuffix="%")
    figure.update_xaxes(title=None, dtick="M3", tickformat="%b %Y")
    # The legend (area names, each with its own dash and marker) goes below the plot, where long names fit;
    # each entry is wide enough for its line's dash and marker to show.
    return legend_below(themed(figure, title, height=520), entrywidth=0, itemwidth=50)


def goal_progress_chart(
    goal: Mapping[str, Any], checkins: pd.DataFrame, expected: pd.DataFrame, events: pd.DataFrame
) -> go.Figure:
    """One goal: reported values (narrative on hover), the expected path, the target, and events.

    `goal` is one row of the goals (title, unit, baseline_value, target_value, start_on, due_on);
    `checkins` its check-ins (reported_on, value, narrative); `expected` is `goals.expected_path`;
    `events` the affiliate's events (start_on, name).
    """
    unit = str(goal.get("unit") or "")
    title = f"{shortened(str(goal['title']), 60)}: reported vs expected"
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=expected["as_of"],
            y=expected["expected_value"],
            name="Expected path",
            mode="lines",
            line={"color": SERIES_COLORS[6], "dash": "dash", "width": 2},
            hovertemplate=f"Expected by %{{x|%Y-%m-%d}}: %{{y:,.4~g}} {unit}<extra></extra>",
        )
    )
    figure.add_hline(
        y=float(goal["target_value"]),
        line={"color": STATUS_COLORS["achieved"], "dash": "dot", "width": 2},
        annotation_text=f"target {float(goal['target_value']):,g} {unit}",
        annotation_position="top left",
    )
    if not checkins.empty:
        ordered = checkins.sort_values("reported_on")
        figure.add_trace(
            go.Scatter(
                x=ordered["reported_on"],
                y=ordered["value"],
                name="Reported",
                mode="lines+markers",
                line={"color": SERIES_COLORS[0], "width": 3},
                marker={"size": 9, "symbol": "circle"},
                customdata=plain_texts(ordered["narrative"], missing="(no narrative)").to_numpy().reshape(-1, 1),
                hovertemplate=f"Reported %{{x|%Y-%m-%d}}: %{{y:,.4~g}} {unit}<br>%{{customdata[0]}}<extra></extra>",
            )
        )
    values = [float(goal["baseline_value"]), float(goal["target_value"]), *checkins.get("value", [])]
    _add_event_markers(figure, events, min(values))
    figure.update_yaxes(title=unit or "value")
    figure.update_xaxes(title=None, tickformat="%b %Y")
    if checkins.empty:
        figure.add_annotation(
            text="No check-in reported yet", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5
        )
    return themed(figure, title, height=420)


def _narratives_by_month(checkins: pd.DataFrame) -> pd.Series:
    """Per month end, the narratives of the check-ins reported in that month, a few per line.

    `checkins` may be the month's first few only, with how many the month has in all as `count_in_month` (the
    store's goal_checkin_narratives_by_month, for a group too large to read every check-in of)."""
    if checkins.empty:
        return pd.Series(dtype=object)
    reported = checkins.dropna(subset=["narrative"]).sort_values("reported_on", kind="stable")
    month_end = reported["reported_on"].dt.to_period("M").dt.to_timestamp(how="end").dt.normalize().to_numpy()
    totals = (
        reported["count_in_month"].groupby(month_end).max()
        if "count_in_month" in reported.columns
        else reported.groupby(month_end).size()
    )

    def summary(narratives: pd.Series) -> str:
        shown = [plain(shortened(str(text), 90)) for text in narratives.head(NARRATIVES_PER_POINT)]
        more = int(totals[narratives.name]) - len(shown)
        return "<br>".join(["• " + text for text in shown] + ([f"…and {more} more"] if more > 0 else []))

    return reported["narrative"].groupby(month_end).apply(summary)


def group_progress_chart(
    progress: pd.DataFrame, checkins: pd.DataFrame, events: pd.DataFrame | None, subject: str
) -> go.Figure:
    """Average progress of a group of goals (an affiliate's, an area's) against what was expected.

    `progress` is `goals.progress_by_month`; `checkins` the group's check-ins (reported_on, narrative),
    whose narratives of each month show on hover; `events` are drawn as markers when given.
    """
    title = f"{shortened(subject, 60)}: average progress towards targets"
    shown = progress.dropna(subset=["mean_actual_pct"])
    if shown.empty:
        return empty_figure(title, "No goal had started in these months.")
    narratives = _narratives_by_month(checkins).reindex(shown["month_end"].to_numpy()).fillna("no check-in this month")
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=shown["month_end"],
            y=shown["mean_expected_pct"] * 100,
            name="Expected path (average)",
            mode="lines",
            line={"color": SERIES_COLORS[6], "dash": "dash", "width": 2},
            hovertemplate="Expected by %{x|%b %Y}: %{y:.0f}% of the way<extra></extra>",
        )
    )
    figure.add_hline(
        y=100,
        line={"color": STATUS_COLORS["achieved"], "dash": "dot", "width": 2},
        annotation_text="targets (100%)",
        annotation_position="top left",
    )
    figure.add_trace(
        go.Scatter(
            x=shown["month_end"],
            y=shown["mean_actual_pct"] * 100,
            name="Reported (average)",
            mode="lines+markers",
            line={"color": SERIES_COLORS[0], "width": 3},
            marker={"size": 6},
            customdata=list(zip(shown["count_goals_started"], narratives.to_numpy(), strict=True)),
            hovertemplate="%{x|%b %Y}: %{y:.0f}% of the way, %{customdata[0]} goals started<br>"
            "%{customdata[1]}<extra></extra>",
        )
    )
    _add_event_markers(figure, events, 0)
    figure.update_yaxes(title="% of the way from baseline to target", ticksuffix="%", rangemode="tozero")
    figure.update_xaxes(title=None, tickformat="%b %Y")
    return themed(figure, title, height=420)
