"""The deterministic sample dataset: real affiliates and events, generated relationships around them.

`python -m analytics sample` writes every table of `analytics.core.schema` into a folder (by default the
bundled `data/`). Two kinds of rows come out:

- real facts, read from `data/reference/*.csv` (affiliates, US states and regions, events); those
  files are hand-collected and messy, so they are parsed here with the csv module and explicit,
  documented rules (see `read_reference` and `REFERENCE_FIXES`);
- sample rows, generated from the fixed seed `SEED` with numpy's `default_rng`, as of the fixed date
  `SAMPLE_THROUGH` (liaisons with their sample e-mail addresses, agreements, goals and their owners,
  check-ins, comments, membership, ICMA's monthly total, future affiliate conferences, activities).
  Nothing reads the clock, so every run writes the same bytes.

`--scale N` writes N copies of every affiliate's generated history (copy k's ids end in `~k`), for
benchmarks: membership is generated vectorised, copy by copy, and streamed to Parquet in row groups,
so about 10 million membership rows (N=900) take seconds and well under a gigabyte of memory.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from analytics.core import schema
from analytics.core.errors import DataValidationError, Problem
from analytics.core.settings import DEFAULT_DATA_DIR

SEED = 1914  # the year ICMA was founded; every random draw below comes from generators seeded with it
SAMPLE_THROUGH = date(2026, 11, 30)  # "today" of the sample data: the last membership snapshot and check-in
MEMBERSHIP_FROM = date(2015, 1, 31)  # first month-end snapshot
ACTIVITIES_FROM = date(2019, 1, 1)
SAMPLE_EVENTS_FROM = date(2026, 12, 1)
SAMPLE_EVENTS_THROUGH = date(2027, 12, 31)
GOALS_FROM = date(2019, 1, 1)
GOALS_THROUGH = date(2029, 12, 31)
RENEWAL_WINDOW_MONTHS = 6
REFERENCE_DIR = DEFAULT_DATA_DIR / "reference"
MEMBERSHIP_COPIES_PER_ROW_GROUP = 100
SAMPLE_EVENT_NOTE = "Sample event: dates invented for illustration."

# ---------------------------------------------------------------------------------------------------
# Reading the reference files
# ---------------------------------------------------------------------------------------------------

# Events whose start date is missing in events.csv, filled from what the row's notes say:
# name -> (year-month, is_cancelled).
REFERENCE_FIXES: dict[str, tuple[str, bool]] = {
    # "Planned for Toronto in Sept 2020 ... in-person event did not take place as planned (COVID-19)."
    "ICMA 106th Annual Conference (planned in-person)": ("2020-09", True),
}


def short_name(affiliate) -> str:
    """The acronym when the affiliate has one, else its name (a missing acronym may arrive as NaN)."""
    acronym = affiliate.acronym
    return acronym if isinstance(acronym, str) and acronym.strip() else affiliate.name


def default_confidence(source: str) -> str:
    """The confidence of a row whose confidence field is missing: medium when a URL backs it, else low."""
    return "medium" if "http" in source else "low"


def fit_fields(header: list[str], fields: list[str], file: str, row: int) -> dict[str, str]:
    """One CSV record as a dict, repairing the reference files' one known defect.

    Some rows carry unquoted commas inside `source`, so they have more fields than the header. The
    rule: `confidence`, when it is the last column, is the last field if that field is a confidence
    level (otherwise it is missing and `default_confidence` decides); every field left over beyond
    the header's count belongs to `source` and is joined back with the commas it lost.
    """
    fields = list(fields)
    columns = list(header)
    confidence: str | None = None
    if columns[-1] == "confidence":
        columns.pop()
        if fields and fields[-1].strip().lower() in schema.CONFIDENCE_LEVELS:
            confidence = fields.pop().strip().lower()
    extra = len(fields) - len(columns)
    if extra < 0:
        raise DataValidationError(
            [Problem(file, row, None, f"{len(fields)} fields where {len(columns)} were expected")]
        )
    if extra > 0:
        if "source" not in columns:
            raise DataValidationError([Problem(file, row, None, f"{extra} field(s) more than the header has")])
        at = columns.index("source")
        fields = [*fields[:at], ",".join(fields[at : at + extra + 1]), *fields[at + extra + 1 :]]
    record = {column: value.strip() for column, value in zip(columns, fields, strict=True)}
    if header[-1] == "confidence":
        record["confidence"] = confidence or default_confidence(record.get("source", ""))
    return record


def read_reference(path: Path) -> list[dict[str, str]]:
    """Every non-empty row of one reference CSV, as dicts keyed by the header (see `fit_fields`)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = [name.strip() for name in next(reader)]
        return [
            fit_fields(header, fields, path.name, row)
            for row, fields in enumerate(reader, start=2)
            if any(value.strip() for value in fields)
        ]


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "STMOÚ" -> "stmou", "Taituarā – LG" -> "taituara-lg"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def without_parenthetical(text: str) -> str:
    """The text with any "(...)" remark removed."""
    return re.sub(r"\s*\([^)]*\)", "", text).strip()


def join_sentences(*parts: str) -> str:
    """Non-empty parts joined into one text, each ending with a full stop."""
    sentences = [part.strip() for part in parts if part and part.strip()]
    return " ".join(sentence if sentence.endswith((".", "!", "?")) else sentence + "." for sentence in sentences)


def relationship_status(text: str) -> str:
    """A reference `status` ("current (renewed 2019)", "historical (...)", "candidate", "unknown") as a
    schema status."""
    first_word = text.strip().lower().split(" ", 1)[0] if text.strip() else ""
    if first_word == "current":
        return "current"
    if first_word in {"historical", "former", "ended", "lapsed"}:
        return "former"
    if first_word == schema.CANDIDATE_STATUS:
        return schema.CANDIDATE_STATUS
    return "unknown"


def relationships(affiliates: pd.DataFrame) -> pd.DataFrame:
    """The affiliates that are in a relationship with ICMA: every row but the candidates, which get no
    agreement, goals, membership or activities."""
    return affiliates[affiliates["status"] != schema.CANDIDATE_STATUS]


def candidate_notes(basis: str, notes: str) -> str:
    """A candidate's notes, saying once that it is one: the basis ("candidate: not on the available part of
    ICMA's list"), then the notes without their own "candidate: ...;" opening, each as a sentence.

    >>> candidate_notes("candidate: not on the list", "candidate: not listed; evidence: a case study.")
    'Candidate: not on the list. Evidence: a case study.'
    """
    if notes.lower().startswith("candidate:") and ";" in notes:
        notes = notes.split(";", 1)[1]
    return join_sentences(*(part.strip()[:1].upper() + part.strip()[1:] for part in (basis, notes)))


def relationship_since(text: str) -> int | None:
    """A reference `since` as a year: "2013" -> 2013; qualified values such as "2015 (expected)" -> None."""
    return int(text) if re.fullmatch(r"\d{4}", text.strip()) else None


def unique_id(candidate: str, taken: set[str]) -> str:
    """`candidate`, or `candidate-2`, `-3`, ... when it is taken; records the result in `taken`."""
    result, number = candidate, 2
    while result in taken:
        result, number = f"{candidate}-{number}", number + 1
    taken.add(result)
    return result


def states_table(rows: list[dict[str, str]]) -> pd.DataFrame:
    """The states table from icma_regions.csv."""
    frame = pd.DataFrame(
        {
            "state_code": [row["state"] for row in rows],
            "state_name": [row["state_name"] for row in rows],
            "icma_region": [row["icma_region"] for row in rows],
            "confidence": [row["confidence"] for row in rows],
            "source": [row["source"] or None for row in rows],
        }
    )
    return frame.sort_values("state_code", ignore_index=True)


def affiliates_table(
    states: pd.DataFrame,
    state_rows: list[dict[str, str]],
    national_rows: list[dict[str, str]],
    international_rows: list[dict[str, str]],
) -> pd.DataFrame:
    """Every affiliate of the three reference lists, with stable readable ids.

    State associations take their region from the states table (one mapping for the whole app);
    national affiliates are in the USA with no region; international ones are in region International.
    """
    region_of = dict(zip(states["state_code"], states["icma_region"], strict=True))
    taken: set[str] = set()
    records: list[dict[str, object]] = []
    for row in state_rows:
        records.append(
            {
                "affiliate_id": unique_id(f"state-{row['state'].lower()}", taken),
                "name": row["association"],
                "acronym": row["acronym"] or None,
                "local_name": None,
                "affiliate_type": "state",
                "country_iso3": "USA",
                "country_name": "United States",
                "state_code": row["state"],
                "icma_region": region_of[row["state"]],
                "world_region": None,
                "focus": None,
                "website": row["website"] or None,
                "relationship_since": None,
                "status": "current",
                "notes": join_sentences(row["icma_link_evidence"], row["notes"]) or None,
                "source": row["source"] or None,
                "confidence": row["confidence"],
            }
        )
    for row in national_rows:
        # ELGL: "No available source confirms a formal ICMA affiliate agreement" -> status unknown.
        unconfirmed = "no available source confirms" in row["affiliation_evidence"].lower()
        records.append(
            {
                "affiliate_id": unique_id(f"natl-{slug(row['acronym'] or without_parenthetical(row['name']))}", taken),
                "name": row["name"],
                "acronym": row["acronym"] or None,
                "local_name": None,
                "affiliate_type": "national",
                "country_iso3": "USA",
                "country_name": "United States",
                "state_code": None,
                "icma_region": None,
                "world_region": None,
                "focus": row["focus"] or None,
                "website": row["website"] or None,
                "relationship_since": relationship_since(row["since"]),
                "status": "unknown" if unconfirmed else "current",
                "notes": join_sentences(row["affiliation_evidence"], row["notes"]) or None,
                "source": row["source"] or None,
                "confidence": row["confidence"],
            }
        )
    for row in international_rows:
        name_part = slug(row["acronym"] or without_parenthetical(row["name"]))
        since_note = "" if relationship_since(row["since"]) or not row["since"] else f"Since: {row['since']}"
        status = relationship_status(row["status"])
        status_note = "" if row["status"].strip().lower() == status else f"Status per sources: {row['status']}"
        records.append(
            {
                "affiliate_id": unique_id(f"intl-{row['iso3'].lower()}-{name_part}", taken),
                "name": row["name"],
                "acronym": row["acronym"] or None,
                "local_name": row["local_name"] or None,
                "affiliate_type": "international",
                "country_iso3": row["iso3"],
                "country_name": row["country"],
                "state_code": None,
                "icma_region": "International",
                "world_region": row["region"] or None,
                "focus": None,
                "website": row["website"] or None,
                "relationship_since": relationship_since(row["since"]),
                "status": status,
                "notes": (
                    candidate_notes(row["relationship_basis"], row["notes"])
                    if status == schema.CANDIDATE_STATUS
                    else join_sentences(row["relationship_basis"], row["notes"], since_note, status_note)
                )
                or None,
                "source": row["source"] or None,
                "confidence": row["confidence"],
            }
        )
    frame = pd.DataFrame.from_records(records, columns=schema.table("affiliates").column_names)
    frame["relationship_since"] = frame["relationship_since"].astype("Int64")
    return frame


def organizer_keys(organizer: str) -> set[str]:
    """The names an organizer goes by: "Slovak City Managers Association (SCMA)" -> both parts."""
    keys = {without_parenthetical(organizer).casefold()}
    keys.update(match.strip().casefold() for match in re.findall(r"\(([^)]*)\)", organizer))
    return {key for key in keys if key}


def host_state(city: str) -> str | None:
    """The US state code a "City, ST" place ends with: "Seaside, OR" -> "OR"; None without one."""
    match = re.search(r",\s*([A-Z]{2})$", city.strip())
    return match.group(1) if match else None


def organizing_affiliate(organizer: str, country_iso3: str, city: str, affiliates: pd.DataFrame) -> str | None:
    """The affiliate that organizes an event, when the organizer names exactly one affiliate of its country.

    A joint event whose organizer names several affiliates ("OCCMA and WCMA") goes to the state
    association of the state it is held in (`host_state` of a US city); when that does not settle it,
    it has none. Organizers such as "ICMA with ..." or "Unconfirmed (possibly ...)" are not affiliates
    and stay empty.
    """
    if organizer.lower().startswith(("icma", "unconfirmed")) or not country_iso3:
        return None
    keys = organizer_keys(organizer)
    matches = []
    for affiliate in affiliates.itertuples(index=False):
        if affiliate.country_iso3 != country_iso3:
            continue
        names = {affiliate.name, without_parenthetical(affiliate.name), affiliate.acronym, affiliate.local_name}
        if keys & {name.casefold() for name in names if isinstance(name, str) and name}:
            matches.append((affiliate.affiliate_id, affiliate.state_code))
    if len(matches) > 1 and country_iso3 == "USA":
        state = host_state(city)
        matches = [match for match in matches if state is not None and match[1] == state]
    return matches[0][0] if len(matches) == 1 else None


def events_table(rows: list[dict[str, str]], affiliates: pd.DataFrame) -> pd.DataFrame:
    """The real events of events.csv, cleaned: dates parsed with their precision, organizers matched."""
    taken: set[str] = set()
    records = []
    for row_number, row in enumerate(rows, start=2):
        start_text, is_cancelled = row["start_date"], False
        if not start_text:
            if row["event"] not in REFERENCE_FIXES:
                raise DataValidationError(
                    [Problem("events.csv", row_number, "start_date", "missing and no documented fix", row["event"])]
                )
            start_text, is_cancelled = REFERENCE_FIXES[row["event"]]
        if re.fullmatch(r"\d{4}-\d{2}", start_text):
            start_on, precision = date.fromisoformat(start_text + "-01"), "month"
        else:
            start_on, precision = date.fromisoformat(start_text), "day"
        end_on = date.fromisoformat(row["end_date"]) if row["end_date"] else None
        name_words = slug(re.sub(r"\b(19|20)\d{2}\b", "", row["event"]))
        records.append(
            {
                "event_id": unique_id(f"E{start_on.year}-{name_words}", taken),
                "name": row["event"],
                "organizer": row["organizer"],
                "affiliate_id": (
                    organizing_affiliate(row["organizer"], row["iso3"], row["city"], affiliates)
                    if row["event_type"] == "affiliate"
                    else None
                ),
                "event_type": row["event_type"],
                "start_on": start_on,
                "end_on": end_on,
                "date_precision": precision,
                "is_cancelled": is_cancelled,
                "city": row["city"] or None,
                "country_name": row["country"] or None,
                "country_iso3": row["iso3"] or None,
                "venue": row["venue"] or None,
                "website": row["website"] or None,
                "notes": row["notes"] or None,
                "source": row["source"] or None,
                "confidence": row["confidence"],
                "is_sample": False,
            }
        )
    return pd.DataFrame.from_records(records, columns=schema.table("events").column_names)


@dataclass(frozen=True)
class Reference:
    """The real tables, read from the reference folder."""

    states: pd.DataFrame
    affiliates: pd.DataFrame
    events: pd.DataFrame


def read_reference_tables(reference_dir: Path = REFERENCE_DIR) -> Reference:
    """States, affiliates and real events from `reference_dir`."""
    states = states_table(read_reference(reference_dir / "icma_regions.csv"))
    affiliates = affiliates_table(
        states,
        read_reference(reference_dir / "state_associations.csv"),
        read_reference(reference_dir / "national_affiliates.csv"),
        read_reference(reference_dir / "international_affiliates.csv"),
    )
    events = events_table(read_reference(reference_dir / "events.csv"), affiliates)
    return Reference(states, affiliates, events)


# ---------------------------------------------------------------------------------------------------
# Small date helpers
# ---------------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = (date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last_day))


def random_day(rng: np.random.Generator, first: date, last: date) -> date:
    """A day drawn uniformly between `first` and `last`, inclusive."""
    return first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def month_ends(first: date, last: date) -> np.ndarray:
    """Every month end from `first`'s month to `last`'s month, as datetime64[D]."""
    months = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 1)
    return (months + 1).astype("datetime64[D]") - 1


# ---------------------------------------------------------------------------------------------------
# Liaisons and agreements
# ---------------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Avery", "Jordan", "Morgan", "Taylor", "Casey", "Riley", "Jamie", "Alex", "Dana", "Robin", "Kendall",
    "Maria", "James", "Aisha", "Daniel", "Elena", "Marcus", "Priya", "Samuel", "Grace", "Luis", "Hannah",
    "Andre", "Mei", "Tomas", "Fatima", "Owen", "Keisha", "Victor", "Claire", "Rafael", "Naomi", "Henrik",
    "Ingrid", "Kwame", "Lucia", "Peter", "Sofia", "Wesley", "Yuki",
)  # fmt: skip
LAST_NAMES = (
    "Stone", "Lee", "Alvarez", "Bennett", "Okafor", "Nguyen", "Harper", "Schmidt", "Patel", "Brooks",
    "Castillo", "Dubois", "Ellison", "Fitzgerald", "Garcia", "Holm", "Ibrahim", "Jensen", "Kowalski",
    "Larsen", "Mendez", "Novak", "O'Neill", "Park", "Quinn", "Reyes", "Sato", "Thompson", "Underwood",
    "Vasquez", "Whitfield", "Young", "Zimmerman", "Carter", "Delgado", "Foster", "Hughes", "Moreau",
)  # fmt: skip


def liaisons_table(rng: np.random.Generator) -> pd.DataFrame:
    """3 Regional Vice Presidents and 1 Regional Director per US region, 8 International Committee
    members and 3 staff, with invented names (no two alike)."""
    roles = []
    for region in schema.US_REGIONS:
        roles += [("Regional Vice President", region)] * 3 + [("Regional Director", region)]
    roles += [("International Committee member", "International")] * 8
    roles += [("Staff", "International"), ("Staff", "International"), ("Staff", "Northeast")]
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    chosen = rng.choice(len(pairs), size=len(roles), replace=False)
    names = [" ".join(pairs[index]) for index in chosen]
    return pd.DataFrame(
        {
            "liaison_id": [f"L{number:03d}" for number in range(1, len(roles) + 1)],
            "name": names,
            "role": [role for role, _ in roles],
            "icma_region": [region for _, region in roles],
            "email": [sample_email(name) for name in names],
            "is_sample": True,
        },
        columns=schema.table("liaisons").column_names,
    )


def sample_email(name: str) -> str:
    """A sample address for an invented name, at example.org (reserved for examples: nobody receives it).

    >>> sample_email("Ingrid O'Neill")
    'ingrid.oneill@example.org'
    """
    return ".".join(re.sub(r"[^a-z]", "", part.lower()) for part in name.split()) + "@example.org"


def structure_pool(affiliate: pd.Series, liaisons: pd.DataFrame) -> pd.DataFrame:
    """The liaisons ICMA's structure gives an affiliate: its region's Regional Vice Presidents and Regional
    Director (state associations), the International Committee (international), staff (national); as the
    store's view affiliate_liaisons reads them."""
    if affiliate["affiliate_type"] == "international":
        return liaisons[liaisons["role"] == "International Committee member"]
    if affiliate["affiliate_type"] == "national":
        return liaisons[liaisons["role"] == "Staff"]
    in_region = liaisons["icma_region"] == affiliate["icma_region"]
    return liaisons[in_region & liaisons["role"].isin(["Regional Vice President", "Regional Director"])]


def goal_owners(
    goals: pd.DataFrame, agreements: pd.DataFrame, affiliates: pd.DataFrame, liaisons: pd.DataFrame
) -> list[str]:
    """Each goal's owner: its agreement's liaison for half the goals, else one of the affiliate's liaisons by
    ICMA's structure (drawn from a generator of its own, so the other tables do not change with it)."""
    rng = np.random.default_rng([SEED, 16])
    by_id = affiliates.set_index("affiliate_id")
    agreement_of = agreements.set_index("agreement_id")
    owners = []
    for agreement_id in goals["agreement_id"]:
        agreement = agreement_of.loc[agreement_id]
        pool = structure_pool(by_id.loc[agreement["affiliate_id"]], liaisons)
        if rng.random() < 0.5 or pool.empty:
            owners.append(str(agreement["liaison_id"]))
        else:
            owners.append(str(pool["liaison_id"].iloc[int(rng.integers(len(pool)))]))
    return owners


COMMENT_TEXTS = (
    "Thanks for the update; can we discuss the next steps at the regional meeting?",
    "Good progress. Please share the attendance list when it is ready.",
    "This is behind the expected path: what support would help?",
    "Confirmed with the association's board; the figure is final.",
    "Could you add the source of this number next time?",
)


def comments_table(goals: pd.DataFrame, checkins: pd.DataFrame, liaisons: pd.DataFrame) -> pd.DataFrame:
    """A few comments on check-ins: on one goal in eight, its owner's reply to the latest check-in, a week later
    (not after SAMPLE_THROUGH); drawn from a generator of their own."""
    rng = np.random.default_rng([SEED, 17])
    name_of = dict(zip(liaisons["liaison_id"], liaisons["name"], strict=True))
    latest = checkins.sort_values("reported_on").groupby("goal_id").tail(1).set_index("goal_id")
    records = []
    for goal in goals.itertuples(index=False):
        if goal.goal_id not in latest.index or rng.random() >= 0.125:
            continue
        checkin = latest.loc[goal.goal_id]
        commented_on = min(pd.Timestamp(checkin["reported_on"]).date() + timedelta(days=7), SAMPLE_THROUGH)
        records.append(
            {
                "comment_id": f"K{len(records) + 1:06d}",
                "goal_id": goal.goal_id,
                "checkin_id": checkin["checkin_id"],
                "commented_on": commented_on,
                "author": name_of[goal.owner_id],
                "comment": COMMENT_TEXTS[int(rng.integers(len(COMMENT_TEXTS)))],
                "is_sample": True,
            }
        )
    return pd.DataFrame.from_records(records, columns=schema.table("goal_comments").column_names)


def liaison_for(rng: np.random.Generator, affiliate: pd.Series, liaisons: pd.DataFrame) -> str:
    """A liaison who fits the affiliate: its region's director (mostly) or a vice president; the
    International Committee for international affiliates; anyone but the committee for national ones."""
    if affiliate["affiliate_type"] == "international":
        pool = liaisons[liaisons["role"] == "International Committee member"]
        return str(pool["liaison_id"].iloc[int(rng.integers(len(pool)))])
    if affiliate["affiliate_type"] == "national":
        pool = liaisons[liaisons["role"].isin(["Staff", "Regional Director"])]
        return str(pool["liaison_id"].iloc[int(rng.integers(len(pool)))])
    pool = liaisons[liaisons["icma_region"] == affiliate["icma_region"]]
    weights = np.where(pool["role"] == "Regional Director", 3.0, 1.0)
    return str(pool["liaison_id"].iloc[int(rng.choice(len(pool), p=weights / weights.sum()))])


# Affiliates with publicly known signing dates; their agreement history starts there (still sample rows).
KNOWN_SIGNINGS: dict[str, date] = {
    "intl-cze-stmou": date(2013, 9, 22),  # signed at the ICMA conference in Boston, September 2013
    "intl-pol-frdl": date(2019, 10, 20),  # signed at the opening of ICMA 2019 in Nashville
    "intl-nld-vgs": date(2019, 10, 20),  # renewed for 5 years at ICMA 2019 in Nashville
    "natl-civicpride": date(2020, 12, 7),  # agreement announced 7 Dec 2020
    "natl-i-napa": date(2021, 10, 4),  # became an affiliate at ICMA 2021 in Portland
}


def agreement_dates(rng: np.random.Generator, affiliate_id: str, status: str) -> list[tuple[date, date]]:
    """(signed_on, renewal_due_on) of one affiliate's agreements, oldest first.

    The latest agreement decides the mix as of SAMPLE_THROUGH: mostly active, some due for renewal
    within the window, a few lapsed. Former affiliates end with a lapsed agreement; affiliates whose
    status is unknown, and candidates, have none.
    """
    if status in {"unknown", schema.CANDIDATE_STATUS}:
        return []
    if status == "former":
        signed = random_day(rng, date(2017, 1, 1), date(2018, 6, 30))
        return [(signed, add_months(signed, 60))]
    if affiliate_id in KNOWN_SIGNINGS:
        terms, signed = [], KNOWN_SIGNINGS[affiliate_id]
        while True:
            terms.append((signed, add_months(signed, 60)))
            if add_months(signed, 60) > SAMPLE_THROUGH:
                return terms
            signed = add_months(signed, 60) - timedelta(days=int(rng.integers(0, 45)))
    window_end = add_months(SAMPLE_THROUGH, RENEWAL_WINDOW_MONTHS)
    term_months = 36 if rng.random() < 0.15 else 60
    outcome = rng.choice(["active", "due_for_renewal", "lapsed"], p=[0.8, 0.14, 0.06])
    if outcome == "due_for_renewal":
        due = random_day(rng, SAMPLE_THROUGH + timedelta(days=1), window_end)
    elif outcome == "lapsed":
        due = random_day(rng, date(2025, 3, 1), SAMPLE_THROUGH - timedelta(days=20))
    else:  # signed by SAMPLE_THROUGH, due after the renewal window
        due = random_day(rng, window_end + timedelta(days=1), add_months(SAMPLE_THROUGH, term_months))
    signed = add_months(due, -term_months)
    terms = [(signed, due)]
    if rng.random() < 0.45 and signed.year >= 2017:
        earlier = add_months(signed, -60) + timedelta(days=int(rng.integers(0, 30)))
        terms.insert(0, (earlier, signed))
    return terms


def recorded_status(renewal_due_on: date) -> str:
    """Agreement status as of SAMPLE_THROUGH, derived from its renewal date the way the app derives it."""
    if renewal_due_on < SAMPLE_THROUGH:
        return "lapsed"
    if renewal_due_on <= add_months(SAMPLE_THROUGH, RENEWAL_WINDOW_MONTHS):
        return "due_for_renewal"
    return "active"


def agreements_table(rng: np.random.Generator, affiliates: pd.DataFrame, liaisons: pd.DataFrame) -> pd.DataFrame:
    """One or more agreements per current or former affiliate; earlier ones are superseded (lapsed).
    Candidates, which are in no relationship, have none."""
    records = []
    for _, affiliate in relationships(affiliates).iterrows():
        liaison_id = liaison_for(rng, affiliate, liaisons)
        for signed_on, renewal_due_on in agreement_dates(rng, affiliate["affiliate_id"], affiliate["status"]):
            records.append(
                {
                    "agreement_id": f"AG-{affiliate['affiliate_id']}-{signed_on.year}",
                    "affiliate_id": affiliate["affiliate_id"],
                    "liaison_id": liaison_id,
                    "signed_on": signed_on,
                    "renewal_due_on": renewal_due_on,
                    "status": recorded_status(renewal_due_on),
                    "is_sample": True,
                }
            )
    return pd.DataFrame.from_records(records, columns=schema.table("agreements").column_names)


# ---------------------------------------------------------------------------------------------------
# Goals and check-ins
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalMetric:
    """A metric a goal can track: its range of baselines and changes, and how its check-ins read."""

    area: str
    metric: str
    unit: str
    direction: str
    baseline: tuple[float, float]  # low, high
    change: tuple[float, float]  # low, high; absolute in the unit, or relative when is_relative
    narratives: tuple[str, ...]
    is_relative: bool = False

    @property
    def decimals(self) -> int:
        return 1 if self.unit in {"percent", "percentage points"} else 0


ETHICS, LEADERSHIP, ADVOCACY, MEMBERSHIP, GOVERNANCE, INCLUSIVENESS = schema.AREAS_OF_EMPHASIS
GOAL_METRICS: tuple[GoalMetric, ...] = (
    GoalMetric(ETHICS, "ethics trainings held", "trainings", "increase", (0, 1), (3, 10), (
        "Hosted joint ethics webinar with {people} attendees.",
        "Ethics case-study session at the {acronym} {season} meeting; {people} members took part.",
        "ICMA ethics advisor led a workshop on Tenet {tenet} for {people} members.",
    )),
    GoalMetric(ETHICS, "members completing ethics training", "members", "increase", (0, 20), (30, 120), (
        "{people} members finished the online ethics module this period.",
        "Ethics refresher offered at the {acronym} {season} meeting; {people} completed it.",
    )),
    GoalMetric(ETHICS, "open ethics inquiries", "inquiries", "decrease", (6, 15), (3, 6), (
        "Ethics committee closed {small} inquiries with ICMA staff guidance.",
        "Backlog review with the ICMA ethics team; {small} inquiries resolved.",
    )),
    GoalMetric(LEADERSHIP, "members completing leadership programs", "members", "increase", (0, 10), (15, 60), (
        "{people} members graduated from the {acronym} leadership academy.",
        "Emerging leaders cohort of {people} members completed its final module.",
    )),
    GoalMetric(LEADERSHIP, "mentoring pairs matched", "pairs", "increase", (0, 5), (10, 40), (
        "Coaching program matched {small} new mentor-mentee pairs.",
        "Mentoring kickoff at the {season} meeting paired {small} early-career members with ICMA mentors.",
    )),
    GoalMetric(LEADERSHIP, "ICMA Credentialed Managers among members", "members", "increase", (5, 60), (5, 20), (
        "{small} members earned the ICMA Credentialed Manager designation.",
        "Credentialing info session drew {people} members; {small} applications started.",
    )),
    GoalMetric(ADVOCACY, "joint advocacy statements", "statements", "increase", (0, 0), (2, 6), (
        "Issued joint statement with ICMA on the value of professional management.",
        "Joint letter to legislators on local government workforce issues sent in {month}.",
    )),
    GoalMetric(ADVOCACY, "articles on the value of professional management", "articles", "increase", (0, 1), (4, 12), (
        "Op-ed by the {acronym} president ran in {small} regional papers.",
        "Contributed a Life, Well Run story to the ICMA campaign in {month}.",
    )),
    GoalMetric(MEMBERSHIP, "dual ICMA members", "members", "increase", (20, 400), (0.08, 0.25), (
        "Dual-membership drive at the {season} meeting brought {small} new ICMA members.",
        "Joint renewal mailing reached {people} lapsed ICMA members.",
        "ICMA membership table at the {acronym} conference signed up {small} members.",
    ), is_relative=True),
    GoalMetric(MEMBERSHIP, "member lapse rate", "percent", "decrease", (6, 16), (2, 5), (
        "Renewal reminders by phone reached {people} members before the deadline.",
        "Lapse rate reviewed at the {acronym} board meeting in {month}; follow-up calls assigned.",
    )),
    GoalMetric(MEMBERSHIP, "early-career members", "members", "increase", (10, 80), (0.2, 0.6), (
        "Student chapter visit added {small} early-career members.",
        "Free first-year membership offer taken up by {small} assistants and analysts.",
    ), is_relative=True),
    GoalMetric(GOVERNANCE, "members voting in ICMA elections", "percent", "increase", (15, 35), (5, 15), (
        "Turnout reminders sent to {people} members ahead of the ICMA election.",
        "Regional Vice President candidates forum held with {people} members attending.",
    )),
    GoalMetric(GOVERNANCE, "members serving on ICMA committees", "members", "increase", (1, 8), (2, 6), (
        "{small} members nominated to ICMA committees and task forces.",
        "Committee recruitment session at the {season} meeting; {small} volunteers came forward.",
    )),
    GoalMetric(
        INCLUSIVENESS, "share of board seats held by underrepresented groups", "percent", "increase", (15, 35),
        (8, 20), (
            "Board nominating committee adopted an inclusive slate policy in {month}.",
            "{small} new board members elected at the annual meeting.",
        ),
    ),
    GoalMetric(INCLUSIVENESS, "members in diversity pipeline programs", "members", "increase", (0, 15), (10, 40), (
        "Partnership with a local university brought {small} fellows into the pipeline program.",
        "Pipeline cohort welcomed {small} participants, co-sponsored with ICMA's equity affiliates.",
    )),
    GoalMetric(INCLUSIVENESS, "gender gap in conference speakers", "percentage points", "decrease", (10, 30), (5, 15), (
        "Call for presentations promoted through the League of Women in Government in {month}.",
        "Speaker lineup for the {season} meeting reviewed for balance; {small} new speakers invited.",
    )),
)  # fmt: skip

# Per-goal performance profiles: share of goals, and the range of the ratio of actual to expected progress.
PROFILES: dict[str, tuple[float, tuple[float, float]]] = {
    "achieved": (0.12, (1.35, 1.8)),
    "on_track": (0.40, (1.0, 1.2)),
    "at_risk": (0.18, (0.77, 0.89)),
    "off_track": (0.15, (0.25, 0.62)),
    "stale": (0.15, (0.9, 1.1)),
}
SEASONS = ("winter", "spring", "summer", "fall")


def rounded(value: float, decimals: int) -> float:
    return float(round(value, decimals))


def goal_values(rng: np.random.Generator, metric: GoalMetric, base_members: int) -> tuple[float, float]:
    """(baseline, target) for one goal of `metric`; dual-member goals start from the affiliate's count."""
    low, high = metric.baseline
    baseline = float(base_members) if metric.metric == "dual ICMA members" else rng.uniform(low, high)
    change_low, change_high = metric.change
    change = rng.uniform(change_low, change_high)
    if metric.is_relative:
        change = max(baseline * change, 3.0)
    if metric.direction == "decrease":
        change = min(change, baseline * 0.6)
        target = baseline - change
    else:
        target = baseline + change
    return rounded(baseline, metric.decimals), rounded(target, metric.decimals)


def goal_title(metric: GoalMetric, baseline: float, target: float, due_on: date) -> str:
    """The goal in a sentence: "Increase dual ICMA members from 120 to 150 by June 2027"."""

    def shown(value: float) -> str:
        if metric.unit == "percent":
            return f"{value:g}%"
        if metric.unit == "percentage points":
            return f"{value:g} points"
        return f"{value:g}"

    verb = "Reduce" if metric.direction == "decrease" else "Increase"
    if baseline == 0:
        return f"Reach {shown(target)} {metric.metric} by {due_on:%B %Y}"
    return f"{verb} {metric.metric} from {shown(baseline)} to {shown(target)} by {due_on:%B %Y}"


def goal_term(rng: np.random.Generator, signed_on: date, renewal_due_on: date) -> tuple[date, date]:
    """(start_on, due_on) of a goal inside its agreement's term and 2019..2029."""
    earliest = max(signed_on, GOALS_FROM)
    latest_due = min(renewal_due_on, GOALS_THROUGH)
    # A few goals of recently signed agreements start after SAMPLE_THROUGH (not started yet).
    is_future = rng.random() < (0.15 if signed_on > add_months(SAMPLE_THROUGH, -6) else 0.02)
    if is_future and SAMPLE_THROUGH + timedelta(days=20) < add_months(latest_due, -12):
        earliest = max(earliest, SAMPLE_THROUGH + timedelta(days=20))
    latest_start = max(earliest, add_months(latest_due, -12))
    start_on = random_day(rng, earliest, min(add_months(earliest, 3), latest_start))
    start_on = start_on.replace(day=1)
    length = int(rng.choice([12, 24, 36, 48], p=[0.15, 0.35, 0.3, 0.2]))
    due_on = min(add_months(start_on, length) - timedelta(days=1), latest_due)
    if due_on <= start_on:
        due_on = add_months(start_on, 12) - timedelta(days=1)
    return start_on, due_on


def checkin_dates(rng: np.random.Generator, start_on: date, due_on: date, interval: int, last: date) -> list[date]:
    """Report dates: one per interval after the start, a few days late, never after `last`."""
    dates = []
    step = 1
    while True:
        due_report = add_months(start_on, interval * step) - timedelta(days=1)
        if due_report > due_on:
            due_report = due_on if not dates or dates[-1] < due_on else None
        if due_report is None:
            break
        reported_on = due_report + timedelta(days=int(rng.integers(0, 21)))
        if reported_on > last:
            break
        dates.append(reported_on)
        if due_report >= due_on:
            break
        step += 1
    return dates


def narrative(rng: np.random.Generator, metric: GoalMetric, acronym: str, reported_on: date) -> str:
    template = metric.narratives[int(rng.integers(len(metric.narratives)))]
    return template.format(
        people=int(rng.integers(12, 95)),
        small=int(rng.integers(2, 12)),
        acronym=acronym,
        season=SEASONS[(reported_on.month % 12) // 3],
        month=f"{reported_on:%B}",
        tenet=int(rng.integers(1, 13)),
    )


def goals_and_checkins(
    rng: np.random.Generator,
    affiliates: pd.DataFrame,
    agreements: pd.DataFrame,
    liaisons: pd.DataFrame,
    dual_members: dict[str, int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """2-6 goals on each affiliate's latest agreement, and their check-ins up to SAMPLE_THROUGH.

    Each goal follows a performance profile (achieved, on track, at risk, off track, stale); its
    reported progress is the pro-rated expectation times the profile's ratio, with a little noise,
    so the portfolio as of SAMPLE_THROUGH shows every status, including overdue goals (past due,
    target not met) and goals not yet started.
    """
    acronym_of = {row.affiliate_id: short_name(row) for row in affiliates.itertuples()}
    liaison_name = dict(zip(liaisons["liaison_id"], liaisons["name"], strict=True))
    latest = agreements.sort_values("signed_on").groupby("affiliate_id", sort=False).tail(1)
    latest = latest.sort_values("agreement_id", ignore_index=True)
    profile_names = list(PROFILES)
    profile_weights = np.array([share for share, _ in PROFILES.values()])
    goals, checkins = [], []
    for agreement in latest.itertuples(index=False):
        count = int(rng.integers(2, 7))
        areas = rng.choice(len(schema.AREAS_OF_EMPHASIS), size=count, replace=False)
        for area_index in areas:
            area = schema.AREAS_OF_EMPHASIS[area_index]
            candidates = [metric for metric in GOAL_METRICS if metric.area == area]
            metric = candidates[int(rng.integers(len(candidates)))]
            goal_id = f"G{len(goals) + 1:04d}"
            start_on, due_on = goal_term(rng, agreement.signed_on, agreement.renewal_due_on)
            baseline, target = goal_values(rng, metric, dual_members.get(agreement.affiliate_id, 50))
            interval = int(rng.choice([3, 6, 12], p=[0.4, 0.45, 0.15]))
            # Stopping reporting shows only on a running goal that has reported for a while.
            stale_after = add_months(SAMPLE_THROUGH, -max(2 * interval + 1, int(rng.integers(10, 22))))
            can_go_stale = due_on > SAMPLE_THROUGH and add_months(start_on, 2 * interval) <= stale_after
            weights = np.where(np.array(profile_names) == "stale", 4.0 * can_go_stale, 1.0) * profile_weights
            profile = profile_names[int(rng.choice(len(profile_names), p=weights / weights.sum()))]
            ratio = rng.uniform(*PROFILES[profile][1])
            goals.append(
                {
                    "goal_id": goal_id,
                    "agreement_id": agreement.agreement_id,
                    "area_of_emphasis": area,
                    "title": goal_title(metric, baseline, target, due_on),
                    "metric": metric.metric,
                    "unit": metric.unit,
                    "direction": metric.direction,
                    "baseline_value": baseline,
                    "target_value": target,
                    "start_on": start_on,
                    "due_on": due_on,
                    "reporting_interval_months": interval,
                    "is_sample": True,
                }
            )
            last_report = stale_after if profile == "stale" else SAMPLE_THROUGH
            term_days = (due_on - start_on).days
            progress = 0.0
            for reported_on in checkin_dates(rng, start_on, due_on, interval, last_report):
                elapsed = min((reported_on - start_on).days / term_days, 1.0)
                aimed = min(elapsed * ratio, 1.0 + (ratio - 1.0) * 0.3) if profile == "achieved" else elapsed * ratio
                progress = max(progress, aimed * rng.uniform(0.95, 1.04))  # progress rarely goes backwards
                value = baseline + (target - baseline) * progress
                reporter = liaison_name[agreement.liaison_id]
                if rng.random() < 0.2:
                    reporter = f"{acronym_of[agreement.affiliate_id]} staff"
                checkins.append(
                    {
                        "checkin_id": f"C{len(checkins) + 1:06d}",
                        "goal_id": goal_id,
                        "reported_on": reported_on,
                        "value": rounded(max(value, 0.0), metric.decimals),
                        "narrative": narrative(rng, metric, acronym_of[agreement.affiliate_id], reported_on),
                        "reported_by": reporter,
                        "is_sample": True,
                    }
                )
    return (
        pd.DataFrame.from_records(goals, columns=schema.table("goals").column_names),
        pd.DataFrame.from_records(checkins, columns=schema.table("goal_checkins").column_names),
    )


# ---------------------------------------------------------------------------------------------------
# Membership (vectorised: one numpy pass per copy, streamed to Parquet)
# ---------------------------------------------------------------------------------------------------

# Sizes (members around 2024) where a public source gives one; the rest are drawn by type and size class.
KNOWN_SIZES: dict[str, int] = {
    "state-il": 870,  # "850+ members" (ilcma.org)
    "state-ma": 250,  # "About 250 members"
    "state-sc": 180,  # "About 180 members"
    "state-va": 360,  # "350+ members"
    "state-wa": 260,  # "250+ members"
    "intl-can-amcto": 2200,  # "~2,200 members" (IIMC)
    "intl-nzl-taituara": 1042,  # "About 1,042 members"
    "intl-dnk-komdir": 180,  # "About 180 members"
}
LARGE_STATES = ("CA", "TX", "FL", "IL", "NC", "MI", "OH", "PA", "GA", "VA", "AZ", "MN")
# Affiliates whose membership series is shorter than the full span: affiliate_id -> (first, last) month end.
MEMBERSHIP_SPANS: dict[str, tuple[date | None, date | None]] = {
    "natl-civicpride": (date(2016, 1, 31), None),  # first met at ICMA 2015 in Seattle
    "intl-aus-lg-professionals-australia": (None, date(2023, 6, 30)),  # national office wound up June 2023
}


@dataclass(frozen=True)
class MembershipProfile:
    """What the membership generator needs to know about the affiliates, one array entry per affiliate."""

    affiliate_ids: np.ndarray  # str
    sizes: np.ndarray  # members around 2024
    icma_share: np.ndarray  # share of members also in ICMA
    first_month: np.ndarray  # index into the month grid
    last_month: np.ndarray


def membership_profile(rng: np.random.Generator, affiliates: pd.DataFrame, months: np.ndarray) -> MembershipProfile:
    """Sizes and ICMA shares per affiliate in a relationship (drawn once, shared by every copy); candidates
    have no membership."""
    affiliates = relationships(affiliates)
    sizes, shares, firsts, lasts = [], [], [], []
    for affiliate in affiliates.itertuples(index=False):
        kind = affiliate.affiliate_type
        if affiliate.affiliate_id in KNOWN_SIZES:
            size = KNOWN_SIZES[affiliate.affiliate_id]
        elif kind == "state":
            size = rng.uniform(600, 1800) if affiliate.state_code in LARGE_STATES else rng.uniform(60, 300)
        elif kind == "national":
            size = np.exp(rng.uniform(np.log(200), np.log(2500)))
        else:
            size = np.exp(rng.uniform(np.log(100), np.log(3000)))
        share = {"state": (0.35, 0.75), "national": (0.10, 0.35), "international": (0.01, 0.08)}[kind]
        sizes.append(size)
        shares.append(rng.uniform(*share))
        first, last = MEMBERSHIP_SPANS.get(affiliate.affiliate_id, (None, None))
        firsts.append(0 if first is None else int(np.searchsorted(months, np.datetime64(first))))
        lasts.append(len(months) - 1 if last is None else int(np.searchsorted(months, np.datetime64(last))))
    return MembershipProfile(
        affiliate_ids=affiliates["affiliate_id"].to_numpy(dtype=object),
        sizes=np.array(sizes),
        icma_share=np.array(shares),
        first_month=np.array(firsts),
        last_month=np.array(lasts),
    )


def covid_dip(months: np.ndarray) -> np.ndarray:
    """0 outside the pandemic, rising to 1 in September 2020 and fading out by mid-2022."""
    position = (months.astype("datetime64[M]") - np.datetime64("2020-03", "M")).astype(float)
    rising = np.clip(position / 6, 0, 1)
    fading = np.clip(1 - (position - 6) / 21, 0, 1)
    return np.where(position < 6, rising, fading) * (position >= 0)


def membership_arrays(
    rng: np.random.Generator, profile: MembershipProfile, months: np.ndarray
) -> dict[str, np.ndarray]:
    """Members, ICMA members, new and lapsed members: arrays of shape (affiliates, months).

    A smooth level (size, growth, January renewal dip, COVID dip, random walk) is rounded to
    members; churn is drawn per month; then new = churn + growth and lapsed = churn + decline, so
    members(t) = members(t-1) + new(t) - lapsed(t) holds exactly, with a hidden month before the first.
    """
    count = len(profile.sizes)
    grid = np.concatenate([months[:1] - 31, months])  # one hidden month before the first snapshot
    years = (grid - np.datetime64("2024-06-30")).astype(float) / 365.25
    calendar_month = grid.astype("datetime64[M]").astype(int) % 12  # 0 = January
    season = np.array([-0.03, -0.02, -0.01, 0, 0.005, 0.01, 0.005, 0, 0.005, 0.01, 0.005, 0])[calendar_month]
    growth = rng.normal(0.015, 0.02, size=(count, 1))
    dip_depth = rng.uniform(0.02, 0.10, size=(count, 1))
    walk = np.cumsum(rng.normal(0, 0.006, size=(count, len(grid))), axis=1)
    walk -= walk[:, [-30]]  # anchor the walk around mid-2024 so sizes stay near their anchors
    level = (
        profile.sizes[:, None]
        * np.exp(growth * years[None, :] + walk)
        * (1 + season[None, :])
        * (1 - dip_depth * covid_dip(grid)[None, :])
    )
    members = np.maximum(np.rint(level), 0).astype(np.int64)
    change = np.diff(members, axis=1)
    churn_rate = rng.uniform(0.003, 0.01, size=(count, 1)) * np.where(calendar_month[1:] == 0, 3.0, 1.0)
    churn = rng.binomial(members[:, :-1], np.minimum(churn_rate, 1.0))
    share_drift = np.exp(rng.normal(0.01, 0.015, size=(count, 1)) * years[None, 1:])
    share = np.clip(profile.icma_share[:, None] * share_drift, 0, 0.95)
    return {
        "members": members[:, 1:],
        "icma_members": np.floor(members[:, 1:] * share).astype(np.int64),
        "new_members": churn + np.maximum(change, 0),
        "lapsed_members": churn + np.maximum(-change, 0),
    }


MEMBERSHIP_ARROW_SCHEMA = pa.schema(
    [
        ("affiliate_id", pa.string()),
        ("snapshot_on", pa.date32()),
        ("members", pa.int32()),
        ("icma_members", pa.int32()),
        ("new_members", pa.int32()),
        ("lapsed_members", pa.int32()),
    ]
)


def membership_batches(profile: MembershipProfile, months: np.ndarray, scale: int) -> Iterator[pa.Table]:
    """Membership of every copy, `MEMBERSHIP_COPIES_PER_ROW_GROUP` copies per Arrow table.

    Copy k draws from `default_rng([SEED, k])`, so copy 1 is the same at every scale.
    """
    month_count = len(months)
    in_span = (np.arange(month_count)[None, :] >= profile.first_month[:, None]) & (
        np.arange(month_count)[None, :] <= profile.last_month[:, None]
    )
    days = months.astype("datetime64[D]").astype(np.int32)
    for first_copy in range(1, scale + 1, MEMBERSHIP_COPIES_PER_ROW_GROUP):
        copies = range(first_copy, min(first_copy + MEMBERSHIP_COPIES_PER_ROW_GROUP, scale + 1))
        parts = [membership_arrays(np.random.default_rng([SEED, copy]), profile, months) for copy in copies]
        mask = np.tile(in_span, (len(copies), 1))
        columns = {name: np.concatenate([part[name] for part in parts])[mask] for name in parts[0]}
        ids = np.concatenate([copy_ids(profile.affiliate_ids, copy) for copy in copies])
        id_index = np.broadcast_to(np.arange(len(ids), dtype=np.int32)[:, None], mask.shape)[mask]
        affiliate_id = pa.DictionaryArray.from_arrays(pa.array(id_index), pa.array(ids, pa.string()))
        yield pa.table(
            {
                "affiliate_id": affiliate_id.cast(pa.string()),
                "snapshot_on": pa.array(np.broadcast_to(days, mask.shape)[mask], pa.date32()),
                **{name: pa.array(values.astype(np.int32)) for name, values in columns.items()},
            },
            schema=MEMBERSHIP_ARROW_SCHEMA,
        )


@dataclass(frozen=True)
class MembershipStatement:
    """One of ICMA's own statements of its membership (data/reference/README.md), read at one month end."""

    read_on: date  # the month end it is read at: 30 June for a fiscal year (ICMA's ends in June) or a period
    members: int
    is_exact: bool  # an exact count, or a floor ("over", "more than", "broke the mark", "12,000+")
    said: str


# Statements of different kinds, not a consistent series: the two exact counts are met exactly, every
# floor is passed (drawn FLOOR_MARGIN above it); the months in between are interpolated.
ICMA_MEMBERSHIP_STATEMENTS: tuple[MembershipStatement, ...] = (
    MembershipStatement(date(2015, 6, 30), 9568, True, "9,568 members (30 Jun 2015)"),
    MembershipStatement(date(2016, 6, 30), 10549, True, "10,549 members (30 Jun 2016)"),
    MembershipStatement(date(2020, 6, 30), 13000, False, 'FY2020: "broke the 13,000 mark"'),
    MembershipStatement(date(2021, 6, 30), 12000, False, 'FY2021: "12,000+"'),
    MembershipStatement(date(2022, 6, 30), 12000, False, "c. 2022: over 12,000"),
    MembershipStatement(date(2024, 6, 30), 13000, False, "c. 2023-24: more than 13,000"),
    MembershipStatement(date(2025, 6, 30), 14000, False, '2024-25: "over 14,000" members'),
)
FLOOR_MARGIN = 0.01
# Invented ends of the series: the month before the first snapshot, and SAMPLE_THROUGH.
ICMA_MEMBERSHIP_ENDS: dict[str, int] = {"2014-12-31": 9450, "2026-11-30": 14300}


def icma_membership_anchors() -> dict[str, int]:
    """Month end -> ICMA members the series passes through: the statements (exact counts as they are,
    floors FLOOR_MARGIN above) and the invented ends, in date order."""
    anchors = dict(ICMA_MEMBERSHIP_ENDS)
    for statement in ICMA_MEMBERSHIP_STATEMENTS:
        margin = 1.0 if statement.is_exact else 1.0 + FLOOR_MARGIN
        anchors[statement.read_on.isoformat()] = round(statement.members * margin)
    return dict(sorted(anchors.items()))


def icma_membership_table(rng: np.random.Generator) -> pd.DataFrame:
    """ICMA's own monthly total, through ICMA's statements of it (`ICMA_MEMBERSHIP_STATEMENTS`): a
    seasonal pattern and a little noise, both zero at the June anchors, so every statement holds
    (the COVID decline from FY2020 to FY2021 is the statements' own)."""
    months = month_ends(MEMBERSHIP_FROM, SAMPLE_THROUGH)
    grid = np.concatenate([months[:1] - 31, months])
    anchors = icma_membership_anchors()
    anchor_days = np.array(list(anchors), dtype="datetime64[D]").astype(float)
    level = np.interp(grid.astype(float), anchor_days, np.array(list(anchors.values()), dtype=float))
    calendar_month = grid.astype("datetime64[M]").astype(int) % 12
    season = np.array([-0.012, -0.008, -0.004, 0, 0.002, 0.004, 0.003, 0.002, 0.004, 0.006, 0.003, 0])
    noise = np.cumsum(rng.normal(0, 0.0015, size=len(grid)))
    noise -= np.interp(grid.astype(float), anchor_days, np.interp(anchor_days, grid.astype(float), noise))
    members = np.rint(level * (1 + season[calendar_month] - season[5]) * (1 + noise)).astype(np.int64)
    for statement in ICMA_MEMBERSHIP_STATEMENTS:
        if statement.is_exact:
            members[grid == np.datetime64(statement.read_on)] = statement.members  # the published count, exactly
    change = np.diff(members)
    churn = rng.binomial(members[:-1], np.where(calendar_month[1:] == 0, 0.03, 0.008))
    return pd.DataFrame(
        {
            "snapshot_on": np.datetime_as_string(months),
            "members": members[1:],
            "new_members": churn + np.maximum(change, 0),
            "lapsed_members": churn + np.maximum(-change, 0),
        }
    )


# ---------------------------------------------------------------------------------------------------
# Sample events and activities
# ---------------------------------------------------------------------------------------------------

STATE_CAPITALS: dict[str, str] = {
    "AK": "Juneau", "NH": "Concord", "SD": "Pierre",
    "AL": "Montgomery", "AZ": "Phoenix", "CA": "Sacramento", "CO": "Denver", "CT": "Hartford",
    "FL": "Tallahassee", "GA": "Atlanta", "IL": "Springfield", "IA": "Des Moines", "KS": "Topeka",
    "KY": "Frankfort", "ME": "Augusta", "MD": "Annapolis", "MA": "Boston", "MI": "Lansing", "MN": "Saint Paul",
    "MO": "Jefferson City", "NE": "Lincoln", "NJ": "Trenton", "NM": "Santa Fe", "NY": "Albany", "NC": "Raleigh",
    "OH": "Columbus", "OK": "Oklahoma City", "OR": "Salem", "PA": "Harrisburg", "SC": "Columbia",
    "TN": "Nashville", "TX": "Austin", "UT": "Salt Lake City", "VT": "Montpelier", "VA": "Richmond",
    "WA": "Olympia", "WI": "Madison", "WY": "Cheyenne",
}  # fmt: skip
COUNTRY_CITIES: dict[str, str] = {
    "AUS": "Sydney", "BGD": "Dhaka", "CAN": "Ottawa", "CZE": "Prague", "DOM": "Santo Domingo", "SWZ": "Manzini",
    "GEO": "Tbilisi", "HND": "Tegucigalpa", "IND": "New Delhi", "IDN": "Jakarta", "IRL": "Dublin",
    "ISR": "Tel Aviv", "KEN": "Nairobi", "NPL": "Kathmandu", "PSE": "Ramallah", "PAN": "Panama City",
    "PHL": "Manila", "POL": "Warsaw", "ROU": "Bucharest", "SVK": "Bratislava", "GBR": "Birmingham",
    "ZAF": "Johannesburg", "NLD": "Utrecht", "DNK": "Copenhagen", "SWE": "Stockholm", "NOR": "Oslo",
    "NZL": "Wellington", "LVA": "Riga",
}  # fmt: skip


def sample_events_table(rng: np.random.Generator, affiliates: pd.DataFrame) -> pd.DataFrame:
    """Invented annual conferences between SAMPLE_EVENTS_FROM and SAMPLE_EVENTS_THROUGH for most
    state associations and several international affiliates (is_sample true, confidence low)."""
    current = affiliates[affiliates["status"] == "current"]
    states = current[current["affiliate_type"] == "state"]
    international = current[current["affiliate_type"] == "international"]
    chosen = pd.concat(
        [
            states[rng.random(len(states)) < 0.8],
            international[rng.random(len(international)) < 0.4],
        ]
    )
    records = []
    for affiliate in chosen.itertuples(index=False):
        start_on = random_day(rng, SAMPLE_EVENTS_FROM + timedelta(days=7), SAMPLE_EVENTS_THROUGH - timedelta(days=10))
        if affiliate.affiliate_type == "state":
            city = f"{STATE_CAPITALS[affiliate.state_code]}, {affiliate.state_code}"
        else:
            city = COUNTRY_CITIES.get(affiliate.country_iso3)
        records.append(
            {
                "event_id": f"E{start_on.year}-{affiliate.affiliate_id}-annual",
                "name": f"{short_name(affiliate)} Annual Conference {start_on.year}",
                "organizer": affiliate.name,
                "affiliate_id": affiliate.affiliate_id,
                "event_type": "affiliate",
                "start_on": start_on,
                "end_on": start_on + timedelta(days=int(rng.integers(1, 4))),
                "date_precision": "day",
                "is_cancelled": False,
                "city": city,
                "country_name": affiliate.country_name,
                "country_iso3": affiliate.country_iso3,
                "venue": None,
                "website": affiliate.website,
                "notes": SAMPLE_EVENT_NOTE,
                "source": None,
                "confidence": "low",
                "is_sample": True,
            }
        )
    return pd.DataFrame.from_records(records, columns=schema.table("events").column_names)


WORK_PLAN_ITEMS = (
    "joint ethics webinar", "coaching program for early-career members", "dual-membership campaign",
    "ICMA Credentialed Manager information session", "Senior Advisor program check-in",
    "Emerging Leaders Development Program outreach", "council-manager form advocacy toolkit",
    "regional nominating committee appointments", "inclusive recruitment workshop",
    "student chapter visits", "peer exchange on budgeting practice", "joint survey of members",
)  # fmt: skip
PUBLICATION_TOPICS = (
    "performance management", "climate resilience", "housing affordability", "ethics in practice",
    "the council-manager form", "workforce recruitment", "digital services", "community engagement",
    "disaster recovery", "fiscal sustainability",
)  # fmt: skip
# Activities per year by activity level; "quiet" affiliates have had none in the last 12 months.
ACTIVITY_RATES: dict[str, float] = {"high": 8.0, "medium": 3.5, "low": 1.2, "quiet": 2.0}


def activity_status(rng: np.random.Generator, activity_type: str, occurred_on: date, is_cancelled: bool) -> str:
    """What became of an activity, as of SAMPLE_THROUGH."""
    if is_cancelled:
        return "cancelled"
    if occurred_on > SAMPLE_THROUGH:
        if activity_type == "work_plan_item" and occurred_on <= add_months(SAMPLE_THROUGH, 2):
            return "in_progress"
        if activity_type == "conference_attendance" and occurred_on <= add_months(SAMPLE_THROUGH, 5):
            return "confirmed"
        return "planned"
    if activity_type == "work_plan_item" and occurred_on > add_months(SAMPLE_THROUGH, -3):
        return "in_progress"
    return "cancelled" if rng.random() < 0.07 else "done"


def activities_table(
    rng: np.random.Generator,
    affiliates: pd.DataFrame,
    agreements: pd.DataFrame,
    liaisons: pd.DataFrame,
    events: pd.DataFrame,
) -> pd.DataFrame:
    """The relationship at work, 2019..2027: work plan items, publications, exchanges, and attendance at
    the affiliates' own conferences and at ICMA's (some upcoming conferences have no ICMA attendance).
    Candidates, which are in no relationship, have none."""
    liaison_of = dict(zip(agreements["affiliate_id"], agreements["liaison_id"], strict=False))
    staff = liaisons.loc[liaisons["role"] == "Staff", "liaison_id"].tolist()
    icma_events = events[events["event_type"].isin(["icma", "icma_annual", "icma_regional"])]
    icma_events = icma_events[icma_events["start_on"] >= ACTIVITIES_FROM]
    records = []
    levels = list(ACTIVITY_RATES)
    for affiliate in relationships(affiliates).itertuples(index=False):
        level = str(rng.choice(levels, p=[0.25, 0.4, 0.2, 0.15]))
        if affiliate.status != "current":
            level = "low"
        liaison_id = liaison_of.get(affiliate.affiliate_id) or staff[int(rng.integers(len(staff)))]
        last_day = SAMPLE_EVENTS_THROUGH
        if level == "quiet":
            last_day = add_months(SAMPLE_THROUGH, -12) - timedelta(days=int(rng.integers(1, 200)))
        if affiliate.status == "former":
            last_day = date(2023, 6, 30)
        name = (
            affiliate.acronym
            if isinstance(affiliate.acronym, str) and affiliate.acronym.strip()
            else without_parenthetical(affiliate.name)
        )
        planned: list[tuple[str, date, str, str | None, bool]] = []
        for year in range(ACTIVITIES_FROM.year, SAMPLE_EVENTS_THROUGH.year + 1):
            for _ in range(int(rng.poisson(ACTIVITY_RATES[level]))):
                occurred_on = random_day(rng, date(year, 1, 1), date(year, 12, 31))
                kind = str(
                    rng.choice(
                        ["work_plan_item", "publication_contribution", "member_exchange"],
                        p=[0.55, 0.3, 0.15] if affiliate.affiliate_type != "international" else [0.4, 0.25, 0.35],
                    )
                )
                if kind == "work_plan_item":
                    item = WORK_PLAN_ITEMS[int(rng.integers(len(WORK_PLAN_ITEMS)))]
                    title = f"{year} work plan with {name}: {item}"
                elif kind == "publication_contribution":
                    topic = PUBLICATION_TOPICS[int(rng.integers(len(PUBLICATION_TOPICS)))]
                    outlet = rng.choice(["PM Magazine", "the ICMA blog", f"the {name} newsletter"])
                    title = f"{name} contribution on {topic} in {outlet}"
                elif affiliate.affiliate_type == "international":
                    title = f"One-on-one exchange: {name} member hosted by an ICMA member"
                else:
                    title = f"Peer exchange: {name} members visit a neighboring jurisdiction"
                planned.append((kind, occurred_on, title, None, False))
        own_events = events[events["affiliate_id"] == affiliate.affiliate_id]
        for event in own_events.itertuples(index=False):
            upcoming = event.start_on > SAMPLE_THROUGH
            if upcoming and rng.random() < 0.3:
                continue  # an upcoming conference with no ICMA attendance yet
            title = f"ICMA liaison attends {event.name}"
            planned.append(("conference_attendance", event.start_on, title, event.event_id, event.is_cancelled))
        attend_icma = {"high": 0.6, "medium": 0.3, "low": 0.1, "quiet": 0.3}[level]
        for event in icma_events.itertuples(index=False):
            same_country = event.country_iso3 == affiliate.country_iso3 and affiliate.affiliate_type == "international"
            if same_country or (event.event_type == "icma_annual" and rng.random() < attend_icma):
                title = f"{name} delegation at {event.name}"
                planned.append(("conference_attendance", event.start_on, title, event.event_id, event.is_cancelled))
        for kind, occurred_on, title, event_id, is_cancelled in sorted(planned, key=lambda item: item[1]):
            if occurred_on > last_day or occurred_on < ACTIVITIES_FROM:
                continue
            records.append(
                {
                    "affiliate_id": affiliate.affiliate_id,
                    "liaison_id": liaison_id if rng.random() < 0.85 else staff[int(rng.integers(len(staff)))],
                    "activity_type": kind,
                    "occurred_on": occurred_on,
                    "title": title,
                    "status": activity_status(rng, kind, occurred_on, is_cancelled),
                    "event_id": event_id,
                    "is_sample": True,
                }
            )
    frame = pd.DataFrame.from_records(records)
    frame.insert(0, "activity_id", [f"A{number:06d}" for number in range(1, len(frame) + 1)])
    return frame[schema.table("activities").column_names]


# ---------------------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleTables:
    """Every table of copy 1 (the bundled dataset), plus what the membership generator needs."""

    tables: dict[str, pd.DataFrame]
    membership_profile: MembershipProfile
    months: np.ndarray


def build_sample(reference_dir: Path = REFERENCE_DIR) -> SampleTables:
    """All tables at scale 1 (membership included as a DataFrame)."""
    reference = read_reference_tables(reference_dir)
    rng = np.random.default_rng(SEED)
    months = month_ends(MEMBERSHIP_FROM, SAMPLE_THROUGH)
    profile = membership_profile(rng, reference.affiliates, months)
    membership = next(membership_batches(profile, months, 1)).to_pandas()
    latest_snapshot = membership.groupby("affiliate_id")["icma_members"].median()
    liaisons = liaisons_table(rng)
    agreements = agreements_table(rng, reference.affiliates, liaisons)
    goals, checkins = goals_and_checkins(
        rng, reference.affiliates, agreements, liaisons, {key: int(value) for key, value in latest_snapshot.items()}
    )
    goals = goals.assign(owner_id=goal_owners(goals, agreements, reference.affiliates, liaisons))
    events = pd.concat([reference.events, sample_events_table(rng, reference.affiliates)], ignore_index=True)
    activities = activities_table(rng, reference.affiliates, agreements, liaisons, events)
    tables = {
        "states": reference.states,
        "affiliates": reference.affiliates,
        "liaisons": liaisons,
        "agreements": agreements,
        "goals": goals,
        "goal_checkins": checkins,
        "membership": membership,
        "icma_membership": icma_membership_table(rng),
        "events": events,
        "activities": activities,
        "goal_comments": comments_table(goals, checkins, liaisons),
    }
    return SampleTables(tables, profile, months)


def copy_ids(ids: np.ndarray, copy: int) -> np.ndarray:
    """Ids of copy `copy`: unchanged for copy 1, suffixed `~k` for copy k."""
    return ids if copy == 1 else np.array([f"{value}~{copy}" for value in ids], dtype=object)


# Per table: the id columns that get the copy suffix, and the name columns that get " (sample copy k)".
COPIED_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "affiliates": (("affiliate_id",), ("name",)),
    "agreements": (("agreement_id", "affiliate_id"), ()),
    "goals": (("goal_id", "agreement_id"), ()),
    "goal_checkins": (("checkin_id", "goal_id"), ()),
    "activities": (("activity_id", "affiliate_id", "event_id"), ()),
    "goal_comments": (("comment_id", "goal_id", "checkin_id"), ()),
    "events": (("event_id", "affiliate_id"), ("name", "organizer")),
}


ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
}


def as_arrow_table(frame: pd.DataFrame, table_name: str) -> pa.Table:
    """The frame as an Arrow table with the schema's column order and types (NA becomes null)."""
    table = schema.table(table_name)
    columns = {}
    for column in table.columns:
        values = frame[column.name].astype(object).where(frame[column.name].notna(), None).tolist()
        if column.type == "DATE":
            values = [None if value is None else date.fromisoformat(str(value)[:10]) for value in values]
        columns[column.name] = pa.array(values, ARROW_TYPES[column.type])
    return pa.table(columns)


def copied_rows(base: pa.Table, table_name: str, copies: range, sample_event_ids: pa.Array) -> pa.Table:
    """Rows of `base` repeated for `copies` (all > 1), with ids suffixed `~k` and names marked as copies.

    Event ids are suffixed only where they point at a copied (sample) event; real events are not copied.
    """
    id_columns, name_columns = COPIED_COLUMNS[table_name]
    if table_name == "events":
        base = base.filter(pc.is_in(base["event_id"], value_set=sample_event_ids))
    rows = base.num_rows
    repeated = base.take(pa.array(np.tile(np.arange(rows), len(copies))))
    copy_numbers = np.repeat(np.array(list(copies)), rows).astype(str).astype(object)
    suffix = pa.array("~" + copy_numbers, pa.string())
    for column in id_columns:
        values = repeated[column]
        suffixed = pc.binary_join_element_wise(values, suffix, "")
        if column == "event_id":
            suffixed = pc.if_else(pc.is_in(values, value_set=sample_event_ids), suffixed, values)
        repeated = repeated.set_column(repeated.schema.get_field_index(column), column, suffixed)
    for column in name_columns:
        marked = pc.binary_join_element_wise(repeated[column], pa.array(" (sample copy " + copy_numbers + ")"), "")
        repeated = repeated.set_column(repeated.schema.get_field_index(column), column, marked)
    if table_name == "affiliates":
        original = base["affiliate_id"].take(pa.array(np.tile(np.arange(rows), len(copies))))
        notes = pc.binary_join_element_wise(
            pa.array("Sample copy " + copy_numbers + " of "), original, pa.scalar(", for scale tests."), ""
        )
        for column, values in {
            "notes": notes,
            "source": pa.nulls(len(repeated), pa.string()),
            "confidence": pa.array(["low"] * len(repeated), pa.string()),
        }.items():
            repeated = repeated.set_column(repeated.schema.get_field_index(column), column, values)
    return repeated


def write_csv(tables: Iterator[pa.Table], path: Path) -> int:
    """Write the tables one after the other into one CSV (header once, text quoted); returns the rows."""
    rows = 0
    writer = None
    try:
        for table in tables:
            if writer is None:
                writer = pa_csv.CSVWriter(str(path), table.schema, write_options=pa_csv.WriteOptions(eol="\n"))
            writer.write_table(table)
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows


def write_sample(out_dir: Path, scale: int = 1, reference_dir: Path = REFERENCE_DIR) -> dict[str, int]:
    """Write every table of the schema into `out_dir` at `scale`; returns rows written per table.

    `membership` goes to `membership.parquet` in row groups of copies; every other table to
    `<table>.csv`. A file of the other format left from an earlier run is removed, so the folder
    holds exactly one file per table.
    """
    if scale < 1:
        raise ValueError(f"scale must be at least 1, not {scale}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sample = build_sample(reference_dir)
    events = sample.tables["events"]
    sample_event_ids = pa.array(
        sorted(events.loc[events["is_sample"] & events["affiliate_id"].notna(), "event_id"]), pa.string()
    )
    copies_per_chunk = max(1, 500_000 // max(1, len(sample.tables["activities"])))
    rows: dict[str, int] = {}
    for table in schema.TABLES:
        if table.name == "membership":
            continue
        base = as_arrow_table(sample.tables[table.name], table.name)

        def tables(base: pa.Table = base, name: str = table.name) -> Iterator[pa.Table]:
            yield base
            if name in COPIED_COLUMNS:
                for first in range(2, scale + 1, copies_per_chunk):
                    copies = range(first, min(first + copies_per_chunk, scale + 1))
                    yield copied_rows(base, name, copies, sample_event_ids)

        (out_dir / f"{table.name}.parquet").unlink(missing_ok=True)
        rows[table.name] = write_csv(tables(), out_dir / f"{table.name}.csv")
    (out_dir / "membership.csv").unlink(missing_ok=True)
    rows["membership"] = 0
    with pq.ParquetWriter(out_dir / "membership.parquet", MEMBERSHIP_ARROW_SCHEMA, compression="zstd") as writer:
        for batch in membership_batches(sample.membership_profile, sample.months, scale):
            writer.write_table(batch)
            rows["membership"] += batch.num_rows
    return {table.name: rows[table.name] for table in schema.TABLES}
