"""What the digest, the alerts and the board pack show, read from a store for one scope and window.

A `Scope` is what one digest covers: regions and affiliate types (as the app's shared filters; empty means
all) and the owner whose goals it is about (`goal_owner`, an e-mail address): `scoped_goals` is the one place
that narrows the goals to an owner's, by `GOAL_OWNER_COLUMN` of the goals query (the store's view goal_owners).
Recipients come from `--to` (one scope) or a recipients file (`read_recipients`).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.core.errors import AnalyticsError
from analytics.core.frames import is_among
from analytics.core.schema import AFFILIATE_TYPES, ICMA_REGIONS
from analytics.core.settings import Settings
from analytics.domain import alerts, changes
from analytics.domain.goals import GoalStatusRules
from analytics.domain.membership import MAX_CARRY_MONTHS
from analytics.figures import briefing
from analytics.store.ledger import batches
from analytics.store.reader import Store

# The column of goals_in_scope that names a goal's owner by e-mail address (the store's view goal_owners).
GOAL_OWNER_COLUMN = "owner_email"
# Regions a scope may name: ICMA's regions, and "National" for the national affiliates (as the app's filter).
SCOPE_REGIONS: tuple[str, ...] = (*ICMA_REGIONS, "National")


@dataclass(frozen=True)
class Scope:
    regions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    goal_owner: str | None = None

    def __post_init__(self) -> None:
        unknown = [region for region in self.regions if region not in SCOPE_REGIONS]
        if unknown:
            raise AnalyticsError(f"unknown region(s) {', '.join(unknown)}; the regions are: {', '.join(SCOPE_REGIONS)}")
        unknown = [kind for kind in self.types if kind not in AFFILIATE_TYPES]
        if unknown:
            raise AnalyticsError(
                f"unknown affiliate type(s) {', '.join(unknown)}; the types are: {', '.join(AFFILIATE_TYPES)}"
            )

    @property
    def text(self) -> str:
        """The scope in words.

        >>> Scope(("Southeast",), ("state",)).text
        'State affiliates in Southeast'
        >>> Scope().text
        'All affiliates in every region'
        """
        types = ", ".join(self.types) or "all"
        words = f"{types[0].upper()}{types[1:]} affiliates in {', '.join(self.regions) or 'every region'}"
        return words + (f", goals owned by {self.goal_owner}" if self.goal_owner else "")

    @property
    def slug(self) -> str:
        """A short name for files: "all", or the regions and types joined.

        >>> Scope(("West Coast",)).slug
        'west-coast'
        """
        parts = [*self.regions, *self.types] + ([self.goal_owner] if self.goal_owner else [])
        return "-".join(part.lower().replace(" ", "-").replace("@", "-at-") for part in parts) or "all"

    def params(self, as_of: dt.date, settings: Settings) -> dict[str, object]:
        """The shared query parameters for this scope (as ui.data.scope_params gives the pages)."""
        return {
            "regions": list(self.regions),
            "types": list(self.types),
            "as_of": as_of,
            "renewal_window_months": settings.renewal_window_months,
            "max_carry_months": MAX_CARRY_MONTHS,
        }


def scoped_goals(goal_rows: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The goals a scope is about: all of them, or those its goal owner owns."""
    if scope.goal_owner is None:
        return goal_rows
    if GOAL_OWNER_COLUMN not in goal_rows.columns:
        raise AnalyticsError(f"goals have no owners yet (no {GOAL_OWNER_COLUMN} column): scope this digest by region")
    return goal_rows[goal_rows[GOAL_OWNER_COLUMN].astype("object").str.lower() == scope.goal_owner.lower()]


@dataclass(frozen=True)
class Recipients:
    scope: Scope
    addresses: tuple[str, ...]


def read_recipients(path: Path) -> list[Recipients]:
    """A recipients file: CSV with the columns email and regions (ICMA regions separated by ";", empty for the
    whole network), one row per person; people with the same regions share one digest."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as file:
            rows = list(csv.DictReader(file))
    except OSError as error:
        raise AnalyticsError(f"cannot read the recipients file {path}: {error.strerror}") from None
    if rows and "email" not in rows[0]:
        raise AnalyticsError(f"{path}: the recipients file needs an email column (and, optionally, regions)")
    grouped: dict[Scope, list[str]] = {}
    for number, row in enumerate(rows, start=2):
        address = (row.get("email") or "").strip()
        if "@" not in address:
            raise AnalyticsError(f"{path}, row {number}: {address!r} is not an e-mail address")
        regions = tuple(sorted(part.strip() for part in (row.get("regions") or "").split(";") if part.strip()))
        grouped.setdefault(Scope(regions=regions), []).append(address)
    return [Recipients(scope, tuple(addresses)) for scope, addresses in grouped.items()]


# Queries of goals and of their check-ins, each pair read together: the check-ins are narrowed with the goals.
GOAL_QUERY_PAIRS: tuple[tuple[str, str], ...] = (
    ("goals_in_scope", "goal_checkins_in_scope"),
    ("goals_changed_in_scope", "goal_checkins_of_changed_goals"),
)


def query_results(
    store: Store,
    scope: Scope,
    since: dt.date,
    as_of: dt.date,
    settings: Settings,
    names: Iterable[str],
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
):
    """The results of the named queries for a scope, window and thresholds, the goals narrowed to the scope's
    owner."""
    params = changes.query_params(scope.params(as_of, settings), since, rules)
    results = {name: store.query(name, **params) for name in names}
    for goals_name, checkins_name in GOAL_QUERY_PAIRS:
        if goals_name in results:
            results[goals_name] = scoped_goals(results[goals_name], scope)
            owned = set(results[goals_name]["goal_id"])
            checkins = results[checkins_name]
            results[checkins_name] = checkins[is_among(checkins["goal_id"], owned)]
    return results


@dataclass(frozen=True)
class Gathered:
    changes: changes.Changes
    results: dict[str, pd.DataFrame]


def gather(
    store: Store,
    scope: Scope,
    since: dt.date,
    as_of: dt.date,
    settings: Settings,
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> Gathered:
    """What changed in `(since, as_of]` for a scope, with the query results it came from (for the alerts)."""
    results = query_results(store, scope, since, as_of, settings, alerts.QUERIES, rules)
    found = changes.what_changed(
        results,
        batches(store.data_dir),
        since,
        as_of,
        renewal_window_months=settings.renewal_window_months,
        rules=rules,
    )
    return Gathered(found, results)


def goals_view(
    store: Store,
    scope: Scope,
    as_of: dt.date,
    settings: Settings,
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> briefing.GoalsView:
    """The Goals page's view for a scope on `as_of` (what the briefing pack shows)."""
    results = query_results(store, scope, as_of, as_of, settings, ("goals_in_scope", "goal_checkins_in_scope"))
    return briefing.goals_view(results["goals_in_scope"], results["goal_checkins_in_scope"], as_of, rules)


def read_alert_rules(path: Path) -> tuple[alerts.AlertRule, ...]:
    """The alert rules of the rules file, or DEFAULT_ALERT_RULES when there is none."""
    path = Path(path)
    if not path.is_file():
        return alerts.DEFAULT_ALERT_RULES
    return alerts.rules_from_toml(path.read_text(encoding="utf-8"), source=str(path))
