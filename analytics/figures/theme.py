"""The one look of every figure: colours, shapes, fonts, where legends go, and how a figure is named.

Every chart of the app and of the briefing pack is drawn in the plotly template registered here (made
the default), and reads its colours and shapes from here, so a status looks the same everywhere:

- a status is never told by colour alone: each has a colour, a bar pattern and a marker symbol, and
  every chart names it in words (legend, labels, hover); the colours stay apart for readers with any
  of the three colour-vision deficiencies (tests/figures/test_theme.py simulates them);
- a legend sits at the bottom of the figure's own box (`yref="container"`), where plotly reserves room
  for it however many rows it wraps into on a narrow screen, so it is never clipped below the chart;
- the text is at least 12 px (`MIN_FONT_SIZE`), so nothing is smaller than 11 px on a phone;
- `accessible_name` is what a screen reader says for the chart (ui.components.chart passes it on).
"""

from __future__ import annotations

import html
import re
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif'
INK = "#1A1A1A"  # text: 17:1 on white
MUTED_INK = "#555555"  # notes and secondary labels: 7.5:1 on white
GRID = "#E6E6E6"
MIN_FONT_SIZE = 12  # no text of a figure is drawn smaller (bar labels that do not fit are hidden)
# The longest line of a chart's title: 16 px text in a phone's 358 px wide chart.
TITLE_LINE_CHARACTERS = 44


def relative_luminance(color: str) -> float:
    """WCAG's relative luminance of a "#RRGGBB" colour: 0 for black, 1 for white."""
    channels = [int(color.lstrip("#")[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4 for value in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21 (text needs 4.5).

    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
    21.0
    """
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (for labels written on bars).

    >>> ink_on("#0B5394"), ink_on("#E69F00")
    ('#FFFFFF', '#000000')
    """
    return "#000000" if contrast_ratio("#000000", fill) >= contrast_ratio("#FFFFFF", fill) else "#FFFFFF"


# Goal statuses, best to worst, then not started: a blue-to-orange scale (the axis every colour-vision
# deficiency keeps) that also steps in lightness, a pattern for bars and a symbol for markers.
STATUS_COLORS: dict[str, str] = {
    "achieved": "#08306B",
    "on_track": "#4A98C9",
    "at_risk": "#FDB863",
    "off_track": "#D95F02",
    "overdue": "#7F2704",
    "not_started": "#C8C8C8",
}
# The text written on each status's fill: black or white, whichever reads better (4.5:1 or more).
STATUS_INK: dict[str, str] = {status: ink_on(color) for status, color in STATUS_COLORS.items()}
STATUS_PATTERNS: dict[str, str] = {
    "achieved": "",
    "on_track": "|",
    "at_risk": "/",
    "off_track": "x",
    "overdue": ".",
    "not_started": "-",
}
STATUS_SYMBOLS: dict[str, str] = {
    "achieved": "star",
    "on_track": "circle",
    "at_risk": "triangle-up",
    "off_track": "triangle-down",
    "overdue": "x",
    "not_started": "circle-open",
}

# Lines and their markers: each series differs by colour, dash and marker shape (Okabe-Ito colours).
SERIES_COLORS: tuple[str, ...] = ("#0B5394", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#666666")
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKERS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "x", "star")

# Legends sit at the bottom of the figure's box: plotly reserves the room a container-anchored legend
# needs, however many rows it wraps into, so it never runs below the chart and is never clipped.
LEGEND_BELOW: dict = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "xref": "paper",
    "x": 0,
    "xanchor": "left",
    "title": None,
    "font": {"size": 13},
}
# Bar labels that would have to shrink below the smallest size are hidden instead (the hover and the
# table beside the chart still give the number).
UNIFORM_TEXT: dict = {"minsize": MIN_FONT_SIZE, "mode": "hide"}


# The shared look as a registered plotly template, made the default for every figure: plotly validates
# it once here instead of on every figure (applying a template to a built figure copies and validates it
# again, ~20 ms a figure). It starts from plotly's own default, with the app's font, margins, legend,
# background, colours and grid on top.
pio.templates["icma"] = go.layout.Template(pio.templates["plotly"]).update(
    layout={
        "title": {"x": 0, "xanchor": "left", "xref": "container", "font": {"size": 16, "color": INK}},
        "font": {"family": FONT_FAMILY, "size": 13, "color": INK},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 20},
        "legend": LEGEND_BELOW,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}},
        "colorway": list(SERIES_COLORS),
        "uniformtext": UNIFORM_TEXT,
        "xaxis": {"showgrid": False, "linecolor": "#767676", "automargin": True, "tickfont": {"size": 12}},
        "yaxis": {"gridcolor": GRID, "zeroline": False, "automargin": True, "tickfont": {"size": 12}},
    }
)
pio.templates.default = "icma"


def plain(text: object) -> str:
    """Text from data as plotly shows it: exactly as written. Plotly reads a subset of HTML in every text it
    draws (titles, labels, legend names, hover: `<b>`, `<a href>`, `<br>`, entities), so `&`, `<` and `>` are
    written as entities, which plotly turns back into the characters. Every name, place or narrative from the
    data passes here before it joins a figure's text; the figure's own markup (`<br>`, `<b>`) is added after.

    >>> plain('<a href="http://x">Cal & Co</a>')
    '&lt;a href="http://x"&gt;Cal &amp; Co&lt;/a&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def template_text(text: object) -> str:
    """`plain`, for text written into a hovertemplate, where `%{` would also start a placeholder.

    >>> template_text("50% {x} <b>")
    '50% {x} &lt;b&gt;'
    >>> template_text("%{y}")
    '%&#123;y}'
    """
    return plain(text).replace("%{", "%&#123;")


def plain_texts(values: pd.Series, missing: str = "") -> pd.Series:
    """`plain` for every value of a column (a missing value is `missing`), as an object column."""
    objects = values.astype("object")
    present = objects.notna()
    # Each distinct value is made plain once: a column of 40,000 event names holds a few hundred.
    texts = {value: plain(value) for value in pd.unique(objects[present])}
    result = np.full(len(objects), missing, dtype=object)
    result[present.to_numpy()] = objects[present].map(texts).to_numpy()
    return pd.Series(result, index=objects.index, name=values.name, dtype=object)


def shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, an ellipsis marking the cut (for titles and legend names).

    >>> shortened("Cal-ICMA", 12)
    'Cal-ICMA'
    >>> shortened("League of Women in Government", 12)
    'League of W…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrapped_title(title: str, width: int = TITLE_LINE_CHARACTERS) -> str:
    """`title` (plain text, names from data included) in lines of at most `width` characters (plotly never
    wraps a title; a long one ran out of the chart on a phone), each line shown as written (`plain`).

    >>> wrapped_title("League of Cities of the Philippines: average progress of its goals", 44)
    'League of Cities of the Philippines: average<br>progress of its goals'
    >>> wrapped_title("<b>Goals</b> & more")
    '&lt;b&gt;Goals&lt;/b&gt; &amp; more'
    """
    lines = [title]
    if len(title) > width:
        lines = textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(plain(line) for line in lines)


def themed(figure: go.Figure, title: str, height: int = 360) -> go.Figure:
    """A title (wrapped to fit a phone's width) and a height; the rest of the look is the default "icma" template."""
    figure.layout.title.text = wrapped_title(title)
    figure.layout.height = height
    return figure


def legend_below(figure: go.Figure, **legend: object) -> go.Figure:
    """The legend at the bottom of the figure's box (`LEGEND_BELOW`), with `legend` on top of it, shown even
    when it has a single entry (plotly hides a legend of one entry: the US map lost "No affiliated association"
    that way, its other states being named by the colour bar)."""
    figure.update_layout(legend={**LEGEND_BELOW, **legend}, showlegend=True)
    return figure


def empty_figure(title: str, message: str = "No data for the chosen filters.") -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, font={"size": 14, "color": MUTED_INK}, xref="paper", yref="paper", x=0.5, y=0.5
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return themed(figure, title, height=200)


def accessible_name(figure: go.Figure) -> str:
    """What a screen reader says for the chart: its title, as plain text.

    >>> accessible_name(themed(go.Figure(), "Goals by status & area"))
    'Chart: Goals by status & area.'
    >>> accessible_name(themed(go.Figure(), "<b>Cal-ICMA</b>: progress"))
    'Chart: <b>Cal-ICMA</b>: progress.'
    """
    title = figure.layout.title.text or ""
    text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", title))).strip()
    return f"Chart: {text}." if text else "Chart."
