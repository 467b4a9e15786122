"""The app's addresses for one goal and one affiliate: where an item of a digest, an alert or the board pack links.

One home for the URL scheme of the pages that items link to, so that the "What changed" page (same-tab
navigation with `st.switch_page`), the e-mails and the PDF (absolute links under `Settings.app_url`) agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

# The page files the links open, relative to the project root, and their addresses: as ui.navigation.PAGES
# declares them (a test checks they agree; core cannot import ui).
GOALS_PAGE = "pages/goals.py"
PROFILE_PAGE = "pages/affiliate.py"
# The profile's own query parameter: ?id=<affiliate_id> (ui.navigation and the profile page read it here).
PROFILE_ID = "id"


@dataclass(frozen=True)
class Link:
    """A page of the app and its query parameters."""

    page: str  # a page file, e.g. pages/affiliate.py
    url_path: str  # its address in the app, e.g. affiliate
    params: tuple[tuple[str, str], ...]

    @property
    def path(self) -> str:
        """The address relative to the app's root, e.g. `affiliate?id=state-ca`.

        >>> profile_link("state-ca").path
        'affiliate?id=state-ca'
        """
        return f"{self.url_path}?{urlencode(self.params)}"

    def url(self, app_url: str) -> str:
        """The absolute address under the app's own (`Settings.app_url`), or "" when that is not set.

        >>> profile_link("state-ca").url("https://insights.example.org")
        'https://insights.example.org/affiliate?id=state-ca'
        >>> profile_link("state-ca").url("")
        ''
        """
        return f"{app_url.rstrip('/')}/{self.path}" if app_url else ""


def profile_link(affiliate_id: str) -> Link:
    """The affiliate's profile page."""
    return Link(PROFILE_PAGE, "affiliate", ((PROFILE_ID, str(affiliate_id)),))


def goal_link(goal_id: str, affiliate_name: str, title: str) -> Link:
    """The Goals page showing one goal's progress over time.

    The Goals page binds its "Show progress of" and "Goal" choices to the URL by their labels (a bound
    selectbox writes its label, not its value), so the link names the choice "One goal" and the goal as the
    page lists it, "<affiliate> — <title>". When the page takes a stable goal id, only this function changes.

    >>> goal_link("G0001", "Cal-ICMA", "Grow dual membership").path
    'goals?goals_subject=One+goal&goals_goal=Cal-ICMA+%E2%80%94+Grow+dual+membership'
    """
    label = f"{affiliate_name} — {title}"
    return Link(GOALS_PAGE, "goals", (("goals_subject", "One goal"), ("goals_goal", label)))
