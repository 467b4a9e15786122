"""A digest scoped to a goal owner covers that owner's goals and their check-ins only (tiny data: G0001 is Avery
Stone's by its owner_id, G0003 Jordan Lee's as its agreement's liaison)."""

from __future__ import annotations

import datetime as dt

from analytics.core.settings import Settings
from analytics.reports.gather import GOAL_OWNER_COLUMN, Scope, query_results
from analytics.store.reader import Store


def owned(data_dir, owner: str | None) -> tuple[set[str], set[str]]:
    results = query_results(
        Store(data_dir),
        Scope(goal_owner=owner),
        dt.date(2025, 1, 1),
        dt.date(2026, 11, 30),
        Settings(data_dir=data_dir),
        ("goals_in_scope", "goal_checkins_in_scope"),
    )
    return set(results["goals_in_scope"]["goal_id"]), set(results["goal_checkins_in_scope"]["goal_id"])


def test_the_goals_query_names_each_goals_owner_by_e_mail(tiny_data_dir):
    goals = Store(tiny_data_dir).query("goals_in_scope", regions=[], types=[], as_of=dt.date(2026, 11, 30))
    owners = dict(zip(goals["goal_id"], goals[GOAL_OWNER_COLUMN], strict=True))
    assert owners == {
        "G0001": "avery.stone@example.org",
        "G0002": "morgan.reyes@example.org",
        "G0003": "jordan.lee@example.org",
    }


def test_a_digest_scoped_to_an_owner_covers_their_goals_only(tiny_data_dir):
    assert owned(tiny_data_dir, "Avery.Stone@example.org") == ({"G0001"}, {"G0001"})
    assert owned(tiny_data_dir, "jordan.lee@example.org") == ({"G0003"}, {"G0003"})
    assert owned(tiny_data_dir, None) == ({"G0001", "G0002", "G0003"}, {"G0001", "G0002", "G0003"})
