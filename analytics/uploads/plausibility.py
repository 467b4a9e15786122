"""Plausibility warnings: rows that pass every check but are far from what the store already knows.

A warning does not refuse a row. It says, in words, what looks wrong against the record's own history
("Texas: 2,109 members, +93% on its last report of 1,093 on 2026-09-30"); the analyst must acknowledge the
warnings to commit (the Upload page's and the forms' checkbox, `--accept-warnings` on the command line), and
the ledger records which warnings the committer acknowledged (analytics.uploads.pipeline). The thresholds are
settings (`warn_members_change`, `warn_icma_members_change`, `warn_beyond_target`). Each upload kind names its
warnings in its registry entry (`UploadKind.plausibility`); a kind without one never warns.
"""

from __future__ import annotations

import pandas as pd

from analytics.core.settings import Settings
from analytics.store.reader import Store

# How many warnings are listed one by one; the rest are counted.
WARNINGS_LISTED = 50


def membership_warnings(rows: pd.DataFrame, store: Store, settings: Settings) -> tuple[str, ...]:
    """Snapshots whose members, or members also in ICMA, differ from the affiliate's last report before them by
    more than the settings' share (either way).

    Does not change `rows`.
    """
    if rows.empty:
        return ()
    history = store.table("membership")[["affiliate_id", "snapshot_on", "members", "icma_members"]]
    names = store.table("affiliates").set_index("affiliate_id")["name"]
    found = []
    for row in rows.sort_values(["affiliate_id", "snapshot_on"], kind="stable").itertuples(index=False):
        earlier = history[
            (history["affiliate_id"] == row.affiliate_id) & (history["snapshot_on"] < pd.Timestamp(row.snapshot_on))
        ]
        if earlier.empty:
            continue
        last = earlier.loc[earlier["snapshot_on"].idxmax()]
        name = names.get(row.affiliate_id, row.affiliate_id)
        for column, words, threshold in (
            ("members", "members", settings.warn_members_change),
            ("icma_members", "members also in ICMA", settings.warn_icma_members_change),
        ):
            now, before = getattr(row, column, None), last[column]
            if pd.isna(now) or pd.isna(before) or before <= 0:
                continue
            change = (float(now) - float(before)) / float(before)
            if abs(change) > threshold:
                found.append(
                    f"{name}: {float(now):,.0f} {words}, {change:+.0%} on its last report of {float(before):,.0f} "
                    f"on {pd.Timestamp(last['snapshot_on']):%Y-%m-%d}"
                )
    return tuple(found)


def checkin_warnings(rows: pd.DataFrame, store: Store, settings: Settings) -> tuple[str, ...]:
    """Check-ins that move against their goal's direction from the previous check-in (or the baseline), or pass
    its target by more than the settings' share of the way from baseline to target.

    Does not change `rows`.
    """
    if rows.empty:
        return ()
    goals = store.table("goals").set_index("goal_id")
    history = store.table("goal_checkins")[["goal_id", "reported_on", "value"]]
    found = []
    for row in rows.sort_values(["goal_id", "reported_on"], kind="stable").itertuples(index=False):
        if row.goal_id not in goals.index or pd.isna(row.value):
            continue
        goal = goals.loc[row.goal_id]
        baseline, target, value = float(goal["baseline_value"]), float(goal["target_value"]), float(row.value)
        sign = -1.0 if goal["direction"] == "decrease" else 1.0
        name = f"{goal['title']} ({row.goal_id})"
        on = pd.Timestamp(row.reported_on)
        earlier = history[(history["goal_id"] == row.goal_id) & (history["reported_on"] < on)]
        if earlier.empty:
            previous, previous_words = baseline, f"its baseline of {baseline:,g}"
        else:
            last = earlier.loc[earlier["reported_on"].idxmax()]
            previous = float(last["value"])
            previous_words = f"{previous:,g} on {pd.Timestamp(last['reported_on']):%Y-%m-%d}"
        if sign * (value - previous) < 0:
            found.append(
                f"{name}: {value:,g} on {on:%Y-%m-%d}, {'down' if sign > 0 else 'up'} from {previous_words}, "
                f"although the goal is to {goal['direction']}"
            )
        elif sign * (value - target) > settings.warn_beyond_target * abs(target - baseline):
            found.append(
                f"{name}: {value:,g} on {on:%Y-%m-%d}, far beyond its target of {target:,g} "
                f"(from a baseline of {baseline:,g})"
            )
    return tuple(found)


def warnings_text(warnings: tuple[str, ...]) -> str:
    """The warnings as lines, the first `WARNINGS_LISTED` one by one and the rest counted.

    >>> print(warnings_text(("Texas: 2,109 members, +93% on its last report of 1,093 on 2026-09-30",)))
    - Texas: 2,109 members, +93% on its last report of 1,093 on 2026-09-30
    """
    lines = [f"- {warning}" for warning in warnings[:WARNINGS_LISTED]]
    if len(warnings) > WARNINGS_LISTED:
        lines.append(f"- …and {len(warnings) - WARNINGS_LISTED:,} more")
    return "\n".join(lines)
