"""What changed between two dates: the one definition the "What changed" page, the digest, the alerts and the
board pack all read.

The window is `(since, as_of]`: `since` itself belongs to the state before, `as_of` to the state after, so two
monthly windows that meet at a month end never count the same day twice. Every earlier state is in the data (an
as-of date sees only what was reported by then; the ledger keeps every upload), so each part compares the state
on `since` with the state on `as_of`, using the same definitions as the pages:

- goals whose status changed: `goals.goal_status` evaluated on both dates with the thresholds in force, worst
  first (`WORST_FIRST`), with the reason on each date and the check-ins reported in the window behind it;
- agreements: new (signed in the window, the affiliate's first), renewed (signed in the window after an earlier
  one), lapsed (the current agreement lapsed in the window) and due (it entered the renewal window), each from
  `coverage.agreement_status_as_of` on both dates;
- membership by affiliate and by region, like for like (`membership.like_for_like_change` over the affiliates
  counted at the last month end on or before each date), and the affiliates counted at only one of them;
- activities and events in the window; relationships with no counted activity (`coverage.counted_activities`)
  in it, with their last contact;
- uploads, corrections (an upload that replaced rows) and undone batches in the window, from the ledger.

`QUERIES` names the store queries whose results `what_changed` reads (each with `query_params`: the shared scope
parameters, `since`, `first_on = since` and the thresholds in force); a page runs them through its cache, a command
through the store. Of the goals they return only those whose status changed (judged in SQL by the macro
goals_changed_between) and their check-ins, so that hundreds of thousands of goals are not read into pandas to
find a few thousand; `goal_changes` judges those again with `goals.goal_status`, which stays the one definition.

Pure: no streamlit, no store. Every function returns new frames and never changes its input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analytics.core.errors import require_columns
from analytics.core.frames import is_among
from analytics.domain import coverage, goals, membership
from analytics.domain.relationships import is_relationship

# The queries what_changed reads, by name (analytics/store/queries/<name>.sql).
QUERIES: tuple[str, ...] = (
    "goals_changed_in_scope",
    "goal_checkins_of_changed_goals",
    "agreements_in_scope",
    "affiliates_in_scope",
    "activities_between",
    "counted_activities_in_window",
    "events_in_scope",
    "membership_change_by_affiliate",
)
# Statuses from worst to best: the order the changed goals are listed in.
WORST_FIRST: tuple[str, ...] = ("overdue", "off_track", "at_risk", "not_started", "on_track", "achieved")
# The kinds of agreement change, in the order they are listed.
AGREEMENT_CHANGES: tuple[str, ...] = ("lapsed", "due_for_renewal", "new", "renewed")
AGREEMENT_CHANGE_LABELS: dict[str, str] = {
    "lapsed": "lapsed",
    "due_for_renewal": "entered the renewal window",
    "new": "new agreement",
    "renewed": "renewed",
}
# What a ledger row in the window was.
UPLOAD_KINDS: dict[str, str] = {"upload": "upload", "correction": "correction", "undone": "undone"}


@dataclass(frozen=True)
class Changes:
    """Everything that changed in `(since, as_of]` for one scope; every frame may be empty."""

    since: dt.date
    as_of: dt.date
    rules: goals.GoalStatusRules
    goals: pd.DataFrame  # one row per goal whose status changed, worst first (GOAL_CHANGE_COLUMNS)
    checkins: pd.DataFrame  # the check-ins reported in the window on those goals, newest first
    agreements: pd.DataFrame  # one row per agreement change (AGREEMENT_CHANGE_COLUMNS)
    membership_by_affiliate: pd.DataFrame  # one row per affiliate counted at either month end
    membership_by_region: pd.DataFrame  # one row per region, like for like
    membership_total: membership.Change  # like for like over the whole scope
    activities: pd.DataFrame  # activities dated in the window, any status
    events: pd.DataFrame  # events taking place in the window
    silent: pd.DataFrame  # relationships with no counted activity in the window
    uploads: pd.DataFrame  # ledger rows in the window (UPLOAD_COLUMNS)

    @property
    def members_before_on(self) -> pd.Timestamp | None:
        frame = self.membership_by_affiliate
        return pd.Timestamp(frame["before_on"].iloc[0]) if not frame.empty else None

    @property
    def members_now_on(self) -> pd.Timestamp | None:
        return self.membership_total.latest_on

    @property
    def membership_changed(self) -> bool:
        """Whether any affiliate's counted members differ between the two month ends (or it came or went)."""
        frame = self.membership_by_affiliate
        return bool((frame["change"].fillna(1) != 0).any()) if not frame.empty else False

    @property
    def is_empty(self) -> bool:
        """Nothing changed: no goal status, agreement, member count, activity, event or upload. Silent
        relationships are a state, not a change, and do not count."""
        frames = (self.goals, self.agreements, self.activities, self.events, self.uploads)
        return all(frame.empty for frame in frames) and not self.membership_changed

    def counts(self) -> dict[str, int]:
        """The headline numbers: changes per part, as the page's cards and the e-mail's summary show them."""
        worse = int((self.goals["direction"] == "worse").sum()) if not self.goals.empty else 0
        by_change = self.agreements["change"].value_counts() if not self.agreements.empty else pd.Series(dtype=int)
        return {
            "goals_changed": len(self.goals),
            "goals_worse": worse,
            **{f"agreements_{change}": int(by_change.get(change, 0)) for change in AGREEMENT_CHANGES},
            "activities": len(self.activities),
            "events": len(self.events),
            "silent": len(self.silent),
            "uploads": len(self.uploads),
        }


GOAL_CHANGE_COLUMNS: tuple[str, ...] = (
    "goal_id",
    "affiliate_id",
    "affiliate_name",
    "icma_region",
    "area_of_emphasis",
    "title",
    "liaison_name",
    "status_before",
    "status_now",
    "direction",
    "reason_before",
    "reason_now",
    "count_checkins",
    "latest_reported_on",
    "pct_of_expected",
)
AGREEMENT_CHANGE_COLUMNS: tuple[str, ...] = (
    "agreement_id",
    "affiliate_id",
    "affiliate_name",
    "change",
    "signed_on",
    "renewal_due_on",
)
UPLOAD_COLUMNS: tuple[str, ...] = ("batch_id", "kind", "what", "at", "by", "file_name", "rows_loaded", "rows_replaced")


def previous_month_end(as_of: dt.date) -> dt.date:
    """The last day of the month before `as_of`'s: the default `since`.

    >>> previous_month_end(dt.date(2026, 11, 27)), previous_month_end(dt.date(2026, 3, 31))
    (datetime.date(2026, 10, 31), datetime.date(2026, 2, 28))
    """
    return as_of.replace(day=1) - dt.timedelta(days=1)


def in_window(dates: pd.Series, since: dt.date, as_of: dt.date) -> pd.Series:
    """Whether each date lies in `(since, as_of]` (missing dates do not).

    >>> in_window(pd.Series(pd.to_datetime(["2026-10-31", "2026-11-01", "2026-11-30", None])),
    ...           dt.date(2026, 10, 31), dt.date(2026, 11, 30)).tolist()
    [False, True, True, False]
    """
    days = pd.to_datetime(dates).dt.normalize()
    return (days > pd.Timestamp(since)) & (days <= pd.Timestamp(as_of))


def _worst_rank(statuses: pd.Series) -> pd.Series:
    return statuses.astype(str).map({status: rank for rank, status in enumerate(WORST_FIRST)})


def goal_changes(
    goal_rows: pd.DataFrame,
    checkins: pd.DataFrame,
    since: dt.date,
    as_of: dt.date,
    rules: goals.GoalStatusRules = goals.GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The goals whose status on `as_of` differs from their status on `since`, worst first, and the check-ins
    reported on them in the window (newest first).

    `goal_rows` is goals_in_scope, `checkins` goal_checkins_in_scope (as of `as_of`), or the same of fewer goals
    (goals_changed_in_scope and its check-ins: each goal is judged alone): `goals.goal_status` sees
    only the check-ins reported by each date. `direction` is "worse" when the status moved towards the worst
    (WORST_FIRST), "started" when the goal had not started on `since`, else "better". Ties keep the lowest
    pct_of_expected first, then goal_id.
    """
    # Prepared once, judged on both dates without reasons; the reasons are written for the changed goals only.
    prepared = goals.prepare_goals(goal_rows, checkins)
    before = goals.goal_status(goal_rows, checkins, since, rules, with_reasons=False, prepared=prepared)
    now = goals.goal_status(goal_rows, checkins, as_of, rules, with_reasons=False, prepared=prepared)
    changed = before["status"].astype(str).to_numpy() != now["status"].astype(str).to_numpy()
    changed_ids = goal_rows.loc[changed, ["goal_id"]]
    checkins_in_window = checkins[in_window(checkins["reported_on"], since, as_of)]
    context = [column for column in GOAL_CHANGE_COLUMNS if column in goal_rows.columns]
    frame = goal_rows.loc[changed, context].reset_index(drop=True)
    frame["status_before"] = before.loc[changed, "status"].to_numpy()
    frame["status_now"] = now.loc[changed, "status"].to_numpy()
    for column, day in (("reason_before", since), ("reason_now", as_of)):
        reasons = goals.reasons_for(changed_ids, goal_rows, checkins, day, rules, prepared=prepared)
        frame[column] = reasons["reason"].to_numpy()
    frame["pct_of_expected"] = now.loc[changed, "pct_of_expected"].to_numpy()
    frame["latest_reported_on"] = now.loc[changed, "latest_reported_on"].to_numpy()
    frame["count_checkins"] = (
        frame["goal_id"].map(checkins_in_window["goal_id"].value_counts()).fillna(0).astype("int64")
    )
    rank_before, rank_now = _worst_rank(frame["status_before"]), _worst_rank(frame["status_now"])
    frame["direction"] = (
        pd.Series("better", index=frame.index, dtype="str")
        .mask(rank_now < rank_before, "worse")
        .mask(frame["status_before"].astype(str) == "not_started", "started")
    )
    frame = frame.assign(_rank=rank_now).sort_values(["_rank", "pct_of_expected", "goal_id"], kind="stable")
    frame = frame.drop(columns="_rank").reset_index(drop=True)
    shown_checkins = checkins_in_window[is_among(checkins_in_window["goal_id"], frame["goal_id"])]
    shown_checkins = shown_checkins.sort_values(["reported_on", "goal_id"], ascending=[False, True])
    return frame.reindex(columns=list(GOAL_CHANGE_COLUMNS)), shown_checkins.reset_index(drop=True)


def agreement_changes(
    agreements: pd.DataFrame,
    affiliates: pd.DataFrame,
    since: dt.date,
    as_of: dt.date,
    renewal_window_months: int,
) -> pd.DataFrame:
    """One row per agreement that was signed, lapsed or entered its renewal window in `(since, as_of]`.

    `agreements` is agreements_in_scope (signed by `as_of`), `affiliates` affiliates_in_scope (for the names).
    An affiliate's current agreement and its status on each date come from `coverage.agreement_status_as_of`.
    """
    require_columns(agreements.columns, ("agreement_id", "affiliate_id", "signed_on", "renewal_due_on"), "agreements")
    names = affiliates.set_index("affiliate_id")["name"]
    signed = agreements.assign(signed_on=pd.to_datetime(agreements["signed_on"]))
    first_signed = signed.groupby("affiliate_id")["signed_on"].transform("min")
    signed_in_window = signed[in_window(signed["signed_on"], since, as_of)]
    is_first = signed_in_window["signed_on"] == first_signed[signed_in_window.index]
    new = signed_in_window.assign(change=is_first.map({True: "new", False: "renewed"}))

    now = coverage.agreement_status_as_of(agreements, as_of, renewal_window_months)
    then = coverage.agreement_status_as_of(agreements, since, renewal_window_months)
    both = now.merge(
        then[["affiliate_id", "agreement_id", "agreement_status"]],
        on="affiliate_id",
        how="left",
        suffixes=("", "_then"),
    )
    same_agreement = both["agreement_id"] == both["agreement_id_then"]
    status_then = both["agreement_status_then"].where(same_agreement, "active")
    lapsed = both[(both["agreement_status"] == "lapsed") & (status_then != "lapsed")].assign(change="lapsed")
    entered = both[(both["agreement_status"] == "due_for_renewal") & (status_then == "active")].assign(
        change="due_for_renewal"
    )
    frame = pd.concat(
        [
            frame[["agreement_id", "affiliate_id", "change", "signed_on", "renewal_due_on"]]
            for frame in (lapsed, entered, new)
        ],
        ignore_index=True,
    )
    frame["affiliate_name"] = frame["affiliate_id"].map(names)
    order = {change: rank for rank, change in enumerate(AGREEMENT_CHANGES)}
    frame = frame.assign(_rank=frame["change"].map(order)).sort_values(["_rank", "renewal_due_on", "affiliate_id"])
    return frame.reindex(columns=list(AGREEMENT_CHANGE_COLUMNS)).reset_index(drop=True)


def membership_changes(
    by_affiliate: pd.DataFrame, affiliates: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, membership.Change]:
    """Members by affiliate and by region between the two month ends, and the total, like for like.

    `by_affiliate` is membership_change_by_affiliate. Per affiliate: members at each month end, the change and
    its share (empty unless counted at both), and `counted` ("both", "before only", "now only"). Per region:
    `membership.like_for_like_change` over its affiliates, with how many were counted at both.
    """
    facts = affiliates[["affiliate_id", "name", "affiliate_type", "icma_region"]].rename(
        columns={"name": "affiliate_name"}
    )
    frame = by_affiliate.merge(facts, on="affiliate_id", how="left")
    frame["icma_region"] = frame["icma_region"].astype("object").fillna("National")
    frame["change"] = frame["members"] - frame["members_before"]
    frame["change_pct"] = (frame["change"] / frame["members_before"]).where(frame["members_before"] > 0)
    frame["counted"] = "both"
    frame.loc[frame["members"].isna(), "counted"] = "before only"
    frame.loc[frame["members_before"].isna(), "counted"] = "now only"
    frame = frame.sort_values(["change_pct", "affiliate_name"], na_position="last").reset_index(drop=True)
    rows = []
    for region, group in frame.groupby("icma_region", sort=True):
        change = membership.like_for_like_change(group, "members", before="before")
        rows.append(
            {
                "icma_region": region,
                "members_before": change.year_before,
                "members": change.latest,
                "change": change.change,
                "change_pct": change.change_pct,
                "count_affiliates_both": len(membership.counted_both_years(group, before="before")),
                "count_affiliates_one_date": int((group["counted"] != "both").sum()),
            }
        )
    regions = pd.DataFrame(
        rows,
        columns=[
            "icma_region",
            "members_before",
            "members",
            "change",
            "change_pct",
            "count_affiliates_both",
            "count_affiliates_one_date",
        ],
    )
    total = membership.like_for_like_change(frame, "members", before="before")
    return frame, regions, total


def silent_relationships(
    affiliates: pd.DataFrame, counted_activities: pd.DataFrame, since: dt.date, as_of: dt.date
) -> pd.DataFrame:
    """The relationships in scope with no counted activity in `(since, as_of]`, longest silent first.

    `counted_activities` is counted_activities_in_window run with `first_on = since`: the counted activities
    from `since` on, and each affiliate's latest, however old (`last_activity_on`; empty when there is none).
    """
    counted = coverage.counted_activities(counted_activities, as_of)
    contacted = set(counted.loc[in_window(counted["occurred_on"], since, as_of), "affiliate_id"])
    last = counted.groupby("affiliate_id")["occurred_on"].max()
    related = affiliates[is_relationship(affiliates)]
    silent = related[~is_among(related["affiliate_id"], contacted)]
    frame = silent[["affiliate_id", "name", "affiliate_type", "icma_region"]].rename(columns={"name": "affiliate_name"})
    frame = frame.assign(
        icma_region=frame["icma_region"].astype("object").fillna("National"),
        last_activity_on=pd.to_datetime(frame["affiliate_id"].map(last.to_dict())),
    )
    return frame.sort_values(["last_activity_on", "affiliate_name"], na_position="first").reset_index(drop=True)


def events_in_window(events: pd.DataFrame, since: dt.date, as_of: dt.date) -> pd.DataFrame:
    """The events taking place in `(since, as_of]` (any of their days), soonest first, cancelled ones included."""
    start = pd.to_datetime(events["start_on"])
    end = pd.to_datetime(events["end_on"]).fillna(start)
    taking_place = (start <= pd.Timestamp(as_of)) & (end > pd.Timestamp(since))
    return events[taking_place].sort_values(["start_on", "event_id"]).reset_index(drop=True)


def uploads_in_window(batches: pd.DataFrame, since: dt.date, as_of: dt.date) -> pd.DataFrame:
    """The ledger's events in `(since, as_of]`: each batch committed in it (an upload, or a correction when it
    replaced rows) and each undone in it, oldest first. `batches` is the ledger's batches() (UTC timestamps; the
    window's dates are read in UTC)."""
    if batches.empty:
        return pd.DataFrame(columns=list(UPLOAD_COLUMNS))

    def utc_day(column: str) -> pd.Series:
        return pd.to_datetime(batches[column], utc=True).dt.tz_convert(None)

    committed = batches[in_window(utc_day("committed_at"), since, as_of)]
    committed = committed.assign(
        what=(committed["rows_replaced"].fillna(0) > 0).map({True: "correction", False: "upload"}),
        at=committed["committed_at"],
        by=committed["committed_by"],
    )
    undone = batches[in_window(utc_day("undone_at"), since, as_of)]
    undone = undone.assign(what="undone", at=undone["undone_at"], by=undone["undone_by"])
    frame = pd.concat([committed, undone], ignore_index=True)
    return frame.sort_values(["at", "batch_id"]).reindex(columns=list(UPLOAD_COLUMNS)).reset_index(drop=True)


def what_changed(
    results: Mapping[str, pd.DataFrame],
    batches: pd.DataFrame,
    since: dt.date,
    as_of: dt.date,
    *,
    renewal_window_months: int,
    rules: goals.GoalStatusRules = goals.GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> Changes:
    """Everything that changed in `(since, as_of]`, from the results of `QUERIES` (by name, run with
    `query_params(..., since, rules)` of the same `rules`) and the ledger.

    `since` must be before `as_of`.
    """
    if not since < as_of:
        raise ValueError(f"since ({since:%Y-%m-%d}) must be before as_of ({as_of:%Y-%m-%d})")
    affiliates = results["affiliates_in_scope"]
    changed_goals, checkins = goal_changes(
        results["goals_changed_in_scope"], results["goal_checkins_of_changed_goals"], since, as_of, rules
    )
    by_affiliate, by_region, total = membership_changes(results["membership_change_by_affiliate"], affiliates)
    return Changes(
        since=since,
        as_of=as_of,
        rules=rules,
        goals=changed_goals,
        checkins=checkins,
        agreements=agreement_changes(results["agreements_in_scope"], affiliates, since, as_of, renewal_window_months),
        membership_by_affiliate=by_affiliate,
        membership_by_region=by_region,
        membership_total=total,
        activities=results["activities_between"].reset_index(drop=True),
        events=events_in_window(results["events_in_scope"], since, as_of),
        silent=silent_relationships(affiliates, results["counted_activities_in_window"], since, as_of),
        uploads=uploads_in_window(batches, since, as_of),
    )


def query_params(
    scope_params: Mapping[str, object],
    since: dt.date,
    rules: goals.GoalStatusRules = goals.GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> dict[str, object]:
    """The shared scope parameters plus what QUERIES need for the window and the thresholds in force."""
    return {**scope_params, "since": since, "first_on": since, **goals.status_query_params(rules)}
