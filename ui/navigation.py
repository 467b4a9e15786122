"""The app's pages, declared once: app.py's navigation, the links between pages, the tests and the benchmark read it.

Each entry says where the page's script is, how it is named and reached (`/coverage`), and what a person
must be allowed to do to see it in the menu (an action of analytics.auth.roles; a page that changes data
checks the role again itself, since anyone may type its address).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl

import pandas as pd
import streamlit as st

from analytics.auth.roles import Identity, Role
from analytics.core.links import PROFILE_ID, Link
from analytics.domain.goals import STATUS_LABELS
from ui.auth import visible_to
from ui.text import literal


@dataclass(frozen=True)
class PageEntry:
    """One page of the app."""

    script: str  # "pages/overview.py", relative to app.py
    title: str
    icon: str  # an emoji: a material icon would load its font from the internet
    url_path: str  # the page's address: /<url_path>
    action: str = "view"  # who sees it in the menu: people who may do this
    is_default: bool = False  # the page at the app's own address, /
    leads_for: Role | None = None  # first in the menu, and the page at /, for a person whose highest role is this


PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/my_work.py", "My work", "🧭", "my_work", action="record", leads_for=Role.LIAISON),
    PageEntry("pages/overview.py", "Overview", "🏠", "overview", is_default=True),
    PageEntry("pages/goals.py", "Goals", "🎯", "goals"),
    PageEntry("pages/changes.py", "What changed", "🔄", "changes"),
    PageEntry("pages/calendar.py", "Event calendar", "📅", "calendar"),
    PageEntry("pages/coverage.py", "Coverage", "🗺️", "coverage"),
    PageEntry("pages/affiliate.py", "Affiliate profile", "🏛️", "affiliate"),
    PageEntry("pages/membership.py", "Membership", "👥", "membership"),
    PageEntry("pages/upload.py", "Upload data", "📤", "upload", action="upload"),
    PageEntry("pages/roles.py", "Roles", "🔑", "roles", action="manage_roles"),
)


def page_entry(url_path: str) -> PageEntry:
    """The page reached at /<url_path> (KeyError for an address the app does not have)."""
    for entry in PAGES:
        if entry.url_path == url_path:
            return entry
    raise KeyError(url_path)


PROFILE = page_entry("affiliate")
GOALS = page_entry("goals")
COVERAGE = page_entry("coverage")
MEMBERSHIP = page_entry("membership")
# The Goals page's list of goals is under this header; a drill-through that filters the list says where it is.
GOAL_LIST_HEADER = "Goal list"


def goal_list_params(status: str | None = None, area: str | None = None, only_stale: bool = False) -> dict[str, str]:
    """The Goals page's goal list narrowed to what a card, bar or cell counts: its bound choices as the URL holds
    them (a bound select box writes its label, so a status travels as "at risk").

    >>> goal_list_params("at_risk", "Ethics")
    {'goals_area': 'Ethics', 'goals_status': 'at risk'}
    >>> goal_list_params(only_stale=True)
    {'goals_only_stale': 'true'}
    """
    params = {}
    if area:
        params["goals_area"] = area
    if status:
        params["goals_status"] = STATUS_LABELS[status]
    if only_stale:
        params["goals_only_stale"] = "true"
    return params


def drill_link(container, text: str, entry: PageEntry, params: dict[str, str] | None = None) -> None:
    """A card's way to the detail behind it: a link to `entry` in the same tab, with `params` (the shared filters
    are bound widgets and travel by themselves)."""
    container.page_link(entry.script, label=text, icon="↘️", query_params=params or {})


def menu_for(identity: Identity) -> list[tuple[PageEntry, bool]]:
    """The pages in menu order for this person, each with whether it is the page at /: for a liaison (a person
    whose highest role is liaison) My work comes first and opens at /, for everyone else the Overview."""
    highest = max(identity.roles, key=list(Role).index, default=None)
    leading = [entry for entry in PAGES if entry.leads_for is not None and entry.leads_for == highest]
    if not leading:
        return [(entry, entry.is_default) for entry in PAGES]
    return [(entry, entry is leading[0]) for entry in (*leading, *(entry for entry in PAGES if entry not in leading))]


def navigation_pages(identity: Identity) -> list[st.Page]:
    """The pages for st.navigation, each shown in the menu to those who may use it."""
    return [
        st.Page(
            entry.script,
            title=entry.title,
            icon=entry.icon,
            url_path=entry.url_path,
            default=is_default,
            visibility=visible_to(identity, entry.action),
        )
        for entry, is_default in menu_for(identity)
    ]


def profile_links(affiliate_ids: pd.Series, as_of: date) -> pd.Series:
    """Relative links to each affiliate's profile, keeping the as-of date (for a table's link column)."""
    return f"{PROFILE.url_path}?{PROFILE_ID}=" + affiliate_ids.astype("str") + f"&as_of={as_of:%Y-%m-%d}"


def profile_link_of(path: str) -> Link:
    """The Link behind a `profile_links` address ("affiliate?id=state-ca&as_of=2026-11-27")."""
    return Link(PROFILE.script, PROFILE.url_path, tuple(parse_qsl(path.partition("?")[2])))


def open_selected_row(event, links: Sequence[Link | None]) -> None:
    """After a row of a table is selected: open what the row leads to (`links`, by row) in the same tab.

    A LinkColumn would open a new tab (a new session), so a table whose rows lead somewhere is shown with
    single-row selection and this call instead (ui.labels.show_table's `links`).
    """
    rows = event.selection.rows if event is not None else []
    if rows and (link := links[rows[0]]) is not None:
        st.switch_page(link.page, query_params=dict(link.params))


def open_profile_from_selection(selection, affiliate_ids_by_place: dict[str, list[str]], names: dict) -> None:
    """After a click on a map: open the profile of the place's only affiliate, or list its affiliates.

    Only `id` is passed on: the shared filters (as_of...) are bound widgets and travel by themselves.
    """
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        points = []
    places = [point["customdata"][0] for point in points if point.get("customdata")]
    if not places:
        return
    place = places[0]
    affiliate_ids = affiliate_ids_by_place.get(place, [])
    if len(affiliate_ids) == 1:
        st.switch_page(PROFILE.script, query_params={PROFILE_ID: affiliate_ids[0]})
    elif affiliate_ids:
        st.caption(f"{literal(place)}: {len(affiliate_ids)} affiliates. Open one:")
        for affiliate_id in affiliate_ids:
            st.page_link(
                PROFILE.script,
                label=literal(names.get(affiliate_id, affiliate_id)),
                query_params={PROFILE_ID: affiliate_id},
            )
    else:
        st.caption(f"{literal(place)}: no affiliate in the data.")


def open_goals_of_bar(selection) -> None:
    """After a click on a bar of goals by status and area (figures.charts.status_by_group, whose bars carry
    [area, status] as customdata): open the Goals page's list of those goals in the same tab."""
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        points = []
    bars = [point["customdata"] for point in points if point.get("customdata")]
    if bars:
        area, status = bars[0][:2]
        st.switch_page(GOALS.script, query_params=goal_list_params(status, area))
