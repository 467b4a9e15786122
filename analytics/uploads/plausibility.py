"""Plausibility warnings: rows that pass every check but are far from what the store already knows.

A warning does not refuse a row. It says, in words, what looks wrong against the record's own history
("Texas: 2,109 members, +93% on its last report of 1,093 on 2026-09-30"); the analyst must acknowledge the
warnings to commit (the Upload page's and the forms' checkbox, `--accept-warnings` on the command line), and
the ledger records which warnings the committer acknowledged (analytics.uploads.pipeline). The thresholds are
settings (`warn_members_change`, `warn_icma_members_change`, `warn_beyond_target`). Each upload kind names its
warnings in its registry entry (`UploadKind.plausibility`); a kind without one never warns.
"""

from __future__ import annotations

import numpy as np
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
    # Each row beside its affiliate's last report strictly before it: one as-of join, not a scan of the history
    # per row (which took minutes for 20,000 rows against a million stored).
    ordered = rows.sort_values(["affiliate_id", "snapshot_on"], kind="stable").reset_index(drop=True)
    uploaded = pd.DataFrame(
        {
            "position": range(len(ordered)),
            "affiliate_id": ordered["affiliate_id"].astype(object),
            "snapshot_on": pd.to_datetime(ordered["snapshot_on"]).astype("datetime64[us]"),
            "now_members": _numbers(ordered, "members"),
            "now_icma_members": _numbers(ordered, "icma_members"),
        }
    )
    before = pd.DataFrame(
        {
            "affiliate_id": history["affiliate_id"].astype(object),
            "last_on": pd.to_datetime(history["snapshot_on"]).astype("datetime64[us]"),
            "before_members": pd.to_numeric(history["members"], errors="coerce"),
            "before_icma_members": pd.to_numeric(history["icma_members"], errors="coerce"),
        }
    ).dropna(subset=["affiliate_id", "last_on"])
    paired = pd.merge_asof(
        uploaded.dropna(subset=["snapshot_on"]).sort_values("snapshot_on", kind="stable"),
        before.sort_values("last_on", kind="stable"),
        left_on="snapshot_on",
        right_on="last_on",
        by="affiliate_id",
        allow_exact_matches=False,
        direction="backward",
    ).sort_values("position", kind="stable")
    found = []
    for order, (column, words, threshold) in enumerate(
        (
            ("members", "members", settings.warn_members_change),
            ("icma_members", "members also in ICMA", settings.warn_icma_members_change),
        )
    ):
        now, earlier = paired[f"now_{column}"], paired[f"before_{column}"]
        change = (now - earlier) / earlier.where(earlier > 0)
        flagged = paired.assign(change=change)[change.abs() > threshold]
        found.extend(
            (
                row.position,
                order,
                f"{names.get(row.affiliate_id, row.affiliate_id)}: {getattr(row, f'now_{column}'):,.0f} {words}, "
                f"{row.change:+.0%} on its last report of {getattr(row, f'before_{column}'):,.0f} "
                f"on {row.last_on:%Y-%m-%d}",
            )
            for row in flagged.itertuples(index=False)
        )
    found = [text for _, _, text in sorted(found, key=lambda item: item[:2])]
    return tuple(found)


def _numbers(rows: pd.DataFrame, column: str) -> pd.Series | float:
    """The column as numbers (NaN where it is not one); NaN when the rows have no such column."""
    return pd.to_numeric(rows[column], errors="coerce") if column in rows.columns else np.nan


def checkin_warnings(rows: pd.DataFrame, store: Store, settings: Settings) -> tuple[str, ...]:
    """Check-ins that move against their goal's direction from the previous check-in (or the baseline), or pass
    its target by more than the settings' share of the way from baseline to target.

    Does not change `rows`.
    """
    if rows.empty:
        return ()
    stored = store.table("goals").drop_duplicates("goal_id")
    goals = pd.DataFrame(
        {
            "goal_id": stored["goal_id"].astype(object),
            "title": stored["title"].astype(object),
            "direction": stored["direction"].astype(object),
            "baseline": pd.to_numeric(stored["baseline_value"], errors="coerce"),
            "target": pd.to_numeric(stored["target_value"], errors="coerce"),
        }
    )
    history = store.table("goal_checkins")
    # Each check-in beside its goal's last check-in strictly before it (the first stored, where a day has
    # several): one as-of join, not a scan of the stored check-ins per row.
    before = (
        pd.DataFrame(
            {
                "goal_id": history["goal_id"].astype(object),
                "last_on": pd.to_datetime(history["reported_on"]).astype("datetime64[us]"),
                "last_value": pd.to_numeric(history["value"], errors="coerce"),
            }
        )
        .dropna(subset=["goal_id", "last_on"])
        .drop_duplicates(["goal_id", "last_on"])
    )
    ordered = rows.sort_values(["goal_id", "reported_on"], kind="stable").reset_index(drop=True)
    uploaded = pd.DataFrame(
        {
            "position": range(len(ordered)),
            "goal_id": ordered["goal_id"].astype(object),
            "on": pd.to_datetime(ordered["reported_on"]).astype("datetime64[us]"),
            "value": _numbers(ordered, "value"),
        }
    ).dropna(subset=["goal_id", "on", "value"])
    paired = pd.merge_asof(
        uploaded.merge(goals, on="goal_id", how="inner").sort_values("on", kind="stable"),
        before.sort_values("last_on", kind="stable"),
        left_on="on",
        right_on="last_on",
        by="goal_id",
        allow_exact_matches=False,
        direction="backward",
    ).sort_values("position", kind="stable")
    sign = np.where(paired["direction"] == "decrease", -1.0, 1.0)
    first = paired["last_on"].isna()
    previous = paired["last_value"].where(~first, paired["baseline"])
    backwards = sign * (paired["value"] - previous) < 0
    beyond = (
        sign * (paired["value"] - paired["target"])
        > settings.warn_beyond_target * (paired["target"] - paired["baseline"]).abs()
    )
    flagged = paired.assign(first=first, backwards=backwards)[backwards | beyond]
    found = []
    for row in flagged.itertuples(index=False):
        name = f"{row.title} ({row.goal_id})"
        if row.backwards:
            since = (
                f"its baseline of {row.baseline:,g}" if row.first else f"{row.last_value:,g} on {row.last_on:%Y-%m-%d}"
            )
            found.append(
                f"{name}: {row.value:,g} on {row.on:%Y-%m-%d}, {'up' if row.direction == 'decrease' else 'down'} "
                f"from {since}, although the goal is to {row.direction}"
            )
        else:
            found.append(
                f"{name}: {row.value:,g} on {row.on:%Y-%m-%d}, far beyond its target of {row.target:,g} "
                f"(from a baseline of {row.baseline:,g})"
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
