"""Alerts: rules as data, and the occurrences they fire in a window.

Four kinds of rule (`RULE_KINDS`), each firing once per occurrence, named by a key that stays the same however
often the window is looked at again (so the record of fired alerts can refuse to send one twice):

- `goal_off_track`: a goal turned off track or overdue in the window (its status on `since` was neither, on
  `as_of` it is one; `changes.goal_changes`). Key: the goal, the status and its latest check-in's date, so a
  goal that recovers and falls back later fires again.
- `renewal_window`: an agreement entered its renewal window (`Settings.renewal_window_months`). Key: the
  agreement.
- `silent_affiliate` (`months`): a relationship's last counted activity became `months` months old in the
  window. Key: the affiliate and that last activity's date.
- `membership_drop` (`percent`): an affiliate's membership report in the window counts more than `percent` %
  fewer members than its previous report. Key: the affiliate and the report's date.

Rules are written in TOML (the file `Settings.alert_rules_path`), one `[[rule]]` table each:

    [[rule]]
    kind = "silent_affiliate"
    months = 6

Without a file, `DEFAULT_ALERT_RULES` apply. Pure: no streamlit, no store; reading the file is the caller's.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analytics.core.errors import AnalyticsError
from analytics.core.links import goal_link, profile_link
from analytics.domain import coverage
from analytics.domain.changes import QUERIES as CHANGE_QUERIES
from analytics.domain.changes import Changes, in_window
from analytics.domain.goals import STATUS_LABELS
from analytics.domain.relationships import is_relationship

# kind -> (what it watches, in words; the parameter it takes, or None)
RULE_KINDS: dict[str, tuple[str, str | None]] = {
    "goal_off_track": ("a goal turns off track or overdue", None),
    "renewal_window": ("an agreement enters its renewal window", None),
    "silent_affiliate": ("an affiliate has had no counted activity for {months} months", "months"),
    "membership_drop": (
        "an affiliate's membership report falls by more than {percent}% from its previous one",
        "percent",
    ),
}
ALERT_STATUSES: tuple[str, ...] = ("off_track", "overdue")
# The queries the alerts read: those of what changed, and the membership reports with the previous one.
QUERIES: tuple[str, ...] = (*CHANGE_QUERIES, "membership_reports_between")
ALERT_COLUMNS: tuple[str, ...] = ("key", "kind", "subject_id", "subject_name", "occurred_on", "message", "link_path")


@dataclass(frozen=True)
class AlertRule:
    """One rule: its kind and, for the kinds that take one, its number."""

    kind: str
    months: int | None = None
    percent: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise AnalyticsError(f"unknown alert rule kind {self.kind!r}; the kinds are: {', '.join(RULE_KINDS)}")
        parameter = RULE_KINDS[self.kind][1]
        value = getattr(self, parameter) if parameter else None
        if parameter and (value is None or value <= 0):
            raise AnalyticsError(f"alert rule {self.kind!r} needs {parameter} > 0")

    @property
    def description(self) -> str:
        """The rule in words.

        >>> AlertRule("membership_drop", percent=10).description
        "an affiliate's membership report falls by more than 10% from its previous one"
        """
        percent = f"{self.percent:g}" if self.percent is not None else ""
        return RULE_KINDS[self.kind][0].format(months=self.months, percent=percent)


DEFAULT_ALERT_RULES: tuple[AlertRule, ...] = (
    AlertRule("goal_off_track"),
    AlertRule("renewal_window"),
    AlertRule("silent_affiliate", months=12),
    AlertRule("membership_drop", percent=10),
)


def rules_from_toml(text: str, source: str = "alert rules") -> tuple[AlertRule, ...]:
    """The rules written in TOML (`[[rule]]` tables with `kind` and its number); an AnalyticsError naming the
    source and the rule when one is wrong.

    >>> rules_from_toml('[[rule]]\\nkind = "silent_affiliate"\\nmonths = 6\\n')
    (AlertRule(kind='silent_affiliate', months=6, percent=None),)
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AnalyticsError(f"{source}: not valid TOML ({error})") from None
    rules = []
    for number, entry in enumerate(document.get("rule", []), start=1):
        unknown = set(entry) - {"kind", "months", "percent"}
        if unknown:
            raise AnalyticsError(f"{source}: rule {number} has unknown key(s) {', '.join(sorted(unknown))}")
        try:
            rules.append(AlertRule(str(entry.get("kind", "")), entry.get("months"), entry.get("percent")))
        except AnalyticsError as error:
            raise AnalyticsError(f"{source}: rule {number}: {error}") from None
    return tuple(rules)


def rules_table(rules: tuple[AlertRule, ...]) -> pd.DataFrame:
    """The rules, one row each: `alert_rule` (its kind) and `fires_when` (what it watches, in words)."""
    return pd.DataFrame(
        {"alert_rule": [rule.kind for rule in rules], "fires_when": [rule.description for rule in rules]}
    )


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(ALERT_COLUMNS))


def _day(value: object) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}" if pd.notna(value) else "none"


def goal_alerts(changes: Changes) -> pd.DataFrame:
    frame = changes.goals
    turned = frame[
        frame["status_now"].astype(str).isin(ALERT_STATUSES) & ~frame["status_before"].astype(str).isin(ALERT_STATUSES)
    ]
    return _frame(
        [
            {
                "key": f"goal_off_track:{row.goal_id}:{row.status_now}:{_day(row.latest_reported_on)}",
                "kind": "goal_off_track",
                "subject_id": row.goal_id,
                "subject_name": f"{row.affiliate_name}: {row.title}",
                "occurred_on": changes.as_of,
                "message": f"now {STATUS_LABELS[str(row.status_now)]} (was {STATUS_LABELS[str(row.status_before)]}): "
                f"{row.reason_now}",
                "link_path": goal_link(row.goal_id, row.affiliate_name, row.title).path,
            }
            for row in turned.itertuples()
        ]
    )


def renewal_alerts(changes: Changes) -> pd.DataFrame:
    entered = changes.agreements[changes.agreements["change"] == "due_for_renewal"]
    return _frame(
        [
            {
                "key": f"renewal_window:{row.agreement_id}",
                "kind": "renewal_window",
                "subject_id": row.affiliate_id,
                "subject_name": row.affiliate_name,
                "occurred_on": changes.as_of,
                "message": f"agreement {row.agreement_id} is due for renewal on {_day(row.renewal_due_on)}",
                "link_path": profile_link(row.affiliate_id).path,
            }
            for row in entered.itertuples()
        ]
    )


def silence_alerts(
    affiliates: pd.DataFrame, counted_activities: pd.DataFrame, since: dt.date, as_of: dt.date, months: int
) -> pd.DataFrame:
    """Relationships whose last counted activity (on or before `as_of`) turned `months` months old in the window."""
    counted = coverage.counted_activities(counted_activities, as_of)
    last = counted.groupby("affiliate_id")["occurred_on"].max()
    related = affiliates[is_relationship(affiliates)].assign(
        last_activity_on=lambda f: pd.to_datetime(f["affiliate_id"].map(last.to_dict()))
    )
    related = related[related["last_activity_on"].notna()]
    silent_from = related["last_activity_on"] + pd.DateOffset(months=months)
    turned = related[in_window(silent_from, since, as_of)].assign(silent_from=silent_from)
    return _frame(
        [
            {
                "key": f"silent_affiliate:{row.affiliate_id}:{_day(row.last_activity_on)}",
                "kind": "silent_affiliate",
                "subject_id": row.affiliate_id,
                "subject_name": row.name,
                "occurred_on": pd.Timestamp(row.silent_from).date(),
                "message": f"no counted activity for {months} months (the last on {_day(row.last_activity_on)})",
                "link_path": profile_link(row.affiliate_id).path,
            }
            for row in turned.itertuples()
        ]
    )


def membership_drop_alerts(reports: pd.DataFrame, percent: float) -> pd.DataFrame:
    """Reports (membership_reports_between) that count more than `percent` % fewer members than the previous."""
    previous = reports["previous_members"].astype("float64")
    share = (reports["members"] - previous) / previous.where(previous > 0)
    fallen = reports[share < -percent / 100].assign(share=share)
    return _frame(
        [
            {
                "key": f"membership_drop:{row.affiliate_id}:{_day(row.snapshot_on)}",
                "kind": "membership_drop",
                "subject_id": row.affiliate_id,
                "subject_name": row.affiliate_name,
                "occurred_on": pd.Timestamp(row.snapshot_on).date(),
                "message": f"{row.members:,} members on {_day(row.snapshot_on)}, {row.share:+.1%} from "
                f"{row.previous_members:,} on {_day(row.previous_snapshot_on)}",
                "link_path": profile_link(row.affiliate_id).path,
            }
            for row in fallen.itertuples()
        ]
    )


def fired_alerts(changes: Changes, results: Mapping[str, pd.DataFrame], rules: tuple[AlertRule, ...]) -> pd.DataFrame:
    """Every occurrence the rules fire in the window of `changes`, one row each (ALERT_COLUMNS), in rule order.

    `results` holds the results of QUERIES by name (the same run that built `changes`).
    """
    frames = []
    for rule in rules:
        if rule.kind == "goal_off_track":
            frames.append(goal_alerts(changes))
        elif rule.kind == "renewal_window":
            frames.append(renewal_alerts(changes))
        elif rule.kind == "silent_affiliate":
            frames.append(
                silence_alerts(
                    results["affiliates_in_scope"],
                    results["counted_activities_in_window"],
                    changes.since,
                    changes.as_of,
                    int(rule.months or 0),
                )
            )
        else:
            frames.append(membership_drop_alerts(results["membership_reports_between"], float(rule.percent or 0)))
    alerts = pd.concat([_frame([]), *frames], ignore_index=True)
    return alerts.drop_duplicates("key").reset_index(drop=True)
