"""The sample-data generator: deterministic, true to the schema and the reference files, and plausible."""

from __future__ import annotations

import argparse
import csv
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics.cli.sample import scale_argument
from analytics.core import schema
from analytics.sample.generator import (
    ICMA_MEMBERSHIP_STATEMENTS,
    REFERENCE_DIR,
    SAMPLE_EVENT_NOTE,
    SAMPLE_EVENTS_FROM,
    SAMPLE_THROUGH,
    candidate_notes,
    fit_fields,
    host_state,
    organizing_affiliate,
    read_reference_tables,
    relationship_since,
    relationship_status,
    write_sample,
)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """One written table, every value as text (empty -> NA), membership with numbers."""
    if name == "membership":
        return pq.read_table(folder / "membership.parquet").to_pandas()
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).replace("", pd.NA)


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    write_sample(folder)
    return folder


@pytest.fixture(scope="module")
def tables(sample_dir: Path) -> dict[str, pd.DataFrame]:
    return {table.name: read_table(sample_dir, table.name) for table in schema.TABLES}


def test_two_runs_write_identical_files(sample_dir: Path, tmp_path: Path) -> None:
    rows = write_sample(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in sample_dir.iterdir())
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (sample_dir / path.name).read_bytes(), path.name
    assert set(rows) == {table.name for table in schema.TABLES}


def test_every_table_has_exactly_the_schema_columns_in_order(sample_dir: Path) -> None:
    for table in schema.TABLES:
        if table.name == "membership":
            names = pq.read_schema(sample_dir / "membership.parquet").names
        else:
            with (sample_dir / f"{table.name}.csv").open(encoding="utf-8", newline="") as file:
                names = next(csv.reader(file))
        assert names == table.column_names, table.name


def test_keys_are_unique_and_required_values_present(tables: dict[str, pd.DataFrame]) -> None:
    for table in schema.TABLES:
        frame = tables[table.name]
        assert len(frame) > 0, table.name
        assert not frame.duplicated(list(table.key)).any(), table.name
        for column in table.columns:
            if not column.nullable:
                assert frame[column.name].notna().all(), f"{table.name}.{column.name}"
            if column.allowed is not None:
                values = set(frame[column.name].dropna())
                assert values <= set(column.allowed), f"{table.name}.{column.name}: {values - set(column.allowed)}"


def test_references_resolve(tables: dict[str, pd.DataFrame]) -> None:
    for table in schema.TABLES:
        for column, (target_table, target_column) in table.references.items():
            values = set(tables[table.name][column].dropna())
            missing = values - set(tables[target_table][target_column])
            assert not missing, f"{table.name}.{column}: {sorted(missing)[:5]}"


def test_booleans_and_dates_are_spelled_for_the_store(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables["events"]["is_cancelled"]) == {"true", "false"}
    assert tables["goals"]["start_on"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_icma_members_never_exceed_members(tables: dict[str, pd.DataFrame]) -> None:
    membership = tables["membership"]
    assert (membership["icma_members"] <= membership["members"]).all()
    counts = membership[["members", "icma_members", "new_members", "lapsed_members"]]
    assert (counts >= 0).all().all()


def test_membership_balances_month_to_month(tables: dict[str, pd.DataFrame]) -> None:
    membership = tables["membership"].sort_values(["affiliate_id", "snapshot_on"])
    previous = membership.groupby("affiliate_id")["members"].shift()
    follows = previous.notna()
    expected = previous[follows] + membership["new_members"][follows] - membership["lapsed_members"][follows]
    assert (expected == membership["members"][follows]).all()


def test_icma_total_follows_the_published_figures(tables: dict[str, pd.DataFrame]) -> None:
    icma = tables["icma_membership"].set_index("snapshot_on")
    members = icma["members"].astype(int)
    assert abs(members["2015-06-30"] - 9568) <= 0.05 * 9568
    in_2024 = members[members.index.str.startswith("2024")]
    assert len(in_2024) == 12 and in_2024.between(12_700, 13_600).all()
    balance = members.shift() + icma["new_members"].astype(int) - icma["lapsed_members"].astype(int)
    assert (balance.iloc[1:] == members.iloc[1:]).all()


def test_icma_total_keeps_every_statement_icma_made(tables: dict[str, pd.DataFrame]) -> None:
    members = tables["icma_membership"].set_index("snapshot_on")["members"].astype(int)
    assert len(ICMA_MEMBERSHIP_STATEMENTS) == 7
    for statement in ICMA_MEMBERSHIP_STATEMENTS:
        value = members[statement.read_on.isoformat()]
        if statement.is_exact:
            assert value == statement.members, statement.said
        else:
            assert value > statement.members, statement.said
    assert members["2016-06-30"] == 10_549 and members["2025-06-30"] > 14_000
    assert members.pct_change().abs().max() < 0.03, "no jump of 3% or more from one month to the next"


def reference_rows(name: str) -> int:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as file:
        return sum(1 for row in list(csv.reader(file))[1:] if any(row))


def test_every_reference_affiliate_and_event_is_present(tables: dict[str, pd.DataFrame]) -> None:
    per_type = tables["affiliates"]["affiliate_type"].value_counts()
    assert per_type["state"] == reference_rows("state_associations.csv")
    assert per_type["national"] == reference_rows("national_affiliates.csv")
    assert per_type["international"] == reference_rows("international_affiliates.csv")
    assert len(tables["states"]) == reference_rows("icma_regions.csv")
    events = tables["events"]
    assert (events["is_sample"] == "false").sum() == reference_rows("events.csv")
    assert {"state-ca", "natl-nfbpa", "intl-gbr-solace", "intl-cze-stmou"} <= set(tables["affiliates"]["affiliate_id"])


CANDIDATES = {"intl-fra-udite", "intl-mex-ammac", "intl-ind-cmamp", "intl-ind-cmao"}


def test_counts_per_type_and_status_follow_the_reference(tables: dict[str, pd.DataFrame]) -> None:
    affiliates = tables["affiliates"]
    counts = affiliates.groupby(["affiliate_type", "status"]).size().to_dict()
    assert counts == {
        ("state", "current"): 38,
        ("national", "current"): 7,
        ("national", "unknown"): 1,  # ELGL: no source confirms an agreement
        ("international", "current"): 31,
        ("international", "former"): 1,  # LG Professionals Australia, national office wound up in 2023
        ("international", "unknown"): 1,  # LPIA, expected in 2015, not confirmed since
        ("international", "candidate"): 4,
    }
    with (REFERENCE_DIR / "international_affiliates.csv").open(encoding="utf-8", newline="") as file:
        candidate_rows = [row for row in csv.DictReader(file) if row["status"] == "candidate"]
    assert len(candidate_rows) == 4 and {row["confidence"] for row in candidate_rows} == {"low"}
    candidates = affiliates[affiliates["status"] == "candidate"]
    assert set(candidates["affiliate_id"]) == CANDIDATES
    assert set(candidates["acronym"]) == {row["acronym"] for row in candidate_rows}
    assert set(candidates["confidence"]) == {"low"}
    assert candidates["notes"].str.startswith("Candidate: not on the available part of ICMA's list. ").all()


def test_candidates_are_in_no_relationship(tables: dict[str, pd.DataFrame]) -> None:
    affiliate_of_agreement = tables["agreements"].set_index("agreement_id")["affiliate_id"]
    assert not affiliate_of_agreement.isin(CANDIDATES).any()
    goals = tables["goals"]
    assert goals["agreement_id"].isin(affiliate_of_agreement.index).all()
    assert not goals["agreement_id"].map(affiliate_of_agreement).isin(CANDIDATES).any()
    assert not tables["membership"]["affiliate_id"].isin(CANDIDATES).any()
    assert not tables["activities"]["affiliate_id"].isin(CANDIDATES).any()
    assert not tables["events"]["affiliate_id"].isin(CANDIDATES).any()
    others = set(tables["affiliates"]["affiliate_id"]) - CANDIDATES
    assert set(tables["membership"]["affiliate_id"]) == others


def test_new_state_associations_say_no_agreement_was_confirmed(tables: dict[str, pd.DataFrame]) -> None:
    states = tables["affiliates"].set_index("affiliate_id")
    for affiliate_id, region in {
        "state-ak": "West Coast",
        "state-nh": "Northeast",
        "state-sd": "Mountain Plains",
    }.items():
        row = states.loc[affiliate_id]
        assert (row["icma_region"], row["confidence"]) == (region, "medium"), affiliate_id
        assert "a formal ICMA affiliation agreement was not confirmed" in row["notes"], affiliate_id
    assert states.loc["state-sd", "acronym"] == "SDCMA"
    assert "GOSCMA" in states.loc["state-sd", "notes"]
    assert "Strategic Alliance (2024-25)" in states.loc["intl-can-amcto", "notes"]


# The 23 real events new in the reference: (event_type, organizing affiliate, confidence), checked by hand.
NEW_REAL_EVENTS: dict[str, tuple[str, str | None, str]] = {
    "CAMA Conference & AGM 2024": ("affiliate", "intl-can-cama", "medium"),
    "Taituarā Annual Summit 2024": ("affiliate", "intl-nzl-taituara", "medium"),
    "Solace Summit 2024": ("affiliate", "intl-gbr-solace", "high"),
    "CAMA Conference & AGM 2025": ("affiliate", "intl-can-cama", "high"),
    "Te Hui Taituarā 2025": ("affiliate", "intl-nzl-taituara", "high"),
    "CAMA Executive Leadership Program 2026": ("affiliate", "intl-can-cama", "high"),
    "NW Regional Managers Conference 2024": ("affiliate", "state-or", "high"),  # OCCMA and WCMA, held in Oregon
    "OCCMA Summer Conference 2024": ("affiliate", "state-or", "high"),
    "AMMA Summer Meeting 2024": ("affiliate", "state-ak", "medium"),
    "ACMA Winter Conference 2025": ("affiliate", "state-az", "high"),
    "FCCMA Annual Conference 2025": ("affiliate", "state-fl", "high"),
    "ACMA Summer Conference 2025": ("affiliate", "state-az", "high"),
    "FCCMA Winter Institute 2026": ("affiliate", "state-fl", "high"),
    "ICMA Southeast Regional Conference 2019": ("icma_regional", None, "high"),
    "ICMA West Coast Regional Conference 2019": ("icma_regional", None, "high"),
    "ICMA Mountain Plains Regional Conference 2019": ("icma_regional", None, "high"),
    "ICMA Northeast Regional Conference 2019": ("icma_regional", None, "high"),
    "ICMA International Regional Conference 2019": ("icma_regional", None, "high"),
    "ICMA Midwest Regional Conference 2019": ("icma_regional", None, "high"),
    "Local Government Reimagined Conference 2023 – Oklahoma City": ("icma_regional", None, "high"),
    "Local Government Reimagined Conference 2023 – Burlington": ("icma_regional", None, "high"),
    "Local Government Reimagined Conference 2023 – Louisville": ("icma_regional", None, "high"),
    "Local Government Reimagined Conference 2023 – Long Beach": ("icma_regional", None, "high"),
}


def test_new_real_events_are_real_rows_linked_to_their_organizer(tables: dict[str, pd.DataFrame]) -> None:
    events = tables["events"].set_index("name")
    assert len(NEW_REAL_EVENTS) == 23
    for name, (event_type, affiliate_id, confidence) in NEW_REAL_EVENTS.items():
        row = events.loc[name]
        assert row["is_sample"] == "false", name
        assert (row["event_type"], row["confidence"]) == (event_type, confidence), name
        assert (None if pd.isna(row["affiliate_id"]) else row["affiliate_id"]) == affiliate_id, name
        assert row["source"].startswith("http"), name
        assert row["date_precision"] == "day" and pd.notna(row["start_on"]), name
    solace = events.loc["Solace Summit 2024"]
    assert (solace["city"], solace["venue"], solace["start_on"]) == (
        "Manchester",
        "The Point, Emirates Old Trafford",
        "2024-10-17",
    )
    assert pd.isna(solace["end_on"])
    real = events[events["is_sample"] == "false"]
    assert len(real) == 54
    affiliate_events = real[real["event_type"] == "affiliate"].drop(index="MUNIEXPO 2024")
    assert affiliate_events["affiliate_id"].notna().all(), "every real affiliate event but MUNIEXPO has its organizer"
    columbus = events.loc["ICMA 108th Annual Conference"]
    assert (columbus["start_on"], columbus["end_on"], columbus["date_precision"]) == ("2022-09-17", "2022-09-21", "day")


def test_sample_events_stay_marked_as_sample(tables: dict[str, pd.DataFrame]) -> None:
    events = tables["events"]
    sample = events[events["is_sample"] == "true"]
    assert len(sample) > 0
    assert (sample["notes"] == SAMPLE_EVENT_NOTE).all()
    assert (sample["confidence"] == "low").all() and sample["source"].isna().all()
    assert (sample["start_on"] >= SAMPLE_EVENTS_FROM.isoformat()).all()
    organizers = tables["affiliates"].set_index("affiliate_id").loc[sample["affiliate_id"]]
    assert (organizers["status"] == "current").all()


def test_a_joint_event_goes_to_the_association_of_the_state_it_is_held_in() -> None:
    affiliates = pd.DataFrame(
        {
            "affiliate_id": ["state-or", "state-wa", "natl-x", "intl-can-cama"],
            "name": [
                "Oregon City/County Management Association",
                "Washington City/County Management Association",
                "Some National Forum",
                "Canadian Association of Municipal Administrators",
            ],
            "acronym": ["OCCMA", "WCMA", "SNF", "CAMA"],
            "local_name": [None, None, None, None],
            "country_iso3": ["USA", "USA", "USA", "CAN"],
            "state_code": ["OR", "WA", None, None],
        }
    )
    joint = "Oregon City/County Management Association (OCCMA) and Washington City/County Management Association (WCMA)"
    assert organizing_affiliate(joint, "USA", "Seaside, OR", affiliates) == "state-or"
    assert organizing_affiliate(joint, "USA", "Spokane, WA", affiliates) == "state-wa"
    assert organizing_affiliate(joint, "USA", "Boise, ID", affiliates) is None
    assert organizing_affiliate(joint, "USA", "", affiliates) is None
    assert organizing_affiliate("Washington City/County Management Association (WCMA)", "USA", "", affiliates) == (
        "state-wa"
    )
    assert organizing_affiliate(
        "Canadian Association of Municipal Administrators (CAMA)", "CAN", "Banff, AB", affiliates
    ) == ("intl-can-cama")
    assert organizing_affiliate("ICMA with OCCMA", "USA", "Seaside, OR", affiliates) is None
    assert (host_state("Seaside, OR"), host_state("Banff, AB"), host_state("Manchester")) == ("OR", "AB", None)


def test_candidate_notes_say_once_that_it_is_a_candidate() -> None:
    assert candidate_notes("candidate: not on the list", "candidate: not listed; evidence: a case study.") == (
        "Candidate: not on the list. Evidence: a case study."
    )
    assert candidate_notes("candidate: not on the list", "A federation.") == "Candidate: not on the list. A federation."


def test_reference_quirks_are_repaired() -> None:
    reference = read_reference_tables()
    events = reference.events.set_index("name")
    toronto = events.loc["ICMA 106th Annual Conference (planned in-person)"]
    assert toronto["start_on"] == date(2020, 9, 1)
    assert (toronto["date_precision"], toronto["is_cancelled"]) == ("month", True)
    assert events.loc["ICMA Europe regional summit 2018", "start_on"] == date(2018, 6, 1)
    assert pd.isna(events.loc["MUNIEXPO 2024", "country_iso3"])
    assert events.loc["SCMA Professional Conference 2023", "source"] == (
        "ICMA international affiliates page, Upcoming Events section"
    )
    assert events.loc["Solace Summit 2023", "affiliate_id"] == "intl-gbr-solace"
    affiliates = reference.affiliates.set_index("affiliate_id")
    assert pd.isna(affiliates.loc["intl-lva-lpia", "relationship_since"])
    assert affiliates.loc["intl-cze-stmou", "relationship_since"] == 2013
    assert affiliates.loc["intl-aus-lg-professionals-australia", "status"] == "former"
    indian = affiliates[affiliates.index.str.startswith("intl-ind-")]
    assert indian["status"].value_counts().to_dict() == {"current": 4, "candidate": 2}
    alaska = reference.states.set_index("state_code").loc["AK"]
    assert (alaska["icma_region"], alaska["confidence"]) == ("West Coast", "high")
    assert alaska["source"].startswith("https://icma.org/icma-regional-conferences ; ")


def test_fit_fields_joins_unquoted_commas_back_into_source() -> None:
    header = ["event", "source", "confidence"]
    record = fit_fields(header, ["Summit", "ICMA page", " Upcoming Events", "low"], "events.csv", 2)
    assert record == {"event": "Summit", "source": "ICMA page, Upcoming Events", "confidence": "low"}


def test_fit_fields_fills_a_missing_confidence_from_the_source() -> None:
    header = ["event", "source", "confidence"]
    assert fit_fields(header, ["A", "https://x.org"], "f.csv", 2)["confidence"] == "medium"
    assert fit_fields(header, ["B", "a page", " a section"], "f.csv", 3) == {
        "event": "B",
        "source": "a page, a section",
        "confidence": "low",
    }


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("current", "current"),
        ("current (renewed 2019)", "current"),
        ("historical (national office wound up June 2023)", "former"),
        ("unknown", "unknown"),
        ("candidate", "candidate"),
    ],
)
def test_relationship_status(text: str, status: str) -> None:
    assert relationship_status(text) == status


def test_relationship_since_keeps_only_plain_years() -> None:
    assert relationship_since("2013") == 2013
    assert relationship_since("2015 (expected)") is None
    assert relationship_since("") is None


def test_scale_must_be_a_positive_integer() -> None:
    assert scale_argument("3") == 3
    for text in ("0", "-1", "two"):
        with pytest.raises(argparse.ArgumentTypeError):
            scale_argument(text)


def test_scale_two_doubles_the_history_with_suffixed_ids(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    rows = write_sample(tmp_path, scale=2)
    assert rows["membership"] == 2 * len(tables["membership"])
    assert rows["affiliates"] == 2 * len(tables["affiliates"])
    assert rows["states"] == len(tables["states"])
    affiliates = read_table(tmp_path, "affiliates").set_index("affiliate_id")
    assert affiliates.loc["state-ca~2", "name"] == "Cal-ICMA (sample copy 2)"
    doubled = {table.name: read_table(tmp_path, table.name) for table in schema.TABLES}
    test_references_resolve(doubled)
    copy_one = doubled["membership"][doubled["membership"]["affiliate_id"].isin(tables["affiliates"]["affiliate_id"])]
    assert copy_one.reset_index(drop=True).equals(tables["membership"])


def test_goal_outcomes_are_mixed(tables: dict[str, pd.DataFrame]) -> None:
    goals = tables["goals"].set_index("goal_id")
    checkins = tables["goal_checkins"].sort_values("reported_on").groupby("goal_id").tail(1).set_index("goal_id")
    as_of = pd.Timestamp(SAMPLE_THROUGH)
    start = pd.to_datetime(goals["start_on"])
    due = pd.to_datetime(goals["due_on"])
    baseline = goals["baseline_value"].astype(float)
    target = goals["target_value"].astype(float)
    assert (start > as_of).sum() >= 3, "some goals have not started"
    reported = checkins[["reported_on", "value"]].join(goals)
    last_value = reported["value"].astype(float)
    share_done = (pd.to_datetime(reported["reported_on"]) - start[reported.index]) / (
        due[reported.index] - start[reported.index]
    )
    expected = baseline[reported.index] + (target - baseline)[reported.index] * share_done.clip(0, 1)
    sign = np.where(reported["direction"] == "increase", 1.0, -1.0)
    ahead = (last_value - expected) * sign >= 0
    met = (last_value - target[reported.index]) * sign >= 0
    running = due[reported.index] > as_of
    assert ahead.sum() >= 20 and (~ahead).sum() >= 20
    assert met.sum() >= 5, "some goals are achieved"
    assert ((~met) & ~running).sum() >= 5, "some goals are overdue"
    ratio = ((last_value - baseline[reported.index]) / (expected - baseline[reported.index])).where(running)
    assert ratio.between(0.7, 0.9, inclusive="left").sum() >= 3, "some goals are at risk"
    assert (ratio < 0.7).sum() >= 3, "some goals are off track"
    stale = running & (as_of - pd.to_datetime(reported["reported_on"]) > pd.Timedelta(days=300))
    assert stale.sum() >= 3, "some goals stopped reporting"
    assert (goals["direction"] == "decrease").sum() >= 5


def test_agreements_and_activities_show_every_state_of_a_relationship(tables: dict[str, pd.DataFrame]) -> None:
    agreements = tables["agreements"].sort_values("signed_on").groupby("affiliate_id").tail(1)
    statuses = agreements["status"].value_counts()
    assert statuses["active"] > statuses["due_for_renewal"] >= 3
    assert statuses["lapsed"] >= 2
    assert (tables["agreements"]["signed_on"] <= SAMPLE_THROUGH.isoformat()).all()
    activities = tables["activities"]
    last_year = activities[activities["occurred_on"].between("2025-12-01", SAMPLE_THROUGH.isoformat())]
    affiliates = tables["affiliates"]
    in_relationship = affiliates.loc[affiliates["status"] != "candidate", "affiliate_id"]
    quiet = set(in_relationship) - set(last_year["affiliate_id"])
    assert 3 <= len(quiet) <= 25
    upcoming = tables["events"][tables["events"]["start_on"] > SAMPLE_THROUGH.isoformat()]
    attended = set(activities["event_id"].dropna())
    assert upcoming["event_id"].isin(attended).any() and not upcoming["event_id"].isin(attended).all()
