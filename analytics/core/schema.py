"""The data model: every table the app reads, its grain, its columns and their meaning.

This module is the single source of truth for the data folder. The store builds its
staging views from it, `python -m analytics check` validates a folder against it, and
`data/README.md` is generated from it (`python -m analytics docs`), so the three never
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AREAS_OF_EMPHASIS: tuple[str, ...] = (
    "Ethics",
    "Leadership and Professional Development",
    "Advocacy for the Profession",
    "Membership Development, Engagement, and Support",
    "ICMA Governance",
    "Inclusiveness and Diversity Initiatives",
)

AFFILIATE_TYPES: tuple[str, ...] = ("state", "national", "international")
US_REGIONS: tuple[str, ...] = ("Northeast", "Southeast", "Midwest", "Mountain Plains", "West Coast")
ICMA_REGIONS: tuple[str, ...] = (*US_REGIONS, "International")
CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")
AGREEMENT_STATUSES: tuple[str, ...] = ("active", "due_for_renewal", "lapsed")
# Statuses of an affiliates row that is a relationship with ICMA (current, ended, or not confirmed either way).
RELATIONSHIP_STATUSES: tuple[str, ...] = ("current", "former", "unknown")
# A candidate is a possible affiliate that public sources suggest but ICMA's list does not name: it is not
# in a relationship, so it has no agreement, goals, membership or activities and is never counted against
# ICMA's stated agreements.
CANDIDATE_STATUS = "candidate"
AFFILIATE_STATUSES: tuple[str, ...] = (*RELATIONSHIP_STATUSES, CANDIDATE_STATUS)
ACTIVITY_TYPES: tuple[str, ...] = (
    "conference_attendance",
    "publication_contribution",
    "member_exchange",
    "work_plan_item",
)
ACTIVITY_STATUSES: tuple[str, ...] = ("planned", "confirmed", "in_progress", "done", "cancelled")
EVENT_TYPES: tuple[str, ...] = ("affiliate", "icma", "icma_annual", "icma_regional")
LIAISON_ROLES: tuple[str, ...] = (
    "Regional Vice President",
    "Regional Director",
    "International Committee member",
    "Staff",
)
GOAL_DIRECTIONS: tuple[str, ...] = ("increase", "decrease")
DATE_PRECISIONS: tuple[str, ...] = ("day", "month")


@dataclass(frozen=True)
class Column:
    """One column: its DuckDB type, whether it may be empty, and what it means (with its unit)."""

    name: str
    type: str
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    # Added after data folders were first written: a file without it reads as empty there (it must be nullable).
    may_be_absent: bool = False


@dataclass(frozen=True)
class Table:
    """One table of the data folder, stored as `<name>.parquet` or `<name>.csv`."""

    name: str
    grain: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    is_sample: bool = False
    # Analysts may upload rows of it (analytics/uploads/kinds.py declares how): they are kept in store/<name>/
    # and its staging view shows them over the folder's rows with the same key.
    is_uploadable: bool = False
    # Added after data folders were first written: a folder without its file reads as one with no rows.
    may_be_absent: bool = False

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


SOURCE = Column("source", "VARCHAR", "Public source(s) of the facts, URLs separated by ` ; `.", nullable=True)
CONFIDENCE = Column(
    "confidence",
    "VARCHAR",
    "How sure the public sources are: high, medium or low.",
    allowed=CONFIDENCE_LEVELS,
)
IS_SAMPLE = Column(
    "is_sample",
    "BOOLEAN",
    "True when the row was generated as sample data rather than taken from a public source.",
)

TABLES: tuple[Table, ...] = (
    Table(
        name="states",
        grain="one row per US state or DC",
        description=(
            "ICMA's US regions: every state mapped to one region (real, from public sources), as of 2019-2025; "
            "ICMA approved a realignment in July 2025, effective with the 2026-27 nominations cycle, whose "
            "new mapping was not found."
        ),
        key=("state_code",),
        columns=(
            Column("state_code", "VARCHAR", "Two-letter USPS state code."),
            Column("state_name", "VARCHAR", "State name."),
            Column("icma_region", "VARCHAR", "ICMA US region.", allowed=US_REGIONS),
            CONFIDENCE,
            SOURCE,
        ),
    ),
    Table(
        name="affiliates",
        grain="one row per affiliated organization",
        description=(
            "Every state association, national/equity affiliate and international affiliate, and the "
            "international candidates (status `candidate`), with real names and places from public sources."
        ),
        key=("affiliate_id",),
        columns=(
            Column("affiliate_id", "VARCHAR", "Stable key, e.g. `state-ca`, `intl-gbr-solace`, `natl-nfbpa`."),
            Column("name", "VARCHAR", "Full name in English."),
            Column("acronym", "VARCHAR", "Short name or acronym.", nullable=True),
            Column("local_name", "VARCHAR", "Name in the local language.", nullable=True),
            Column("affiliate_type", "VARCHAR", "state, national or international.", allowed=AFFILIATE_TYPES),
            Column("country_iso3", "VARCHAR", "ISO 3166-1 alpha-3 country code (USA for state and national)."),
            Column("country_name", "VARCHAR", "Country name in English."),
            Column("state_code", "VARCHAR", "Two-letter US state code, state associations only.", nullable=True),
            Column(
                "icma_region",
                "VARCHAR",
                "ICMA region; International for international affiliates, empty for national ones.",
                nullable=True,
                allowed=ICMA_REGIONS,
            ),
            Column("world_region", "VARCHAR", "World region (Europe, Africa, ...), international only.", nullable=True),
            Column("focus", "VARCHAR", "Who the affiliate serves (national/equity affiliates).", nullable=True),
            Column("website", "VARCHAR", "Website URL.", nullable=True),
            Column(
                "relationship_since", "INTEGER", "Year the relationship with ICMA began, where known.", nullable=True
            ),
            Column(
                "status",
                "VARCHAR",
                "Relationship status per public sources: current, former, unknown (not confirmed), or candidate "
                "(a possible affiliate not on ICMA's list: no relationship, so no agreement, goals, membership or "
                "activities, and never counted against ICMA's stated agreements).",
                allowed=AFFILIATE_STATUSES,
            ),
            Column("notes", "VARCHAR", "What the sources say, in a sentence or two.", nullable=True),
            SOURCE,
            CONFIDENCE,
        ),
        references={"state_code": ("states", "state_code")},
    ),
    Table(
        name="liaisons",
        grain="one row per person acting as a liaison",
        description="Regional Vice Presidents, Regional Directors, International Committee members and staff.",
        key=("liaison_id",),
        columns=(
            Column("liaison_id", "VARCHAR", "Stable key, e.g. `L001`."),
            Column("name", "VARCHAR", "Person's name (invented in the sample data)."),
            Column("role", "VARCHAR", "Role in ICMA.", allowed=LIAISON_ROLES),
            Column("icma_region", "VARCHAR", "Region the liaison serves.", allowed=ICMA_REGIONS),
            Column(
                "email",
                "VARCHAR",
                "E-mail address: a person signed in with it is this liaison (My work, the goals they own). "
                "`@example.org` addresses in the sample data.",
                nullable=True,
                may_be_absent=True,
            ),
            IS_SAMPLE,
        ),
        is_sample=True,
    ),
    Table(
        name="agreements",
        grain="one row per affiliation agreement (an affiliate may have several over time)",
        description="Affiliation agreements with their terms and liaison.",
        key=("agreement_id",),
        columns=(
            Column("agreement_id", "VARCHAR", "Stable key, e.g. `AG-state-ca-2019`."),
            Column("affiliate_id", "VARCHAR", "The affiliate that signed."),
            Column("liaison_id", "VARCHAR", "ICMA liaison responsible for the relationship."),
            Column("signed_on", "DATE", "Date the agreement was signed."),
            Column("renewal_due_on", "DATE", "Date the agreement must be renewed by."),
            Column(
                "status",
                "VARCHAR",
                "Status as recorded: active, due_for_renewal or lapsed.",
                allowed=AGREEMENT_STATUSES,
            ),
            IS_SAMPLE,
        ),
        references={"affiliate_id": ("affiliates", "affiliate_id"), "liaison_id": ("liaisons", "liaison_id")},
        is_sample=True,
    ),
    Table(
        name="goals",
        grain="one row per goal of an agreement",
        description="Mutually beneficial goals, each in one of the six areas of emphasis.",
        key=("goal_id",),
        columns=(
            Column("goal_id", "VARCHAR", "Stable key, e.g. `G0001`."),
            Column("agreement_id", "VARCHAR", "The agreement that sets the goal."),
            Column("area_of_emphasis", "VARCHAR", "One of ICMA's six areas of emphasis.", allowed=AREAS_OF_EMPHASIS),
            Column("title", "VARCHAR", "The goal in a sentence."),
            Column("metric", "VARCHAR", "What is measured, e.g. `dual members`."),
            Column("unit", "VARCHAR", "Unit of the metric, e.g. `members`, `percent`, `events`."),
            Column(
                "direction",
                "VARCHAR",
                "increase when a higher value is better, decrease when lower is (a lapse rate).",
                allowed=GOAL_DIRECTIONS,
            ),
            Column("baseline_value", "DOUBLE", "Value of the metric at the start date, in the goal's unit."),
            Column("target_value", "DOUBLE", "Value to reach by the due date, in the goal's unit."),
            Column("start_on", "DATE", "Start of the goal's term."),
            Column("due_on", "DATE", "End of the goal's term."),
            Column("reporting_interval_months", "INTEGER", "Months between expected check-ins.", minimum=1),
            Column(
                "owner_id",
                "VARCHAR",
                "The liaison who owns the goal and records its check-ins; empty means the agreement's liaison "
                "(the view `goal_owners` says whose each goal is).",
                nullable=True,
                may_be_absent=True,
            ),
            IS_SAMPLE,
        ),
        references={"agreement_id": ("agreements", "agreement_id"), "owner_id": ("liaisons", "liaison_id")},
        is_uploadable=True,
        is_sample=True,
    ),
    Table(
        name="goal_checkins",
        grain="one row per progress report on a goal",
        description="Progress values reported over time, with a short narrative.",
        key=("checkin_id",),
        columns=(
            Column("checkin_id", "VARCHAR", "Stable key, e.g. `C000001`."),
            Column("goal_id", "VARCHAR", "The goal reported on."),
            Column("reported_on", "DATE", "Date the value was reported."),
            Column("value", "DOUBLE", "Value of the goal's metric on that date, in the goal's unit."),
            Column("narrative", "VARCHAR", "What happened, in a sentence.", nullable=True),
            Column("reported_by", "VARCHAR", "Who reported it (liaison name or affiliate staff)."),
            IS_SAMPLE,
        ),
        references={"goal_id": ("goals", "goal_id")},
        is_uploadable=True,
        is_sample=True,
    ),
    Table(
        name="membership",
        grain="one row per affiliate per month-end snapshot",
        description=(
            "Affiliate membership, and how many of those members also belong to ICMA. Affiliates may report "
            "monthly, quarterly or yearly: the totals count each affiliate at a month end with its latest "
            "snapshot on or before it, for up to 12 months after that snapshot (then it has stopped reporting "
            "and no longer counts); joiners and leavers count only in the month they are reported."
        ),
        key=("affiliate_id", "snapshot_on"),
        columns=(
            Column("affiliate_id", "VARCHAR", "The affiliate counted."),
            Column("snapshot_on", "DATE", "Date of the snapshot (a month end in the sample data)."),
            Column("members", "INTEGER", "Affiliate members on that date (people).", minimum=0),
            Column("icma_members", "INTEGER", "Of those, members who also belong to ICMA (people).", minimum=0),
            Column("new_members", "INTEGER", "Members who joined since the previous snapshot (people).", minimum=0),
            Column("lapsed_members", "INTEGER", "Members who left since the previous snapshot (people).", minimum=0),
        ),
        references={"affiliate_id": ("affiliates", "affiliate_id")},
        is_uploadable=True,
        is_sample=True,
    ),
    Table(
        name="icma_membership",
        grain="one row per month-end snapshot",
        description="ICMA's own total membership (anchored on ICMA's published totals).",
        key=("snapshot_on",),
        columns=(
            Column("snapshot_on", "DATE", "Date of the snapshot (a month end)."),
            Column("members", "INTEGER", "ICMA members on that date (people).", minimum=0),
            Column("new_members", "INTEGER", "Members who joined since the previous snapshot (people).", minimum=0),
            Column("lapsed_members", "INTEGER", "Members who left since the previous snapshot (people).", minimum=0),
        ),
        is_sample=True,
    ),
    Table(
        name="events",
        grain="one row per event",
        description=(
            "Affiliate events and ICMA annual and regional conferences "
            "(real ones from public sources, plus sample events)."
        ),
        key=("event_id",),
        columns=(
            Column("event_id", "VARCHAR", "Stable key, e.g. `E2023-solace-summit`."),
            Column("name", "VARCHAR", "Event name."),
            Column("organizer", "VARCHAR", "Organizer as named by the source."),
            Column("affiliate_id", "VARCHAR", "Organizing affiliate, where it is one.", nullable=True),
            Column("event_type", "VARCHAR", "affiliate, icma, icma_annual or icma_regional.", allowed=EVENT_TYPES),
            Column("start_on", "DATE", "First day (the first of the month when only the month is known)."),
            Column("end_on", "DATE", "Last day, inclusive; empty when unknown.", nullable=True),
            Column("date_precision", "VARCHAR", "day, or month when only the month is known.", allowed=DATE_PRECISIONS),
            Column("is_cancelled", "BOOLEAN", "True when the event did not take place as planned."),
            Column("city", "VARCHAR", "City, where known.", nullable=True),
            Column("country_name", "VARCHAR", "Country, where known.", nullable=True),
            Column("country_iso3", "VARCHAR", "ISO-3 country code, where known.", nullable=True),
            Column("venue", "VARCHAR", "Venue, where known.", nullable=True),
            Column("website", "VARCHAR", "Event or organizer website.", nullable=True),
            Column("notes", "VARCHAR", "What the sources say.", nullable=True),
            SOURCE,
            CONFIDENCE,
            IS_SAMPLE,
        ),
        references={"affiliate_id": ("affiliates", "affiliate_id")},
        is_uploadable=True,
    ),
    Table(
        name="activities",
        grain="one row per activity of a relationship",
        description=(
            "The relationship at work: conference attendance by ICMA leaders, publication contributions, "
            "member exchanges and annual work plan items."
        ),
        key=("activity_id",),
        columns=(
            Column("activity_id", "VARCHAR", "Stable key, e.g. `A000001`."),
            Column("affiliate_id", "VARCHAR", "The affiliate involved."),
            Column("liaison_id", "VARCHAR", "The ICMA liaison involved."),
            Column("activity_type", "VARCHAR", "Kind of activity.", allowed=ACTIVITY_TYPES),
            Column("occurred_on", "DATE", "Date it happened or is planned for."),
            Column("title", "VARCHAR", "What it is, in a line."),
            Column(
                "status", "VARCHAR", "planned, confirmed, in_progress, done or cancelled.", allowed=ACTIVITY_STATUSES
            ),
            Column("event_id", "VARCHAR", "The event attended, for conference attendance.", nullable=True),
            IS_SAMPLE,
        ),
        references={
            "affiliate_id": ("affiliates", "affiliate_id"),
            "liaison_id": ("liaisons", "liaison_id"),
            "event_id": ("events", "event_id"),
        },
        is_uploadable=True,
        is_sample=True,
    ),
    Table(
        name="goal_comments",
        grain="one row per comment on a goal or on one of its check-ins",
        description=(
            "The comment thread of a goal: who said what, when, about the goal or one check-in. Recorded by form "
            "(the Goals page, My work) or uploaded; a folder may have no file of it."
        ),
        key=("comment_id",),
        columns=(
            Column("comment_id", "VARCHAR", "Stable key, e.g. `K-G0001-2026-11-30-avery-stone-thanks`."),
            Column("goal_id", "VARCHAR", "The goal commented on."),
            Column("checkin_id", "VARCHAR", "The check-in commented on, when the comment is about one.", nullable=True),
            Column("commented_on", "DATE", "Date of the comment."),
            Column("author", "VARCHAR", "Who wrote it (e-mail or name)."),
            Column("comment", "VARCHAR", "The comment, as written (shown as text, never as markup)."),
            IS_SAMPLE,
        ),
        references={"goal_id": ("goals", "goal_id")},
        is_uploadable=True,
        is_sample=True,
        may_be_absent=True,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
# The tables analysts may upload rows of (the upload kinds of analytics/uploads/kinds.py, one for each).
UPLOADABLE_TABLES: tuple[str, ...] = tuple(table.name for table in TABLES if table.is_uploadable)


def table(name: str) -> Table:
    """The table called `name`; KeyError names the known tables."""
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES_BY_NAME)}") from None
