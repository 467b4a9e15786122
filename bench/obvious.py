"""The obvious way to do a page's data work: pandas reads every file the page needs and groups in memory.

Each function mirrors the named queries one page runs (analytics/store/queries/*.sql) with the shared
filters at their defaults (every region and type, as of today): it reads the tables with
`pd.read_csv` / `pd.read_parquet` on every call, as an app without a query engine or cache would,
and returns the frames the page would chart. Only the tables a page's queries touch are read, which
is kind to pandas. Pages without an entry here (the upload page, which reads no tables) have no
comparison. Timed by bench.worker in its own subprocess, beside our AppTest timings.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.core.schema import TABLES
from analytics.domain.membership import MAX_CARRY_MONTHS

DATE_COLUMNS = {table.name: [c.name for c in table.columns if c.type == "DATE"] for table in TABLES}
PROFILE_ID = "state-ca"


def read(data_dir: Path, name: str) -> pd.DataFrame:
    """One table from its Parquet or CSV file, dates parsed."""
    parquet = data_dir / f"{name}.parquet"
    frame = pd.read_parquet(parquet) if parquet.is_file() else pd.read_csv(data_dir / f"{name}.csv")
    for column in DATE_COLUMNS[name]:
        frame[column] = pd.to_datetime(frame[column], errors="coerce")
    return frame


def _latest_in_month(membership: pd.DataFrame) -> pd.DataFrame:
    """Each affiliate's latest snapshot of each month, joiners and leavers summed over the month."""
    months = membership.assign(month_end_on=membership["snapshot_on"] + pd.offsets.MonthEnd(0))
    months = months.sort_values("snapshot_on")
    grouped = months.groupby(["affiliate_id", "month_end_on"], sort=False)
    return grouped.agg(
        members=("members", "last"),
        icma_members=("icma_members", "last"),
        new_members=("new_members", "sum"),
        lapsed_members=("lapsed_members", "sum"),
    ).reset_index()


def _carried_by_month(months: pd.DataFrame, last_month_end_on: pd.Timestamp) -> pd.DataFrame:
    """Per month end: each affiliate's latest snapshot carried up to MAX_CARRY_MONTHS months, flows as reported."""
    grid = pd.date_range(months["month_end_on"].min(), last_month_end_on, freq="ME")
    stocks = {
        column: months.pivot(index="month_end_on", columns="affiliate_id", values=column)
        .reindex(grid)
        .ffill(limit=MAX_CARRY_MONTHS)
        for column in ("members", "icma_members")
    }
    by_month = months.groupby("month_end_on")
    return pd.DataFrame(
        {
            "month_end_on": grid,
            "count_affiliates_reporting": by_month.size().reindex(grid, fill_value=0).to_numpy(),
            "count_affiliates_counted": stocks["members"].notna().sum(axis=1).to_numpy(),
            "members": stocks["members"].sum(axis=1).to_numpy(),
            "icma_members": stocks["icma_members"].sum(axis=1).to_numpy(),
            "new_members": by_month["new_members"].sum().reindex(grid, fill_value=0).to_numpy(),
            "lapsed_members": by_month["lapsed_members"].sum().reindex(grid, fill_value=0).to_numpy(),
        }
    )


def _current_agreements(agreements: pd.DataFrame, affiliates: pd.DataFrame, liaisons: pd.DataFrame, as_of):
    signed = agreements[agreements["signed_on"] <= as_of].sort_values(["signed_on", "agreement_id"])
    latest = signed.drop_duplicates("affiliate_id", keep="last")
    return latest.merge(affiliates, on="affiliate_id").merge(liaisons, on="liaison_id", how="left")


def overview(data_dir: Path, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    affiliates, agreements, liaisons = (read(data_dir, n) for n in ("affiliates", "agreements", "liaisons"))
    membership = read(data_dir, "membership")
    last_month_end_on = as_of.normalize() + pd.Timedelta(days=1) - pd.offsets.MonthEnd(1)
    membership = membership[membership["snapshot_on"] <= last_month_end_on]
    member_months = _carried_by_month(_latest_in_month(membership), last_month_end_on)
    icma = read(data_dir, "icma_membership")
    icma = icma[icma["snapshot_on"] <= as_of].sort_values("snapshot_on")
    icma_months = icma.groupby(icma["snapshot_on"] + pd.offsets.MonthEnd(0)).agg(members=("members", "last"))
    goals, checkins, events = (read(data_dir, n) for n in ("goals", "goal_checkins", "events"))
    goal_rows = goals.merge(agreements[["agreement_id", "affiliate_id"]], on="agreement_id")
    checkins = checkins[checkins["reported_on"] <= as_of].merge(goal_rows[["goal_id"]], on="goal_id")
    end_on = events["end_on"].fillna(events["start_on"])
    upcoming = events[(end_on >= as_of) & ~events["is_cancelled"].astype(bool)].sort_values("start_on").head(8)
    return {
        "agreements": _current_agreements(agreements, affiliates, liaisons, as_of),
        "member_months": member_months,
        "icma_months": icma_months,
        "goals": goal_rows,
        "checkins": checkins.sort_values(["goal_id", "reported_on"]),
        "events": upcoming,
    }


def goals(data_dir: Path, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    affiliates, agreements, liaisons = (read(data_dir, n) for n in ("affiliates", "agreements", "liaisons"))
    goal_rows = read(data_dir, "goals").merge(agreements[["agreement_id", "affiliate_id", "liaison_id"]])
    goal_rows = goal_rows.merge(affiliates, on="affiliate_id").merge(liaisons, on="liaison_id", how="left")
    checkins = read(data_dir, "goal_checkins")
    checkins = checkins[checkins["reported_on"] <= as_of].merge(goal_rows[["goal_id"]], on="goal_id")
    events = read(data_dir, "events")
    events = events[events["affiliate_id"].notna() & (events["start_on"] <= as_of)]
    return {"goals": goal_rows, "checkins": checkins.sort_values(["goal_id", "reported_on"]), "events": events}


def calendar(data_dir: Path, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    affiliates, events, liaisons = (read(data_dir, n) for n in ("affiliates", "events", "liaisons"))
    activities = read(data_dir, "activities")
    attendance = activities[(activities["activity_type"] == "conference_attendance") & activities["event_id"].notna()]
    return {
        "events": events.sort_values(["start_on", "event_id"]),
        "affiliates": affiliates,
        "attendance": attendance.sort_values(["event_id", "liaison_id", "activity_id"]),
        "liaisons": liaisons,
    }


def coverage(data_dir: Path, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    affiliates, agreements, liaisons, states = (
        read(data_dir, n) for n in ("affiliates", "agreements", "liaisons", "states")
    )
    activities = read(data_dir, "activities")
    membership = read(data_dir, "membership")
    known = membership[membership["snapshot_on"] <= as_of]
    latest_on = known.groupby("affiliate_id")["snapshot_on"].transform("max")
    year_before = latest_on.dt.to_period("M") - 12
    snapshots = known[(known["snapshot_on"] == latest_on) | (known["snapshot_on"].dt.to_period("M") == year_before)]
    return {
        "affiliates": affiliates,
        "agreements": agreements[agreements["signed_on"] <= as_of].sort_values(["affiliate_id", "signed_on"]),
        "activities": activities[activities["occurred_on"] <= as_of],
        "liaisons": liaisons,
        "states": states,
        "snapshots": snapshots.sort_values(["affiliate_id", "snapshot_on"]),
    }


def affiliate(data_dir: Path, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    affiliates, agreements, liaisons = (read(data_dir, n) for n in ("affiliates", "agreements", "liaisons"))
    own_agreements = agreements[(agreements["affiliate_id"] == PROFILE_ID) & (agreements["signed_on"] <= as_of)]
    goal_rows = read(data_dir, "goals").merge(own_agreements[["agreement_id"]], on="agreement_id")
    checkins = read(data_dir, "goal_checkins")
    checkins = checkins[checkins["reported_on"] <= as_of].merge(goal_rows[["goal_id"]], on="goal_id")
    membership = read(data_dir, "membership")
    own = membership[(membership["affiliate_id"] == PROFILE_ID) & (membership["snapshot_on"] <= as_of)]
    events = read(data_dir, "events")
    activities = read(data_dir, "activities")
    return {
        "profile": affiliates[affiliates["affiliate_id"] == PROFILE_ID],
        "agreements": own_agreements.merge(liaisons, on="liaison_id", how="left"),
        "goals": goal_rows,
        "checkins": checkins,
        "member_months": _latest_in_month(own),
        "events": events[events["affiliate_id"] == PROFILE_ID],
        "activities": activities[activities["affiliate_id"] == PROFILE_ID].merge(liaisons, on="liaison_id", how="left"),
    }


# url_path -> the page's data work done the obvious way
OBVIOUS_WAYS: dict[str, Callable[[Path, pd.Timestamp], dict[str, pd.DataFrame]]] = {
    "overview": overview,
    "goals": goals,
    "calendar": calendar,
    "coverage": coverage,
    "affiliate": affiliate,
}


def time_obvious_ways(data_dir: Path, pages: list[str], repeat: int) -> list[dict]:
    """Seconds each page's obvious way takes on one data folder (every call reads the files again)."""
    as_of = pd.Timestamp(date.today())
    results = []
    for page in pages:
        work = OBVIOUS_WAYS.get(page)
        if work is None:
            continue
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            work(data_dir, as_of)
            runs.append(time.perf_counter() - started)
        results.append({"page": page, "runs": runs, "median": statistics.median(runs)})
    return results
