"""Checking goals files: the mutually beneficial goals of an agreement, row by row.

A goal names its agreement, or only its affiliate: then the agreement in force on the goal's start
date is used. Areas of emphasis, directions and reporting intervals are read in the words people
write ("DEI", "lower is better", "quarterly"). A goal's direction, when the file gives none, follows
from its baseline and target; a target that contradicts a given direction is an error.

A row without an id takes the id of the stored goal it describes (same agreement and title), so
uploading it again replaces that goal instead of adding a second one; a new goal gets an id made
of its agreement and title.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from analytics.core.frames import is_among
from analytics.core.schema import AREAS_OF_EMPHASIS
from analytics.uploads.checked import (
    Checked,
    FileCells,
    made_id_collisions,
    record_id,
    same_key_reasons,
    with_reason,
)
from analytics.uploads.matching import AFFILIATE_SYNONYMS, TargetColumn
from analytics.uploads.names import AffiliateResolver, NameResolver, liaison_resolver, normalise, resolve_names
from analytics.uploads.values import DateOrder, parse_counts, parse_numbers

if TYPE_CHECKING:
    from analytics.store.reader import Store

DEFAULT_REPORTING_INTERVAL_MONTHS = 3

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

COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn("goal_id", "goal id", False, ("goal id", "id", "goal code", "code", "goal number")),
    TargetColumn("agreement_id", "agreement", False, ("agreement", "agreement id", "agreement code")),
    TargetColumn("affiliate_id", "affiliate", False, (*AFFILIATE_SYNONYMS, "partner")),
    TargetColumn(
        "area_of_emphasis",
        "area of emphasis",
        True,
        ("area", "area of emphasis", "areas of emphasis", "emphasis", "focus area", "theme", "category"),
    ),
    TargetColumn("title", "goal", True, ("goal", "title", "goal title", "goal name", "goal description", "objective")),
    TargetColumn("metric", "metric", True, ("metric", "measure", "indicator", "kpi", "what is measured")),
    TargetColumn("unit", "unit", True, ("unit", "units", "unit of measure", "uom")),
    TargetColumn("direction", "direction", False, ("direction", "better when", "aim")),
    TargetColumn(
        "baseline_value",
        "baseline",
        True,
        ("baseline", "baseline value", "start value", "starting value", "value at start"),
    ),
    TargetColumn("target_value", "target", True, ("target", "target value", "goal value", "value at due date")),
    TargetColumn(
        "start_on", "start date", True, ("start", "start date", "starts", "starts on", "begins", "term start", "from")
    ),
    TargetColumn(
        "due_on",
        "due date",
        True,
        ("due", "due date", "due on", "deadline", "end", "end date", "target date", "term end", "by", "to"),
    ),
    TargetColumn(
        "owner_id",
        "owner",
        False,
        ("owner", "goal owner", "owner name", "owner email", "owner e mail", "owned by", "responsible", "accountable"),
    ),
    TargetColumn(
        "reporting_interval_months",
        "reporting interval",
        False,
        (
            "reporting interval",
            "reporting interval months",
            "reporting frequency",
            "frequency",
            "interval",
            "check in every",
            "months between reports",
        ),
    ),
)


@dataclass(frozen=True)
class GoalReference:
    """What checking a goals file needs from the store: affiliates, agreements and the goals already there."""

    affiliates: AffiliateResolver
    agreements: NameResolver
    terms: pd.DataFrame  # agreement_id, affiliate_id, signed_on, renewal_due_on: one row per agreement
    goals: pd.DataFrame  # goal_id, agreement_id, affiliate_id, title_key: one row per stored goal
    owners: NameResolver | None = None  # the liaisons a goal's owner may name (by id, name or e-mail)

    @classmethod
    def from_tables(
        cls,
        affiliates: pd.DataFrame,
        states: pd.DataFrame,
        agreements: pd.DataFrame,
        goals: pd.DataFrame,
        liaisons: pd.DataFrame | None = None,
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
            None if liaisons is None else liaison_resolver(liaisons, "use their liaison id, full name or e-mail"),
        )

    @classmethod
    def from_store(cls, store: Store) -> GoalReference:
        tables = ("affiliates", "states", "agreements", "goals", "liaisons")
        return cls.from_tables(*(store.table(name) for name in tables))


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
    cells: FileCells, reference: GoalReference, today: date, date_order: DateOrder | None = None
) -> Checked:
    """Every row of a goals file checked; valid rows typed for the store."""
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
    found_ids = cells.value("goal_id").fillna(stored_ids)
    rows["goal_id"] = found_ids.fillna(made)
    key_column = "goal_id" if cells.has("goal_id") else "title"
    reasons[key_column] = same_key_reasons(rows, ["goal_id"], reasons.get(key_column), "goal")
    reasons[key_column] = made_id_collisions(
        made, found_ids.isna(), reference.goals["goal_id"], "goal", reasons[key_column]
    )
    # A goal without an owner is its agreement's liaison's (the store's view goal_owners).
    if reference.owners is None:
        rows["owner_id"] = pd.Series(pd.NA, index=cells.index, dtype="string")
    else:
        rows["owner_id"], reasons["owner_id"] = resolve_names(cells.text("owner_id"), reference.owners)
    rows["is_sample"] = False
    return cells.checked(rows, reasons, question, file_problems)


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
    has_any = is_among(affiliates, reference.terms["affiliate_id"])
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
