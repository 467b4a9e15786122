"""Goal status: how each goal of an affiliation agreement is doing against its expected progress.

A goal runs from `baseline_value` at `start_on` to `target_value` at `due_on`. Progress is expected to
be linear over the term, so on any date the goal has an expected share of the baseline->target
distance (0 at the start, 1 at the due date). The latest check-in reported on or before that date
gives the actual share; their ratio (`pct_of_expected`) decides the status, with thresholds that are
data (`GoalStatusRules`).

Status rules, first match wins:

1. not_started - the date is before `start_on`;
2. achieved    - the latest check-in reached the target (>= for increase, <= for decrease goals);
3. overdue     - the date is after `due_on` and the target was not reached;
4. on_track    - nothing was expected yet (the date is the start), or pct_of_expected >= at_risk_below;
5. at_risk     - pct_of_expected >= off_track_below;
6. off_track   - otherwise.

A started goal with no check-in counts as still at its baseline (progress 0). A goal whose target is
its baseline (or, in data that contradicts its direction, behind it) has no distance to divide by: its
actual share is 1 once a check-in reached the target and 0 otherwise.

`is_stale` is separate from the status: a started goal that is not achieved is stale when the date is
more than `reporting_interval_months` after its latest check-in (or after its start, when nothing was
reported since).

Every function is pure: it reads its input frames and returns new ones. Dates may be `datetime.date`,
pandas Timestamps, or datetime64 columns of any resolution. The arithmetic works on whole days since
1970-01-01 in numpy arrays, one vector over all goals, so that `portfolio_over_time` can evaluate
~100k goals at each of ~100 month ends without a Python loop over goals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from analytics.core.errors import AnalyticsError, require_columns
from analytics.core.frames import is_among

# Best to worst: the order used to sort goals and to say that one status is worse than another.
STATUSES: tuple[str, ...] = ("achieved", "on_track", "at_risk", "off_track", "overdue", "not_started")
STATUS_LABELS: dict[str, str] = {
    "achieved": "achieved",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "overdue": "overdue",
    "not_started": "not started",
}
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES), ordered=True)
# Statuses that need attention, and the order at_risk_list shows them in when pct_of_expected ties.
ATTENTION_STATUSES: tuple[str, ...] = ("overdue", "off_track", "at_risk")
# The statuses that count as "on track" in the share of goals on track (`share_on_track`, `portfolio_over_time`).
ON_TRACK_STATUSES: tuple[str, ...] = ("achieved", "on_track")

GOAL_COLUMNS: tuple[str, ...] = (
    "goal_id",
    "direction",
    "baseline_value",
    "target_value",
    "start_on",
    "due_on",
    "reporting_interval_months",
)
CHECKIN_COLUMNS: tuple[str, ...] = ("goal_id", "reported_on", "value")

# Shares are ratios of floats: 0.45 / 0.5 may come out a hair under 0.9. A status threshold is met
# when the share is within this distance of it, so "exactly on the threshold" means what it says.
THRESHOLD_TOLERANCE = 1e-9

_STATUS_CODE: dict[str, int] = {status: code for code, status in enumerate(STATUSES)}


@dataclass(frozen=True)
class GoalStatusRules:
    """Thresholds on pct_of_expected (actual progress / expected progress), as shares of 1.

    at_risk_below: below this share of the expected progress a goal is at risk (default 0.90).
    off_track_below: below this share it is off track (default 0.70).
    A share exactly on a threshold gets the better status.
    """

    at_risk_below: float = 0.90
    off_track_below: float = 0.70

    def __post_init__(self) -> None:
        if not 0 <= self.off_track_below <= self.at_risk_below:
            raise AnalyticsError(
                "goal status rules need 0 <= off_track_below <= at_risk_below, "
                f"got off_track_below={self.off_track_below} and at_risk_below={self.at_risk_below}"
            )


def status_query_params(rules: GoalStatusRules) -> dict[str, float]:
    """The store's parameters for judging goals in SQL (the macro goal_statuses_on): the thresholds of `rules` and
    THRESHOLD_TOLERANCE, by the names its queries bind."""
    return {
        "at_risk_below": rules.at_risk_below,
        "off_track_below": rules.off_track_below,
        "tolerance": THRESHOLD_TOLERANCE,
    }


# --- dates as whole days -------------------------------------------------------------------------


def _day(value: dt.date | pd.Timestamp | str) -> int:
    """One date as days since 1970-01-01."""
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def _days(column: pd.Series) -> np.ndarray:
    """A date column (datetime64 of any unit, or date objects) as days since 1970-01-01; NaT stays NaT."""
    return pd.to_datetime(column).to_numpy().astype("datetime64[D]")


def _as_timestamps(days: np.ndarray) -> np.ndarray:
    """Days (datetime64[D] or int days) as datetime64[ns] values for output columns."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[ns]")


def _add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Each date plus its number of calendar months, the day clamped to the month's end.

    >>> _add_months(np.array(["2025-11-30", "2025-01-15"], dtype="datetime64[D]"), np.array([3, 1])).tolist()
    [datetime.date(2026, 2, 28), datetime.date(2025, 2, 15)]
    """
    dates = days.astype("datetime64[D]")
    first_of_month = dates.astype("datetime64[M]")
    day_of_month = (dates - first_of_month.astype("datetime64[D]")).astype(np.int64)
    target_month = first_of_month + months.astype("timedelta64[M]")
    target_first = target_month.astype("datetime64[D]")
    days_in_target = ((target_month + 1).astype("datetime64[D]") - target_first).astype(np.int64)
    return target_first + np.minimum(day_of_month, days_in_target - 1).astype("timedelta64[D]")


def _expected_share(start_day: np.ndarray, due_day: np.ndarray, as_of_day: np.ndarray | int) -> np.ndarray:
    """Share of the term elapsed on `as_of_day`, 0 before the start and 1 from the due date on.

    A term of zero days (start == due) is all-or-nothing: 0 before the due date, 1 from it.
    """
    term_days = np.maximum(due_day - start_day, 0)
    elapsed_days = np.asarray(as_of_day - start_day, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(elapsed_days / term_days, 0.0, 1.0)
    return np.where(term_days > 0, share, (as_of_day >= due_day).astype(float))


# --- the engine: goals prepared once, evaluated at any date ---------------------------------------


@dataclass(frozen=True)
class _Terms:
    """Everything about the goals and their check-ins that does not depend on the as-of date.

    Check-ins are sorted by (goal position, day) and given one integer key each,
    `goal_position * key_span + day offset`, so that one `searchsorted` finds every goal's latest
    check-in on or before a date at once.
    """

    goal_id: pd.Series
    sign: np.ndarray  # +1 for increase goals, -1 for decrease goals
    baseline: np.ndarray
    target: np.ndarray
    start_day: np.ndarray  # int64 days
    due_day: np.ndarray
    interval_months: np.ndarray
    start_stale_after_day: np.ndarray  # start plus one reporting interval
    checkin_key: np.ndarray
    checkin_goal: np.ndarray
    checkin_day: np.ndarray
    checkin_value: np.ndarray
    checkin_stale_after_day: np.ndarray  # check-in day plus its goal's reporting interval
    first_day: int  # day offsets in checkin_key count from here
    key_span: int

    @property
    def distance(self) -> np.ndarray:
        """How far the goal must move in its good direction (0 when target == baseline)."""
        return self.sign * (self.target - self.baseline)


def _prepare(goals: pd.DataFrame, checkins: pd.DataFrame) -> _Terms:
    require_columns(goals.columns, GOAL_COLUMNS, "goals")
    require_columns(checkins.columns, CHECKIN_COLUMNS, "goal_checkins")
    goal_index = pd.Index(goals["goal_id"])
    if not goal_index.is_unique:
        duplicated = goal_index[goal_index.duplicated()].unique()[:5]
        raise AnalyticsError(f"goal_id must be unique; repeated: {', '.join(map(str, duplicated))}")

    start_days = _days(goals["start_on"])
    interval_months = goals["reporting_interval_months"].to_numpy(dtype=np.int64)

    reported_on = _days(checkins["reported_on"])
    # Look up each distinct goal_id once rather than every check-in's (much faster on millions of rows).
    checkin_codes, checkin_goal_ids = pd.factorize(checkins["goal_id"])
    checkin_goal = np.where(checkin_codes >= 0, goal_index.get_indexer(checkin_goal_ids)[checkin_codes], -1)
    # Check-ins of goals not in `goals`, or without a date, count for nothing.
    kept = (checkin_goal >= 0) & ~np.isnat(reported_on)
    checkin_goal = checkin_goal[kept]
    checkin_dates = reported_on[kept]
    checkin_day = checkin_dates.astype(np.int64)
    checkin_value = checkins["value"].to_numpy(dtype=float)[kept]
    first_day = int(checkin_day.min()) - 1 if len(checkin_day) else 0
    key_span = int(checkin_day.max()) - first_day + 1 if len(checkin_day) else 1
    checkin_key = checkin_goal.astype(np.int64) * key_span + (checkin_day - first_day)
    # Stable sort: of two check-ins of a goal on the same day, the one listed last is the latest.
    order = np.argsort(checkin_key, kind="stable")
    checkin_key, checkin_goal, checkin_day = checkin_key[order], checkin_goal[order], checkin_day[order]
    checkin_value, checkin_dates = checkin_value[order], checkin_dates[order]
    return _Terms(
        goal_id=goals["goal_id"].reset_index(drop=True),
        sign=np.where(goals["direction"].to_numpy() == "decrease", -1.0, 1.0),
        baseline=goals["baseline_value"].to_numpy(dtype=float),
        target=goals["target_value"].to_numpy(dtype=float),
        start_day=start_days.astype(np.int64),
        due_day=_days(goals["due_on"]).astype(np.int64),
        interval_months=interval_months,
        start_stale_after_day=_add_months(start_days, interval_months).astype(np.int64),
        checkin_key=checkin_key,
        checkin_goal=checkin_goal,
        checkin_day=checkin_day,
        checkin_value=checkin_value,
        checkin_stale_after_day=_add_months(checkin_dates, interval_months[checkin_goal]).astype(np.int64),
        first_day=first_day,
        key_span=key_span,
    )


@dataclass(frozen=True)
class PreparedGoals:
    """Goals and their check-ins prepared once (`prepare_goals`): goal_status, reasons_for and portfolio_over_time
    given it (`prepared=`) skip sorting the same check-ins again. It holds the frames it was made from."""

    goals: pd.DataFrame
    checkins: pd.DataFrame
    terms: _Terms


def prepare_goals(goals: pd.DataFrame, checkins: pd.DataFrame) -> PreparedGoals:
    """The goals and check-ins prepared for every figure of one page: pass the result as `prepared=`, with the same
    frames, to goal_status, reasons_for and portfolio_over_time (each then evaluates, and sorts nothing again)."""
    return PreparedGoals(goals=goals, checkins=checkins, terms=_prepare(goals, checkins))


def _terms_of(goals: pd.DataFrame, checkins: pd.DataFrame, prepared: PreparedGoals | None) -> _Terms:
    """The prepared terms, when prepared from these very frames; else the frames prepared now."""
    if prepared is None:
        return _prepare(goals, checkins)
    if prepared.goals is not goals or prepared.checkins is not checkins:
        raise AnalyticsError("prepared= was made from other goals or check-ins than the ones given")
    return prepared.terms


@dataclass(frozen=True)
class _Evaluation:
    """Every goal's figures on one as-of date (or each on its own, given one day per goal), one element per goal."""

    as_of_day: int | np.ndarray
    expected_pct: np.ndarray
    expected_value: np.ndarray
    has_checkin: np.ndarray
    latest_value: np.ndarray
    latest_day: np.ndarray  # meaningful where has_checkin
    actual_pct: np.ndarray
    pct_of_expected: np.ndarray
    status_code: np.ndarray  # positions in STATUSES
    is_stale: np.ndarray
    stale_since_day: np.ndarray  # latest check-in on or after the start, else the start
    is_awaiting_first_checkin: np.ndarray  # started, nothing reported, first report not yet due
    first_checkin_due_day: np.ndarray


def _latest_checkin_positions(terms: _Terms, as_of_day: int | np.ndarray) -> np.ndarray:
    """Per goal, the position of its latest check-in reported on or before `as_of_day` (its own day, given an
    array of one day per goal), or -1."""
    goal_count = len(terms.goal_id)
    if len(terms.checkin_key) == 0:
        return np.full(goal_count, -1)
    day_offset = np.clip(np.asarray(as_of_day, dtype=np.int64) - terms.first_day, 0, terms.key_span - 1)
    query_key = np.arange(goal_count, dtype=np.int64) * terms.key_span + day_offset
    positions = np.searchsorted(terms.checkin_key, query_key, side="right") - 1
    belongs = positions >= 0
    belongs[belongs] = terms.checkin_goal[positions[belongs]] == np.arange(goal_count)[belongs]
    return np.where(belongs, positions, -1)


def _at(checkin_values: np.ndarray, positions: np.ndarray, fill: float) -> np.ndarray:
    """Per goal, the check-in value at its position, or `fill` where the position is -1."""
    if len(checkin_values) == 0:
        return np.full(len(positions), fill)
    return np.where(positions >= 0, checkin_values[np.maximum(positions, 0)], fill)


def _evaluate(terms: _Terms, as_of_day: int | np.ndarray, rules: GoalStatusRules) -> _Evaluation:
    positions = _latest_checkin_positions(terms, as_of_day)
    has_checkin = positions >= 0
    latest_value = _at(terms.checkin_value, positions, np.nan)
    latest_day = _at(terms.checkin_day, positions, 0)

    expected_pct = _expected_share(terms.start_day, terms.due_day, as_of_day)
    expected_value = terms.baseline + expected_pct * (terms.target - terms.baseline)

    value_for_progress = np.where(has_checkin, latest_value, terms.baseline)
    is_reached = has_checkin & (terms.sign * (value_for_progress - terms.target) >= 0)
    distance = terms.distance
    with np.errstate(divide="ignore", invalid="ignore"):
        # "+ 0.0" turns the -0.0 of a decrease goal still at its baseline into 0.0.
        share_of_distance = terms.sign * (value_for_progress - terms.baseline) / distance + 0.0
        actual_pct = np.where(distance > 0, share_of_distance, is_reached.astype(float))
        pct_of_expected = np.where(expected_pct > 0, actual_pct / expected_pct, np.nan)

    is_started = as_of_day >= terms.start_day
    reported_since_start = has_checkin & (latest_day >= terms.start_day)
    # A goal that has started but whose first check-in is not yet due is not judged on a report
    # nobody owed yet: it is on track until its first reporting interval has passed.
    is_awaiting_first_checkin = is_started & ~reported_since_start & (as_of_day <= terms.start_stale_after_day)
    status = np.select(
        [
            ~is_started,
            is_reached,
            as_of_day > terms.due_day,
            is_awaiting_first_checkin
            | (expected_pct == 0)
            | (pct_of_expected >= rules.at_risk_below - THRESHOLD_TOLERANCE),
            pct_of_expected >= rules.off_track_below - THRESHOLD_TOLERANCE,
        ],
        [_STATUS_CODE[name] for name in ("not_started", "achieved", "overdue", "on_track", "at_risk")],
        default=_STATUS_CODE["off_track"],
    )

    latest_stale_after = _at(terms.checkin_stale_after_day, positions, 0)
    stale_after_day = np.where(reported_since_start, latest_stale_after, terms.start_stale_after_day)
    is_stale = is_started & ~is_reached & (as_of_day > stale_after_day)

    return _Evaluation(
        as_of_day=as_of_day,
        expected_pct=expected_pct,
        expected_value=expected_value,
        has_checkin=has_checkin,
        latest_value=latest_value,
        latest_day=latest_day,
        actual_pct=actual_pct,
        pct_of_expected=pct_of_expected,
        status_code=status.astype(np.int8),
        is_stale=is_stale,
        stale_since_day=np.where(reported_since_start, latest_day, terms.start_day),
        is_awaiting_first_checkin=is_awaiting_first_checkin,
        first_checkin_due_day=terms.start_stale_after_day,
    )


def _take(figures: Any, positions: np.ndarray) -> Any:
    """Prepared terms or an evaluation for the goals at `positions` only (their per-goal arrays taken)."""
    count = len(figures.goal_id) if isinstance(figures, _Terms) else len(figures.status_code)
    taken = {
        field.name: value.iloc[positions].reset_index(drop=True)
        if isinstance(value, pd.Series)
        else value[positions]
        if isinstance(value, np.ndarray) and value.ndim == 1 and len(value) == count
        else value
        for field in fields(figures)
        if field.name not in _CHECKIN_FIELDS
        for value in [getattr(figures, field.name)]
    }
    return replace(figures, **taken)


# Per check-in arrays of _Terms: never taken per goal.
_CHECKIN_FIELDS = frozenset({"checkin_key", "checkin_goal", "checkin_day", "checkin_value", "checkin_stale_after_day"})


# --- goal_status and its reasons ------------------------------------------------------------------


def _date_text(days: np.ndarray | int) -> np.ndarray:
    """Days as ISO dates, as an object array of str that `+` joins element by element.

    >>> _date_text(np.array(["2026-01-31"], dtype="datetime64[D]")).tolist()
    ['2026-01-31']
    """
    unique, inverse = np.unique(np.atleast_1d(days), return_inverse=True)  # few distinct days among many goals
    return np.datetime_as_string(unique.astype("datetime64[D]")).astype(object)[inverse.ravel()]


def _percent_text(shares: np.ndarray) -> np.ndarray:
    """Shares as whole percents; NaN as nothing.

    >>> _percent_text(np.array([0.456, np.nan])).tolist()
    ['46%', '']
    """
    percents = np.round(np.nan_to_num(shares * 100, nan=0.0, posinf=0.0, neginf=0.0)).astype(np.int64)
    return np.where(np.isfinite(shares), percents.astype(str).astype(object) + "%", "")


def _number_text(values: np.ndarray) -> np.ndarray:
    """Numbers with thousands separators and at most two decimals, trailing zeros dropped.

    >>> _number_text(np.array([500.0, 1234.5, 0.125])).tolist()
    ['500', '1,234.5', '0.12']
    """
    unique, inverse = np.unique(np.asarray(values, dtype=float), return_inverse=True)
    text = pd.Series(unique).map("{:,.2f}".format).astype(str).str.replace(r"\.?0+$", "", regex=True)
    return text.to_numpy(dtype=object)[inverse.ravel()]


def _reasons(goals: pd.DataFrame, terms: _Terms, evaluation: _Evaluation) -> np.ndarray:
    """One sentence per goal explaining its status, with the numbers and dates it rests on.

    Each kind of sentence is written only for the goals it explains (writing every kind for every goal and
    choosing afterwards took 3 s over 272,700 goals).
    """
    code = evaluation.status_code
    kind = np.select(
        [
            code == _STATUS_CODE["not_started"],
            code == _STATUS_CODE["achieved"],
            code == _STATUS_CODE["overdue"],
            evaluation.is_awaiting_first_checkin,
        ],
        [0, 1, 2, 3],
        default=4,
    )
    units = goals["unit"].fillna("").astype(str).to_numpy(dtype=object) if "unit" in goals.columns else None
    reason = np.empty(len(code), dtype=object)

    def progress(at: np.ndarray) -> np.ndarray:
        return np.where(
            evaluation.has_checkin[at],
            "reported " + _percent_text(evaluation.actual_pct[at]) + " on " + _date_text(evaluation.latest_day[at]),
            "no check-in yet",
        )

    def unit_text(at: np.ndarray) -> np.ndarray | str:
        if units is None:
            return ""
        shown = units[at]
        return np.where(shown == "percent", "%", np.where(shown == "", "", " " + shown))

    writers = (
        lambda at: "starts on " + _date_text(terms.start_day[at]),
        lambda at: (
            "target "
            + _number_text(terms.target[at])
            + unit_text(at)
            + " reached on "
            + _date_text(evaluation.latest_day[at])
        ),
        lambda at: "due " + _date_text(terms.due_day[at]) + ", " + progress(at),
        lambda at: (
            "started on "
            + _date_text(terms.start_day[at])
            + ", first check-in due by "
            + _date_text(evaluation.first_checkin_due_day[at])
        ),
        lambda at: (
            "expected "
            + _percent_text(evaluation.expected_pct[at])
            + " by "
            + _date_text(_per_goal(evaluation.as_of_day, at))
            + ", "
            + progress(at)
        ),
    )
    for number, write in enumerate(writers):
        at = np.flatnonzero(kind == number)
        if len(at):
            reason[at] = write(at)
    label = np.asarray([STATUS_LABELS[status] for status in STATUSES], dtype=object)[code]
    reason = reason + ": " + label

    stale = np.flatnonzero(evaluation.is_stale)
    if len(stale):
        months = terms.interval_months[stale]
        every = np.where(months == 1, "month", months.astype(str).astype(object) + " months")
        reason[stale] = (
            reason[stale]
            + "; no check-in since "
            + _date_text(evaluation.stale_since_day[stale])
            + " (reports every "
            + every
            + "): stale"
        )
    return reason


def _per_goal(values: int | np.ndarray, at: np.ndarray) -> int | np.ndarray:
    """A per-goal array's values at `at`; a single value (one as-of day for every goal) as it is."""
    return values[at] if isinstance(values, np.ndarray) and values.ndim == 1 else values


def goal_status(
    goals: pd.DataFrame,
    checkins: pd.DataFrame,
    as_of: dt.date | pd.Timestamp | pd.Series,
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
    with_reasons: bool = True,
    *,
    prepared: PreparedGoals | None = None,
) -> pd.DataFrame:
    """One row per goal (in the order of `goals`): expected and reported progress on `as_of`, status and reason.

    Columns: goal_id, expected_value, expected_pct, latest_value, latest_reported_on, actual_pct,
    pct_of_expected, status (ordered categorical, best first), is_stale, reason. Only check-ins
    reported on or before `as_of` count. Shares are of the whole baseline->target distance.
    Without reasons (`with_reasons=False`) there is no reason column: writing a sentence per goal
    is most of the time over many goals; `reasons_for` writes them for the goals shown.
    `as_of` may also be one date per goal (a Series in the order of `goals`): each goal is then judged on its own
    date, as if alone (a goal's history gives its status as of each of its check-ins so, in one call).
    `prepared` (prepare_goals of these goals and check-ins) saves preparing them again.
    """
    terms = _terms_of(goals, checkins, prepared)
    as_of_day = _days(as_of).astype(np.int64) if isinstance(as_of, pd.Series) else _day(as_of)
    evaluation = _evaluate(terms, as_of_day, rules)
    latest_reported_on = np.where(
        evaluation.has_checkin, _as_timestamps(evaluation.latest_day), np.datetime64("NaT", "ns")
    )
    status = pd.DataFrame(
        {
            "goal_id": terms.goal_id,
            "expected_value": evaluation.expected_value,
            "expected_pct": evaluation.expected_pct,
            "latest_value": evaluation.latest_value,
            "latest_reported_on": latest_reported_on,
            "actual_pct": evaluation.actual_pct,
            "pct_of_expected": evaluation.pct_of_expected,
            "status": pd.Categorical.from_codes(evaluation.status_code, dtype=STATUS_DTYPE),
            "is_stale": evaluation.is_stale,
        }
    )
    if with_reasons:
        status["reason"] = pd.array(_reasons(goals, terms, evaluation), dtype="str")
    return status


def reasons_for(
    goal_status_rows: pd.DataFrame,
    goals: pd.DataFrame,
    checkins: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
    *,
    prepared: PreparedGoals | None = None,
) -> pd.DataFrame:
    """`goal_status_rows` (a few rows of goal_status, any columns with goal_id) with the reason of each goal.

    The reasons are those `goal_status` gives, written only for these goals. Given `prepared` (prepare_goals of
    these goals and check-ins), the goals are evaluated from it and only the shown ones' sentences are written.
    """
    if prepared is None:
        shown = goals[is_among(goals["goal_id"], goal_status_rows["goal_id"])]
        reasons = goal_status(shown, checkins, as_of, rules)[["goal_id", "reason"]]
    else:
        terms = _terms_of(goals, checkins, prepared)
        positions = pd.Index(terms.goal_id).get_indexer(pd.unique(goal_status_rows["goal_id"]))
        positions = np.sort(positions[positions >= 0])
        evaluation = _evaluate(terms, _day(as_of), rules)
        sentences = _reasons(goals.iloc[positions], _take(terms, positions), _take(evaluation, positions))
        reasons = pd.DataFrame(
            {
                "goal_id": terms.goal_id.iloc[positions].reset_index(drop=True),
                "reason": pd.array(sentences, dtype="str"),
            }
        )
    return goal_status_rows.drop(columns="reason", errors="ignore").merge(reasons, on="goal_id", how="left")


# --- views built on goal_status -------------------------------------------------------------------


def share_on_track(goal_status_rows: pd.DataFrame) -> float | None:
    """The share of goals on track: achieved or on track, of the goals that have started; None when none has.

    The one definition of "goals on track" every page, card and export shows (`share_on_track_of_counts` is it
    over counts of goals per status, as the store's goal_statuses_on gives them; `portfolio_over_time` computes
    the same share at each month end).

    >>> share_on_track(pd.DataFrame({"status": ["achieved", "on_track", "at_risk", "overdue", "not_started"]}))
    0.5
    >>> share_on_track(pd.DataFrame({"status": ["not_started"]})) is None
    True
    """
    return share_on_track_of_counts(goal_status_rows["status"].astype(str).value_counts())


def share_on_track_of_counts(count_by_status: Mapping[str, int] | pd.Series) -> float | None:
    """`share_on_track` given how many goals have each status (a status absent counts as none).

    >>> share_on_track_of_counts({"on_track": 3, "off_track": 1, "not_started": 4})
    0.75
    """
    counts = {status: int(count_by_status.get(status, 0)) for status in STATUSES}
    started = sum(counts.values()) - counts["not_started"]
    if started == 0:
        return None
    return sum(counts[status] for status in ON_TRACK_STATUSES) / started


def portfolio_over_time(
    goals: pd.DataFrame,
    checkins: pd.DataFrame,
    month_ends: Sequence[dt.date | pd.Timestamp],
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
    by: str | None = "area_of_emphasis",
    *,
    prepared: PreparedGoals | None = None,
) -> pd.DataFrame:
    """One row per month end (per value of `by`): how many goals had each status then.

    Columns: month_end, `by` (unless None), count_<status> for every status, count_goals_started,
    count_stale, share_on_track ((achieved + on_track) / goals started; NaN when none had started).
    `by` names a column of `goals`; to group by affiliate_type or icma_region pass
    `goals_with_context(...)` as `goals`. The goals and their sorted check-ins are prepared once and
    each month end is then one vectorised pass over all goals (`prepared`, prepare_goals of the same frames, saves
    preparing them again).
    """
    terms = _terms_of(goals, checkins, prepared)
    group_codes, group_values, group_count = _groups_of(goals, by, "goals")
    days = sorted({_day(month_end) for month_end in month_ends})
    status_count = len(STATUSES)

    counts = np.zeros((len(days), group_count, status_count), dtype=np.int64)
    stale_counts = np.zeros((len(days), group_count), dtype=np.int64)
    for month, day in enumerate(days):
        evaluation = _evaluate(terms, day, rules)
        cell = group_codes * status_count + evaluation.status_code
        counts[month] = np.bincount(cell, minlength=group_count * status_count).reshape(group_count, status_count)
        stale_counts[month] = np.bincount(group_codes, weights=evaluation.is_stale, minlength=group_count)

    return _portfolio_frame(np.asarray(days, dtype=np.int64), by, group_values, group_count, counts, stale_counts)


def _groups_of(frame: pd.DataFrame, by: str | None, name: str) -> tuple[np.ndarray, pd.Index, int]:
    """The portfolio's groups of `frame`'s rows: a code per row, the values in order of first appearance, and how
    many groups (one group of all rows when `by` is None; none for no rows)."""
    if by is not None:
        require_columns(frame.columns, [by], name)
        codes, values = pd.factorize(frame[by], use_na_sentinel=False)
    else:
        codes, values = np.zeros(len(frame), dtype=np.int64), pd.Index([None])
    return codes, values, (max(len(values), 1) if len(frame) else 0)


def _portfolio_frame(
    days: np.ndarray,
    by: str | None,
    group_values: Sequence[Any],
    group_count: int,
    counts: np.ndarray,
    stale_counts: np.ndarray,
) -> pd.DataFrame:
    """portfolio_over_time's frame from its counts: `counts[month, group, status code]` and `stale_counts[month,
    group]`, months in the order of `days`, groups in the order of `group_values`."""
    frame = pd.DataFrame({"month_end": np.repeat(_as_timestamps(days), group_count)})
    if by is not None:
        frame[by] = np.tile(np.asarray(group_values, dtype=object), len(days))
    flat_counts = counts.reshape(len(days) * group_count, len(STATUSES))
    for code, status in enumerate(STATUSES):
        frame[f"count_{status}"] = flat_counts[:, code]
    frame["count_goals_started"] = flat_counts.sum(axis=1) - frame["count_not_started"]
    frame["count_stale"] = stale_counts.reshape(-1)
    on_track = sum(frame[f"count_{status}"] for status in ON_TRACK_STATUSES)
    frame["share_on_track"] = (on_track / frame["count_goals_started"]).where(frame["count_goals_started"] > 0)
    return frame


def portfolio_of_counts(
    counts: pd.DataFrame, month_ends: Sequence[dt.date | pd.Timestamp], by: str | None = "area_of_emphasis"
) -> pd.DataFrame:
    """`portfolio_over_time`'s frame from counts of goals per month end (`month_end`), `by` value and status
    (`count_goals`, `count_stale`), as the store's goal_status_counts_by_month gives them: the same rows, columns
    and shares. Every month end of `month_ends` has its row(s); groups are in order of first appearance."""
    require_columns(counts.columns, ["month_end", "status", "count_goals", "count_stale"], "goal status counts")
    days = np.asarray(sorted({_day(month_end) for month_end in month_ends}), dtype=np.int64)
    group_codes, group_values, group_count = _groups_of(counts, by, "goal status counts")
    month = np.searchsorted(days, _days(counts["month_end"]).astype(np.int64))
    status = counts["status"].astype(str).map(_STATUS_CODE).to_numpy(dtype=np.int64)
    shape = (len(days), group_count, len(STATUSES))
    status_counts = np.zeros(shape, dtype=np.int64)
    stale_counts = np.zeros(shape[:2], dtype=np.int64)
    np.add.at(status_counts, (month, group_codes, status), counts["count_goals"].to_numpy(dtype=np.int64))
    np.add.at(stale_counts, (month, group_codes), counts["count_stale"].to_numpy(dtype=np.int64))
    return _portfolio_frame(days, by, group_values, group_count, status_counts, stale_counts)


def goals_with_context(goals: pd.DataFrame, agreements: pd.DataFrame, affiliates: pd.DataFrame) -> pd.DataFrame:
    """The goals with their agreement's affiliate: affiliate_id, affiliate_name, affiliate_type, icma_region."""
    affiliate_of_agreement = agreements[["agreement_id", "affiliate_id"]]
    affiliate_facts = affiliates[["affiliate_id", "name", "affiliate_type", "icma_region"]].rename(
        columns={"name": "affiliate_name"}
    )
    return goals.merge(affiliate_of_agreement, on="agreement_id", how="left", validate="many_to_one").merge(
        affiliate_facts, on="affiliate_id", how="left", validate="many_to_one"
    )


def status_matrix(
    goal_status_with_context: pd.DataFrame, rows: str = "area_of_emphasis", columns: str = "affiliate_type"
) -> pd.DataFrame:
    """Long form: one row per `rows` value x `columns` value x status, with count_goals (zeros included)."""
    require_columns(goal_status_with_context.columns, [rows, columns, "status"], "goal status")
    frame = goal_status_with_context[[rows, columns]].assign(
        status=goal_status_with_context["status"].astype(STATUS_DTYPE)
    )
    counts = frame.groupby([rows, columns, "status"], observed=True).size().rename("count_goals").reset_index()
    return status_matrix_of_counts(counts, rows, columns)


def status_matrix_of_counts(counts: pd.DataFrame, rows: str, columns: str) -> pd.DataFrame:
    """`status_matrix` from counts of goals (`count_goals`) per `rows` value, `columns` value and status, as the
    store's goal_status_counts_in_scope gives them (other columns are summed over)."""
    require_columns(counts.columns, [rows, columns, "status", "count_goals"], "goal status counts")
    cells = pd.MultiIndex.from_product(
        [
            sorted(counts[rows].dropna().unique()),
            sorted(counts[columns].dropna().unique()),
            pd.Categorical(STATUSES, dtype=STATUS_DTYPE),
        ],
        names=[rows, columns, "status"],
    )
    summed = (
        counts.assign(status=counts["status"].astype(str).astype(STATUS_DTYPE))
        .groupby([rows, columns, "status"], observed=True)["count_goals"]
        .sum()
    )
    return summed.reindex(cells, fill_value=0).astype(np.int64).rename("count_goals").reset_index()


def at_risk_list(goal_status: pd.DataFrame) -> pd.DataFrame:
    """The goals that need attention (overdue, off track, at risk), worst first, every column kept.

    Overdue and off-track goals come before at-risk ones; within each tier the lowest
    pct_of_expected comes first, then the worse status, then goal_id.
    """
    status = goal_status["status"].astype(STATUS_DTYPE)
    needing_attention = goal_status[status.isin(ATTENTION_STATUSES)]
    sort_keys = pd.DataFrame(
        {
            "tier": (needing_attention["status"] == "at_risk").astype(int),
            "pct_of_expected": needing_attention["pct_of_expected"],
            "severity": -status[needing_attention.index].cat.codes,
            "goal_id": needing_attention["goal_id"],
        }
    )
    order = sort_keys.sort_values(list(sort_keys.columns), kind="stable").index
    return needing_attention.loc[order].reset_index(drop=True)


def expected_path(goal_row: Mapping[str, Any] | pd.Series, dates: Sequence[dt.date | pd.Timestamp]) -> pd.DataFrame:
    """The expected value of one goal on each date (a straight line over its term, flat outside it).

    Columns: as_of, expected_pct, expected_value.
    """
    days = np.asarray([_day(date) for date in dates], dtype=np.int64)
    start_day, due_day = _day(goal_row["start_on"]), _day(goal_row["due_on"])
    baseline, target = float(goal_row["baseline_value"]), float(goal_row["target_value"])
    expected_pct = _expected_share(np.int64(start_day), np.int64(due_day), days)
    return pd.DataFrame(
        {
            "as_of": _as_timestamps(days),
            "expected_pct": expected_pct,
            "expected_value": baseline + expected_pct * (target - baseline),
        }
    )


def latest_checkins(checkins: pd.DataFrame) -> pd.DataFrame:
    """One row per goal: its latest check-in among `checkins` (every column kept, narrative included).

    Pass the check-ins reported by the as-of date. Of two check-ins on the same day the one listed
    last wins, as in `goal_status`.
    """
    require_columns(checkins.columns, CHECKIN_COLUMNS, "goal_checkins")
    ordered = checkins.sort_values(["goal_id", "reported_on"], kind="stable")
    return ordered.drop_duplicates("goal_id", keep="last").reset_index(drop=True)


def progress_by_month(
    goals: pd.DataFrame,
    checkins: pd.DataFrame,
    month_ends: Sequence[dt.date | pd.Timestamp],
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> pd.DataFrame:
    """One row per month end: how far a group of goals (an affiliate's, an area's) had come on average.

    Columns: month_end, count_goals_started, mean_expected_pct, mean_actual_pct (both shares of the
    baseline->target distance, averaged over the goals started by then; a goal past its target counts
    as 1, so one overshoot does not hide the others), count_on_track (achieved or on track). Shares are
    NaN in months when no goal had started.
    """
    terms = _prepare(goals, checkins)
    rows = []
    for day in sorted({_day(month_end) for month_end in month_ends}):
        evaluation = _evaluate(terms, day, rules)
        started = day >= terms.start_day
        count_started = int(started.sum())
        on_track = np.isin(evaluation.status_code, [_STATUS_CODE[status] for status in ON_TRACK_STATUSES])
        rows.append(
            {
                "month_end": _as_timestamps(np.asarray([day]))[0],
                "count_goals_started": count_started,
                "mean_expected_pct": evaluation.expected_pct[started].mean() if count_started else np.nan,
                "mean_actual_pct": np.minimum(evaluation.actual_pct[started], 1.0).mean() if count_started else np.nan,
                "count_on_track": int((on_track & started).sum()),
            }
        )
    columns = ["month_end", "count_goals_started", "mean_expected_pct", "mean_actual_pct", "count_on_track"]
    return pd.DataFrame(rows, columns=columns).astype({"month_end": "datetime64[ns]"})
