"""Pure functions from DataFrame to plotly Figure, with one shared theme.

Every figure says what it shows in its title and axis labels, uses colour and a second cue
(labels, patterns or order) together, and renders an explicit "no data" note when empty.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Status colours, colour-blind safe (Okabe-Ito), always paired with the status name in labels.
STATUS_COLORS: dict[str, str] = {
    "achieved": "#009E73",
    "on_track": "#56B4E9",
    "at_risk": "#E69F00",
    "off_track": "#D55E00",
    "overdue": "#CC79A7",
    "not_started": "#BBBBBB",
}
SERIES_COLORS: tuple[str, ...] = ("#0B5394", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
# Line dashes, so that lines differ by more than their colour.
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
FONT_FAMILY = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"
# Legends sit under the plot, at the bottom of the figure, so they never cover the title.
LEGEND_BELOW: dict = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "title": None}


# The shared look as a registered plotly template, made the default for every figure: plotly validates
# it once here instead of on every figure (applying a template to a built figure copies and validates it
# again, ~20 ms a figure). It starts from plotly's own default (what figures had before), with the app's
# font, margins, legend, background, colours and grid on top.
pio.templates["icma"] = go.layout.Template(pio.templates["plotly"]).update(
    layout={
        "title": {"x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT_FAMILY, "size": 13},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 60},
        "legend": LEGEND_BELOW,
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "colorway": list(SERIES_COLORS),
        "xaxis": {"showgrid": False, "linecolor": "#999"},
        "yaxis": {"gridcolor": "#eee", "zeroline": False},
    }
)
pio.templates.default = "icma"


def shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, an ellipsis marking the cut (for titles and legend names).

    >>> shortened("Cal-ICMA", 12)
    'Cal-ICMA'
    >>> shortened("League of Women in Government", 12)
    'League of W…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def themed(figure: go.Figure, title: str, height: int = 360) -> go.Figure:
    """A title and a height; the rest of the look is the default "icma" template."""
    figure.layout.title.text = title
    figure.layout.height = height
    return figure


def empty_figure(title: str, message: str = "No data for the chosen filters.") -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, font={"size": 14, "color": "#666"}, xref="paper", yref="paper", x=0.5, y=0.5
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return themed(figure, title, height=200)


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
                y=rows[group],
                x=rows["count_goals"],
                name=label,
                orientation="h",
                marker_color=color,
                text=rows["count_goals"].where(rows["count_goals"] > 0),
                textposition="inside",
                hovertemplate=f"%{{y}}<br>{label}: %{{x}} goals<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title="goals")
    figure.update_yaxes(autorange="reversed", title=None)
    return themed(figure, title, height=120 + 40 * counts[group].nunique())
