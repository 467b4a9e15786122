"""What changed, the digest preview and the alert rules, for the pages: kept per state of the data and filters.

The "What changed" page and the digest command read the same definition (analytics.domain.changes) from the
same queries; here they are run through ui.data's cache, and the result kept by `ui.data.kept_per_data` (never
changed once built), so a rerun (a row selected, a button) reads it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from analytics.core.errors import AnalyticsError
from analytics.domain import alerts, changes
from analytics.domain.goals import GoalStatusRules
from analytics.figures import changes_report, rendering
from analytics.figures.digest import IMAGE_HEIGHT, IMAGE_WIDTH, Digest, InlineImage, digest
from analytics.reports.gather import read_alert_rules
from analytics.store.ledger import batches
from ui.components import show_error
from ui.data import kept_per_data, run_query, settings
from ui.labels import show_table


@kept_per_data(max_entries=16)
def _what_changed(
    params: dict[str, Any], since: dt.date, at_risk_below: float, off_track_below: float
) -> changes.Changes:
    rules = GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    query_params = changes.query_params(params, since, rules)
    results = {name: run_query(name, **query_params) for name in changes.QUERIES}
    return changes.what_changed(
        results,
        batches(settings().data_dir),
        since,
        params["as_of"],
        renewal_window_months=params["renewal_window_months"],
        rules=rules,
    )


def what_changed(params: dict[str, Any], since: dt.date, rules: GoalStatusRules) -> changes.Changes:
    """What changed after `since` up to the as-of date of `params` (ui.data.scope_params)."""
    return _what_changed(params, since, rules.at_risk_below, rules.off_track_below)


@kept_per_data(max_entries=16)
def _report(
    params: dict[str, Any], since: dt.date, at_risk_below: float, off_track_below: float
) -> tuple[tuple[changes_report.Section, ...], tuple[changes_report.ChangeFigure, ...]]:
    rules = GoalStatusRules(at_risk_below=at_risk_below, off_track_below=off_track_below)
    found = what_changed(params, since, rules)
    return tuple(changes_report.sections(found)), tuple(changes_report.change_figures(found))


def report(
    params: dict[str, Any], since: dt.date, rules: GoalStatusRules
) -> tuple[tuple[changes_report.Section, ...], tuple[changes_report.ChangeFigure, ...]]:
    """The sections and charts of what changed (analytics.figures.changes_report), kept like `what_changed`:
    at scale 900 a section's links (one per row) and the charts took 0.5 s to build again on every rerun."""
    return _report(params, since, rules.at_risk_below, rules.off_track_below)


def preview_digest(found: changes.Changes, scope_text: str, note: str = "") -> tuple[Digest, str]:
    """The digest e-mail of `found`, its charts drawn by Chromium, and a warning when they could not be."""
    warning = ""
    images: tuple[InlineImage, ...] = ()
    try:
        with rendering.static_images() as png:
            images = tuple(
                InlineImage(chart.key, png(chart.figure, IMAGE_WIDTH, IMAGE_HEIGHT), chart.alt)
                for chart in changes_report.change_figures(found)
            )
    except Exception as error:  # noqa: BLE001 - the preview still shows the text when no browser can draw charts
        warning = f"The charts could not be drawn here ({type(error).__name__}); the e-mail itself carries them."
    return digest(found, scope_text, settings().app_url, note, images), warning


def alert_rules_panel() -> None:
    """The alert rules in force, where they come from, and the command that tells each occurrence once."""
    path = settings().alert_rules_path
    try:
        rules = read_alert_rules(path)
    except AnalyticsError as error:  # a broken rules file is told here; the rest of the Goals page still shows
        show_error(error)
        return
    source = "the rules file" if path.is_file() else "the defaults (write a rules file to change them)"
    # The command is Markdown, not a caption: code in a caption is drawn at 10.5 px.
    st.caption(f"Rules from {source}, AFFILIATE_ALERT_RULES_FILE (README, Digest, alerts and the board pack).")
    st.markdown("`python -m analytics alerts --since DATE` lists or sends each occurrence once.")
    show_table(alerts.rules_table(rules), key="alert_rules_table")
