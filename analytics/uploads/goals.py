"""Checking goals files and goal check-in files, row by row, as analytics.uploads.ingest checks membership.

A goal names its agreement, or only its affiliate: then the agreement in force on the goal's start
date is used. Areas of emphasis, directions and reporting intervals are read in the words people
write ("DEI", "lower is better", "quarterly"). A goal's direction, when the file gives none, follows
from its baseline and target; a target that contradicts a given direction is an error.

A check-in names its goal by id or title, a date that is neither in the future nor before the goal
started, and a value in the goal's unit ("45%" and "1,234" are read as numbers).

A row without an id takes the id of the stored record it describes (a goal: same agreement and
title; a check-in: same goal and date), so uploading it again replaces that record instead of
adding a second one; a new record gets an id made of its parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics.core.schema import AREAS_OF_EMPHASIS
from analytics.core.schema import table as schema_table
from analytics.uploads.ingest import (
    AffiliateResolver,
    Checked,
    DateOrder,
    FileCells,
    NameResolver,
    SourceTable,
    normalise,
    parse_counts,
    parse_numbers,
    record_id,
    resolve_names,
    same_key_reasons,
    with_reason,
)

DEFAULT_REPORTING_INTERVAL_MONTHS = 3
# Units of goals measured in percent (a check-in of 0.33 for such a goal is a fraction written for 33%).
PERCENT_UNITS = frozenset({"percent", "per cent", "percentage", "pct"})

_ETHICS, _LEADERSHIP, _ADVOCACY, _MEMBERSHIP, _GOVERNANCE, _INCLUSIVENESS = AREAS_OF_EMPHASIS
# The words people use for each area of emphasis, besides its full name (read through `area_key`).
AREA_WORDS: dict[str, str] = {
    **{area: area for area in AREAS_OF_EMPHASIS},
    **dict.fromkeys(["ethics", "ethic"], _ETHICS),
    **dict.fromkeys(
        ["leadership", "professional development", "leadership development", "leadership and development"],
        _LEADERSHIP,
    ),
    **dict.fromkeys(["advocacy", "advocacy for the profession", "profession advocacy"], _ADVOCACY),
    **dict.fromkeys(
        ["membership", "membership development", "member engagement", "engagement", "member support"],
        _MEMBERSHIP,
    ),
    **dict.fromkeys(["governance"], _GOVERNANCE),
    **dict.fromkeys(
        [
            "inclusiveness",
            "inclusion",
            "diversity",
            "dei",
            "equity",
            "diversity equity and inclusion",
            "inclusiveness and diversity",
            "diversity and inclusion",
        ],
        _INCLUSIVENESS,
    ),
}


def area_key(text: str) -> str:
    """Text for matching an area: normalised, without "and" ("Leadership & Professional Development" matches)."""
    return " ".join(word for word in normalise(text).split() if word != "and")


AREAS_BY_KEY: dict[str, str] = {area_key(words): area for words, area in AREA_WORDS.items()}

DIRECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["increase", "up", "higher", "higher is better", "more", "grow", "raise", "increasing"], "increase"
    ),
    **dict.fromkeys(
        ["decrease", "down", "lower", "lower is better", "less", "fewer", "reduce", "decreasing"], "decrease"
    ),
}
INTERVAL_WORDS: dict[str, int] = {
    **dict.fromkeys(["monthly", "every month", "month"], 1),
    **dict.fromkeys(["quarterly", "every quarter", "quarter"], 3),
    **dict.fromkeys(["twice a year", "semiannual", "semi annual", "semiannually", "half yearly", "biannual"], 6),
    **dict.fromkeys(["annual", "annually", "yearly", "every year", "year"], 12),
}

GOAL_ROW_COLUMNS = ["row_number", *schema_table("goals").column_names]
CHECKIN_ROW_COLUMNS = ["row_number", *schema_table("goal_checkins").column_names]


@dataclass(frozen=True)
class GoalReference:
    """What checking a goals file needs from the store: affiliates, agreements and the goals already there."""

    affiliates: AffiliateResolver
    agreements: NameResolver
    terms: pd.DataFrame  # agreement_id, affiliate_id, signed_on, renewal_due_on: one row per agreement
    goals: pd.DataFrame  # goal_id, agreement_id, affiliate_id, title_key: one row per stored goal

    @classmethod
    def from_tables(
        cls, affiliates: pd.DataFrame, states: pd.DataFrame, agreements: pd.DataFrame, goals: pd.DataFrame
    ) -> GoalReference:
        names = dict(zip(affiliates["affiliate_id"], affiliates["name"], strict=True))
        records = [
            (agreement_id, f"{agreement_id} ({names.get(affiliate_id, affiliate_id)})", [agreement_id])
            for agreement_id, affiliate_id in zip(agreements["agreement_id"], agreements["affiliate_id"], strict=True)
        ]
        terms = agreements[["agreement_id", "affiliate_id", "signed_on", "renewal_due_on"]].assign(
            signed_on=pd.to_datetime(agreements["signed_on"]).astype("datetime64[ns]"),
            renewal_due_on=pd.to_datetime(agreements["renewal_due_on"]).astype("datetime64[ns]"),
        )
        owners = dict(zip(agreements["agreement_id"], agreements["affiliate_id"], strict=True))
        stored = goals[["goal_id", "agreement_id"]].assign(
            affiliate_id=goals["agreement_id"].map(owners), title_key=goals["title"].map(normalise)
        )
        return cls(
            AffiliateResolver.from_tables(affiliates, states),
            NameResolver.from_names(
                records, "agreement", "use its id as on the affiliate's page, or name the affiliate"
            ),
            terms,
            stored,
        )


def agreement_in_force(affiliate_ids: pd.Series, on: pd.Series, terms: pd.DataFrame) -> pd.Series:
    """The agreement of each affiliate in force on each date: the latest it signed on or before that date."""
    asked = pd.DataFrame(
        {"affiliate_id": affiliate_ids.astype(object), "on": pd.to_datetime(on).astype("datetime64[ns]")}
    )
    asked["position"] = range(len(asked))
    known = asked.dropna().sort_values("on")
    signed = terms.dropna(subset=["signed_on"]).sort_values("signed_on")
    signed = signed.assign(affiliate_id=signed["affiliate_id"].astype(object))
    found = pd.merge_asof(known, signed, left_on="on", right_on="signed_on", by="affiliate_id", direction="backward")
    result = pd.Series(pd.NA, index=range(len(asked)), dtype="string")
    result.iloc[found["position"].to_numpy()] = found["agreement_id"].astype("string").to_numpy()
    return result.set_axis(affiliate_ids.index)


def check_goals(
    source: SourceTable,
    reference: GoalReference,
    mapping: dict[str, str] | None = None,
    date_order: DateOrder | None = None,
) -> Checked:
    """Every row of a goals file checked; valid rows typed for the store."""
    cells = FileCells(source, "goals", mapping)
    rows = cells.rows()
    file_problems = ()
    if not cells.has("agreement_id") and not cells.has("affiliate_id"):
        file_problems = ("a goal needs its agreement or its affiliate, and no column names either",)

    dates, date_reasons, question = cells.dates(("start_on", "due_on"), date_order)
    rows["start_on"], rows["due_on"] = dates["start_on"], dates["due_on"]
    reasons = {name: date_reasons[name].mask(cells.blank(name), "a value is required") for name in dates}
    reasons["due_on"] = with_reason(reasons["due_on"], rows["due_on"] <= rows["start_on"], "due on or before its start")

    for name in ("title", "metric", "unit"):
        rows[name] = cells.value(name)
        reasons[name] = cells.required(name)
    title_keys = rows["title"].fillna("").map(normalise)
    agreements, reasons["agreement_id"], reasons["affiliate_id"], stored_ids = _agreements(
        cells, rows, reference, title_keys
    )
    rows["agreement_id"] = agreements

    areas = cells.text("area_of_emphasis").map(area_key).map(AREAS_BY_KEY).astype("string")
    rows["area_of_emphasis"] = areas
    reasons["area_of_emphasis"] = with_reason(
        cells.required("area_of_emphasis"),
        areas.isna(),
        "not one of the six areas of emphasis (" + "; ".join(AREAS_OF_EMPHASIS) + ")",
    )

    for name in ("baseline_value", "target_value"):
        rows[name], number_reason, blank = parse_numbers(cells.text(name))
        reasons[name] = number_reason.mask(blank, "a value is required")
    rows["direction"], reasons["direction"], reasons["target_value"] = _directions(cells, rows, reasons["target_value"])
    rows["reporting_interval_months"], reasons["reporting_interval_months"] = _intervals(cells)

    made = pd.Series(
        [
            record_id("G-", agreement.removeprefix("AG-"), slug_of=title)
            if isinstance(agreement, str) and title
            else None
            for agreement, title in zip(rows["agreement_id"].astype(object), title_keys, strict=True)
        ],
        index=cells.index,
        dtype="string",
    )
    rows["goal_id"] = cells.value("goal_id").fillna(stored_ids).fillna(made)
    key_column = "goal_id" if cells.has("goal_id") else "title"
    reasons[key_column] = same_key_reasons(rows, ["goal_id"], reasons.get(key_column), "goal")
    rows["is_sample"] = False
    return cells.checked(rows[GOAL_ROW_COLUMNS], reasons, question, file_problems)


def _agreements(
    cells: FileCells, rows: pd.DataFrame, reference: GoalReference, title_keys: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Each goal's agreement, the reasons for the agreement and affiliate columns, and the id of the stored goal
    the row describes.

    The agreement is the one named; else, when the affiliate already has a goal of that title, that goal's;
    else the affiliate's agreement in force on the start date. The stored goal is the one of the same
    agreement (named) or affiliate (not) and title.
    """
    named, agreement_reason = resolve_names(cells.text("agreement_id"), reference.agreements)
    affiliates, affiliate_reason = resolve_names(cells.text("affiliate_id"), reference.affiliates)
    owner = named.map(dict(zip(reference.terms["agreement_id"], reference.terms["affiliate_id"], strict=True)))
    mismatch = named.notna() & affiliates.notna() & (owner != affiliates)
    agreement_reason = with_reason(
        agreement_reason, mismatch, "this agreement is another affiliate's than the one the row names"
    )
    needs_one = named.isna() & cells.blank("agreement_id") & affiliates.notna()
    stored = reference.goals.drop_duplicates(["affiliate_id", "title_key"])
    by_affiliate = _stored(stored, {"affiliate_id": affiliates.where(needs_one), "title_key": title_keys})
    by_agreement = _stored(reference.goals, {"agreement_id": named, "title_key": title_keys})
    in_force = agreement_in_force(affiliates, rows["start_on"], reference.terms)
    agreements = named.fillna(by_affiliate["agreement_id"]).fillna(in_force).where(~mismatch)

    needs_one &= by_affiliate["goal_id"].isna()
    has_any = affiliates.isin(reference.terms["affiliate_id"])
    affiliate_reason = with_reason(affiliate_reason, needs_one & ~has_any, "this affiliate has no agreement with ICMA")
    affiliate_reason = with_reason(
        affiliate_reason,
        needs_one & in_force.isna() & rows["start_on"].notna(),
        "this affiliate had no agreement yet on the goal's start date; name the agreement",
    )
    ends = agreements.map(dict(zip(reference.terms["agreement_id"], reference.terms["renewal_due_on"], strict=True)))
    expired = pd.to_datetime(ends).lt(rows["start_on"]).fillna(False).astype(bool) & by_affiliate["goal_id"].isna()
    ran_out = (
        "this agreement ran out on "
        + pd.to_datetime(ends).dt.strftime("%Y-%m-%d").fillna("")
        + (", before the goal starts; name the agreement in force (or renew it first)")
    )
    agreement_reason = agreement_reason.mask(expired & named.notna() & agreement_reason.isna(), ran_out)
    affiliate_reason = affiliate_reason.mask(
        expired & named.isna() & affiliate_reason.isna(), ran_out.str.replace("this agreement", "its last agreement")
    )
    neither = cells.blank("agreement_id") & cells.blank("affiliate_id")
    required = "a value is required (the goal's agreement, or its affiliate)"
    if cells.has("agreement_id"):
        agreement_reason = with_reason(agreement_reason, neither, required)
    else:
        affiliate_reason = with_reason(affiliate_reason, neither, required)
    return agreements, agreement_reason, affiliate_reason, by_agreement["goal_id"].fillna(by_affiliate["goal_id"])


def _stored(goals: pd.DataFrame, key: dict[str, pd.Series]) -> pd.DataFrame:
    """The goal_id and agreement_id of the stored goal with each row's key (missing where none has it)."""
    asked = pd.DataFrame({name: values.astype(object) for name, values in key.items()})
    known = goals.dropna(subset=list(key)).drop_duplicates(list(key)).astype(dict.fromkeys(key, object))
    columns = list(dict.fromkeys([*key, "goal_id", "agreement_id"]))
    found = asked.merge(known[columns], on=list(key), how="left")
    return found[["goal_id", "agreement_id"]].astype("string").set_axis(asked.index)


def _directions(
    cells: FileCells, rows: pd.DataFrame, target_reason: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each goal's direction, given or else following from baseline and target; and the reasons for the
    direction and target columns."""
    given = cells.text("direction").map(normalise).map(DIRECTION_WORDS).astype("string")
    direction_reason = with_reason(
        pd.Series(pd.NA, index=cells.index, dtype="string"),
        given.isna() & ~cells.blank("direction"),
        "not a direction (use increase or decrease)",
    )
    baseline, target = rows["baseline_value"], rows["target_value"]
    implied = pd.Series("increase", index=cells.index, dtype="string").mask(target < baseline, "decrease")
    target_reason = with_reason(target_reason, target == baseline, "equals the baseline: there is nothing to reach")
    target_reason = with_reason(
        target_reason, (given == "increase") & (target < baseline), "below the baseline, but the goal is to increase"
    )
    target_reason = with_reason(
        target_reason, (given == "decrease") & (target > baseline), "above the baseline, but the goal is to decrease"
    )
    return given.fillna(implied), direction_reason, target_reason


def _intervals(cells: FileCells) -> tuple[pd.Series, pd.Series]:
    """Months between check-ins: a whole number of at least 1 or a word ("quarterly"); 3 when not given."""
    text = cells.text("reporting_interval_months")
    words = text.map(normalise).map(INTERVAL_WORDS)
    numbers, reason = parse_counts(text.mask(words.notna(), ""))
    months = numbers.astype("Float64").fillna(words.astype("Float64")).fillna(DEFAULT_REPORTING_INTERVAL_MONTHS)
    reason = with_reason(reason, months < 1, "at least 1 month between check-ins")
    reason = reason.mask(
        reason.eq("not a number").fillna(False), "not a number of months (or monthly, quarterly, annual)"
    )
    return months.astype("Int64"), reason


def _fraction_reasons(rows: pd.DataFrame, reasons: pd.Series, reference: CheckinReference) -> pd.Series:
    """A value between 0 and 1 for a goal measured in percent whose baseline or target is above 1 is a fraction
    (0.33 written for 33%), the way a spreadsheet stores a percentage cell: refused with the value to write."""
    scale = reference.percent_goals.reindex(rows["goal_id"].astype(object))
    largest = scale.abs().max(axis=1).to_numpy()
    value = rows["value"].to_numpy(dtype="float64", na_value=float("nan"))
    fraction = (abs(value) > 0) & (abs(value) <= 1) & (largest > 1)
    written = pd.Series(value * 100, index=rows.index).map("{:g}".format)
    message = "looks like a fraction; this goal is measured in percent, so write " + written + " for " + written + "%"
    return reasons.mask(pd.Series(fraction, index=rows.index) & reasons.isna(), message)


@dataclass(frozen=True)
class CheckinReference:
    """What checking a check-ins file needs from the store: the goals and the check-ins already there."""

    goals: NameResolver
    goal_starts: pd.Series  # start_on by goal_id
    checkins: pd.DataFrame  # checkin_id, goal_id, reported_on: one row per stored check-in
    percent_goals: pd.DataFrame = field(default_factory=pd.DataFrame)  # by goal_id: baseline_value, target_value

    @classmethod
    def from_tables(cls, goals: pd.DataFrame, checkins: pd.DataFrame) -> CheckinReference:
        records = [
            (goal_id, f"{title} ({goal_id})", [goal_id, title])
            for goal_id, title in zip(goals["goal_id"], goals["title"], strict=True)
        ]
        return cls(
            NameResolver.from_names(records, "goal", "use its id or its title as on the Goals page"),
            pd.to_datetime(goals.set_index("goal_id")["start_on"]).astype("datetime64[ns]"),
            checkins[["checkin_id", "goal_id"]].assign(
                reported_on=pd.to_datetime(checkins["reported_on"]).astype("datetime64[ns]")
            ),
            goals[goals["unit"].map(normalise).isin(PERCENT_UNITS) | goals["unit"].str.strip().eq("%")].set_index(
                "goal_id"
            )[["baseline_value", "target_value"]],
        )


def check_goal_checkins(
    source: SourceTable,
    reference: CheckinReference,
    today: date,
    mapping: dict[str, str] | None = None,
    date_order: DateOrder | None = None,
) -> Checked:
    """Every row of a check-ins file checked; valid rows typed for the store.

    `reported_by`, when the file gives none, is left empty here and filled with whoever commits.
    """
    cells = FileCells(source, "goal_checkins", mapping)
    rows = cells.rows()
    rows["goal_id"], goal_reason = resolve_names(cells.text("goal_id"), reference.goals)
    reasons = {"goal_id": cells.required("goal_id").fillna(goal_reason)}

    dates, date_reasons, question = cells.dates(("reported_on",), date_order)
    reported_on = dates["reported_on"].astype("datetime64[ns]")
    starts = rows["goal_id"].map(reference.goal_starts).astype("datetime64[ns]")
    reason = cells.required("reported_on").fillna(date_reasons["reported_on"])
    reason = with_reason(reason, reported_on > pd.Timestamp(today), "the date is in the future")
    before = reported_on < starts
    reason = reason.mask(
        before & reason.isna(),
        "before the goal started (" + starts.dt.strftime("%Y-%m-%d").fillna("") + ")",
    )
    reasons["reported_on"] = reason
    rows["reported_on"] = reported_on

    rows["value"], value_reason, blank = parse_numbers(cells.text("value"))
    reasons["value"] = _fraction_reasons(rows, value_reason.mask(blank, "a value is required"), reference)
    rows["narrative"] = cells.value("narrative")
    rows["reported_by"] = cells.value("reported_by")

    asked = pd.DataFrame({"goal_id": rows["goal_id"].astype(object), "reported_on": reported_on})
    stored = reference.checkins.drop_duplicates(["goal_id", "reported_on"])
    stored = stored.assign(goal_id=stored["goal_id"].astype(object))
    found = asked.merge(stored, on=["goal_id", "reported_on"], how="left")["checkin_id"]
    made = pd.Series(
        [
            record_id("C-", goal, when.date().isoformat()) if isinstance(goal, str) and pd.notna(when) else None
            for goal, when in zip(asked["goal_id"], asked["reported_on"], strict=True)
        ],
        index=cells.index,
        dtype="string",
    )
    rows["checkin_id"] = (
        cells.value("checkin_id").fillna(pd.Series(found.to_numpy(), index=cells.index, dtype="string")).fillna(made)
    )
    reasons["reported_on"] = same_key_reasons(rows, ["goal_id", "reported_on"], reasons["reported_on"], "goal and date")
    if cells.has("checkin_id"):
        reasons["checkin_id"] = same_key_reasons(rows, ["checkin_id"], None, "check-in id")
    rows["is_sample"] = False
    return cells.checked(rows[CHECKIN_ROW_COLUMNS], reasons, question)
