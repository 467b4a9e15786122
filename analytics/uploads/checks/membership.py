"""Checking membership files: each affiliate's members, and how many of them also belong to ICMA, on a date.

Vectorised in Arrow column by column, for files of a million rows: a Parquet column of integers is checked as
counts as it is, every other column through its text. A snapshot dated in the future, more members also in
ICMA than members, and the same affiliate and date twice in the file are errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.uploads.checked import Checked, FileCells, same_key_reasons
from analytics.uploads.matching import AFFILIATE_SYNONYMS, TargetColumn
from analytics.uploads.names import AffiliateResolver, names_from_text
from analytics.uploads.values import (
    DateOrder,
    DateQuestion,
    as_series,
    counts_from_text,
    dates_from_text,
    is_count_type,
    trimmed_text,
    typed_counts,
)

if TYPE_CHECKING:
    from analytics.store.reader import Store

COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn(
        "affiliate_id",
        "affiliate",
        True,
        (*AFFILIATE_SYNONYMS, "state", "st", "state code", "state_code", "acronym"),
    ),
    TargetColumn(
        "snapshot_on",
        "date",
        True,
        (
            "date",
            "as of",
            "as of date",
            "snapshot",
            "snapshot date",
            "snapshot on",
            "month end",
            "period end",
            "period end date",
            "as at",
            "reporting period",
            "report date",
            "reported on",
            "month",
        ),
        holds="date",
    ),
    TargetColumn(
        "members",
        "members",
        True,
        (
            "members",
            "total members",
            "member count",
            "membership",
            "total membership",
            "number of members",
            "active members",
            "members in good standing",
        ),
        holds="count",
    ),
    TargetColumn(
        "icma_members",
        "members also in ICMA",
        True,
        (
            "icma members",
            "dual members",
            "dual membership",
            "also icma",
            "members also in icma",
            "icma",
            "icma member count",
            "dual",
            "dual icma",
            "dual icma members",
            "members in icma",
        ),
        holds="count",
    ),
    TargetColumn("new_members", "new members", False, ("new members", "new", "joined", "joins", "new joins")),
    TargetColumn(
        "lapsed_members",
        "lapsed members",
        False,
        ("lapsed members", "lapsed", "left", "lapses", "drops", "dropped"),
    ),
)


@dataclass(frozen=True)
class MembershipReference:
    """What checking a membership file needs from the store: the affiliates, by any name they go by."""

    affiliates: AffiliateResolver

    @classmethod
    def from_store(cls, store: Store) -> MembershipReference:
        return cls(AffiliateResolver.from_tables(store.table("affiliates"), store.table("states")))


def check_membership(
    cells: FileCells, reference: MembershipReference, today: date, date_order: DateOrder | None = None
) -> Checked:
    """Every row of a membership file checked; valid rows typed for the store."""
    match, index = cells.match, cells.index
    rows = cells.rows()
    reasons: dict[str, pd.Series] = {}
    question = None
    for column in cells.columns:
        if column.name not in match.sources:
            rows[column.name] = pd.Series(
                pd.NA, index=index, dtype="Int64" if column.name != "affiliate_id" else "string"
            )
            continue
        values = cells.originals[column.name]
        parsed, reason, blank, asked = _membership_values(column.name, values, reference.affiliates, date_order)
        question = question or asked
        parsed, reason = as_series(parsed, index), as_series(reason, index)
        blank = pd.Series(blank.to_numpy(zero_copy_only=False), index=index)
        if column.name == "snapshot_on":
            future = parsed.notna() & (parsed > pd.Timestamp(today))
            reason = reason.mask(future, "the date is in the future")
            parsed = parsed.where(~future)
        if column.required:
            reason = reason.mask(blank, "a value is required")
        rows[column.name] = parsed
        reasons[column.name] = reason
    if "members" in match.sources and "icma_members" in match.sources:
        above = rows["icma_members"].gt(rows["members"]).fillna(False).astype(bool)
        reasons["icma_members"] = reasons["icma_members"].mask(
            above & reasons["icma_members"].isna(), "more members also in ICMA than members"
        )
    if "affiliate_id" in match.sources and "snapshot_on" in match.sources:
        reasons["snapshot_on"] = same_key_reasons(
            rows, ["affiliate_id", "snapshot_on"], reasons["snapshot_on"], "affiliate and date", verb="stand"
        )
    return cells.checked(rows, reasons, question)


def _membership_values(
    name: str, values: pa.Array, resolver: AffiliateResolver, date_order: DateOrder | None
) -> tuple[pa.Array, pa.Array, pa.Array, DateQuestion | None]:
    """One membership column's values, the reason each bad one is bad, which cells are blank, and any question.

    A Parquet column of integers is checked as counts directly; every other column through its text.
    """
    if name not in ("affiliate_id", "snapshot_on") and is_count_type(values.type):
        return *typed_counts(values), values.is_null(), None
    text = trimmed_text(values)  # trimmed once, shared by the blank test and the parser
    if name not in ("affiliate_id", "snapshot_on"):
        return *counts_from_text(text), None
    blank = pc.fill_null(pc.equal(text, ""), True)
    if name == "affiliate_id":
        return *names_from_text(text, resolver), blank, None
    dates, reason, question = dates_from_text(text, date_order)
    return dates, reason, blank, question
