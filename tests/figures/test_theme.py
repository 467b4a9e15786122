"""The one theme: statuses told apart without colour and by readers with any colour-vision deficiency, text that
reads on its fill, no text under the smallest size, legends placed in the figure's own box."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.figures import calendar_charts, charts, maps, theme

# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color vision
# deficiency", severity 1.0: matrices on linear RGB.
SIMULATIONS: dict[str, list[list[float]]] = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
# CIE76 colour difference two neighbouring categories keep at least, in every simulation: about the step
# between two adjacent colours of a five-class ColorBrewer scale. The palette before this theme had 14.6
# (overdue and not started, deuteranopia) and "at risk" against "off track" at 18.3 (deuteranopia).
MIN_DIFFERENCE = 20.0


def linear_rgb(color: str) -> np.ndarray:
    values = np.array([int(color.lstrip("#")[index : index + 2], 16) / 255 for index in (0, 2, 4)])
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    scaled = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(scaled > 0.008856, np.cbrt(scaled), 7.787 * scaled + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def difference(first: str, second: str, simulation: str | None) -> float:
    a, b = linear_rgb(first), linear_rgb(second)
    if simulation:
        matrix = np.array(SIMULATIONS[simulation])
        a, b = np.clip(matrix @ a, 0, 1), np.clip(matrix @ b, 0, 1)
    return float(np.linalg.norm(lab(a) - lab(b)))


PALETTES = {
    "goal statuses": theme.STATUS_COLORS,
    "activity levels": maps.ACTIVITY_LEVEL_COLORS,
    "agreement statuses": maps.AGREEMENT_STATUS_COLORS,
}


@pytest.mark.parametrize("simulation", [None, *SIMULATIONS])
@pytest.mark.parametrize("palette", list(PALETTES))
def test_every_two_categories_stay_apart_for_every_kind_of_colour_vision(palette, simulation):
    colors = PALETTES[palette]
    closest = min((difference(colors[a], colors[b], simulation), a, b) for a, b in itertools.combinations(colors, 2))
    assert closest[0] >= MIN_DIFFERENCE, closest


def test_the_old_at_risk_and_off_track_colours_fail_the_check():
    # The colours this theme replaced: what the check is for (they looked alike in the report).
    assert difference("#E69F00", "#D55E00", "deuteranopia") < MIN_DIFFERENCE


def test_each_status_has_its_own_pattern_and_marker_symbol():
    statuses = list(theme.STATUS_COLORS)
    assert list(theme.STATUS_PATTERNS) == statuses and list(theme.STATUS_SYMBOLS) == statuses
    assert len(set(theme.STATUS_PATTERNS.values())) == len(statuses)
    assert len(set(theme.STATUS_SYMBOLS.values())) == len(statuses)
    assert len(set(calendar_charts.ORGANIZER_PATTERNS.values())) == len(calendar_charts.ORGANIZER_PATTERNS)


def test_text_written_on_a_fill_reads_at_4_5_to_1():
    for status, color in theme.STATUS_COLORS.items():
        assert theme.contrast_ratio(theme.STATUS_INK[status], color) >= 4.5, status
    for organizer, (fill, ink) in calendar_charts.ORGANIZER_COLORS.items():
        assert theme.contrast_ratio(ink, fill) >= 4.5, organizer
    fill, ink = calendar_charts.CANCELLED_COLORS
    assert theme.contrast_ratio(ink, fill) >= 4.5
    for ink in (theme.INK, theme.MUTED_INK):
        assert theme.contrast_ratio(ink, "#FFFFFF") >= 4.5


def font_sizes(node: object) -> list[float]:
    """Every font size set anywhere in a plotly layout (as a plain dict)."""
    if isinstance(node, dict):
        sizes = [node["size"] for key in ("size",) if key in node and isinstance(node["size"], int | float)]
        return sizes + [size for value in node.values() for size in font_sizes(value)]
    if isinstance(node, list):
        return [size for value in node for size in font_sizes(value)]
    return []


def test_no_text_of_the_theme_is_smaller_than_the_smallest_size():
    template = theme.pio.templates["icma"].layout.to_plotly_json()
    fonts = {key: value for key, value in template.items() if "font" in key or key in ("title", "legend")}
    assert min(font_sizes(fonts)) >= theme.MIN_FONT_SIZE
    assert template["uniformtext"] == {"minsize": theme.MIN_FONT_SIZE, "mode": "hide"}


def test_a_legend_below_sits_in_the_figures_own_box_and_shows_a_single_entry():
    figure = theme.legend_below(theme.themed(go.Figure(go.Bar(x=[1], y=[2], name="only")), "One bar"))
    legend = figure.layout.legend
    assert (legend.yref, legend.y, legend.yanchor, legend.orientation) == ("container", 0, "bottom", "h")
    assert figure.layout.showlegend is True


def test_the_accessible_name_is_the_title_in_plain_words():
    figure = theme.themed(go.Figure(), "Members by region & type")
    assert figure.layout.title.text == "Members by region &amp; type"
    assert theme.accessible_name(figure) == "Chart: Members by region & type."
    assert theme.accessible_name(go.Figure()) == "Chart."


def test_a_long_title_is_wrapped_to_fit_a_phone_and_its_name_reads_as_one_line():
    figure = theme.themed(go.Figure(), "League of Cities of the Philippines: average progress of its goals")
    assert all(len(line) <= theme.TITLE_LINE_CHARACTERS for line in figure.layout.title.text.split("<br>"))
    assert theme.accessible_name(figure) == "Chart: League of Cities of the Philippines: average progress of its goals."


def test_long_group_names_are_cut_beside_the_status_bars():
    long_name = "Membership Development, Engagement, and Support"
    counts = pd.DataFrame({"area": [long_name, "Ethics"], "status": ["on_track", "at_risk"], "count_goals": [3, 1]})
    figure = charts.status_by_group(counts, "area", "area")
    assert list(figure.layout.yaxis.tickvals) == [long_name, "Ethics"]
    assert figure.layout.yaxis.ticktext[0] == theme.shortened(long_name, charts.GROUP_NAME_CHARACTERS)
    assert figure.layout.yaxis.ticktext[1] == "Ethics"
