"""The registry of upload kinds: what each kind of file an analyst may upload *is*, declared once.

One `UploadKind` per kind says how people and messages call it, the columns a file of it may have and the
names they go by, how its rows are checked and what the check needs from the store, what makes a row replace
a stored one, and what the preview shows. The pipeline, `python -m analytics ingest` and the Upload page all
read this registry; nothing else lists the kinds. Each kind is the schema table of the same name (its key, its
columns as stored, `is_uploadable` in analytics/core/schema.py), so that analytics/store knows which tables
uploads add to without importing this package; tests/uploads/test_kinds.py holds the two lists together.

Adding a kind: its table in the schema (`is_uploadable=True`), its checks module under checks/, one entry in
`KINDS` below, its tests, and a paragraph of docs/storage.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from analytics.core.errors import AnalyticsError, first_line
from analytics.core.schema import Table
from analytics.core.schema import table as schema_table
from analytics.uploads import plausibility
from analytics.uploads.checked import Checked, FileCells
from analytics.uploads.checks import activities, events, goal_checkins, goal_comments, goals, membership
from analytics.uploads.errors import IngestError, UnknownKindError
from analytics.uploads.matching import (
    ColumnMatch,
    TargetColumn,
    choice_labels,
    column_guide,
    column_named,
    match_columns,
    synonym_lookup,
    template,
)
from analytics.uploads.preview import KEYED_RECORDS, MEMBERSHIP_SNAPSHOTS, KeyedRecords
from analytics.uploads.reading import SourceTable
from analytics.uploads.values import DateOrder

if TYPE_CHECKING:
    from analytics.core.settings import Settings
    from analytics.store.reader import Store

_log = logging.getLogger(__name__)

# A kind's check: the file's cells, the reference built from the store, today, the day/month order if given.
Check = Callable[[FileCells, Any, date, DateOrder | None], Checked]


@dataclass(frozen=True, eq=False)
class UploadKind:
    """One kind of upload: the schema table it adds rows to, and everything the pipeline, the command line and
    the Upload page need to know about it."""

    name: str  # the schema table and store/<name>/, and `--kind <name>`
    label: str  # what people call it: "Goal check-ins"
    noun: str  # what one row is called: "check-ins"
    a_file: str  # how text names a file of it: "a goal check-ins file"
    title: str  # the Upload page's title when it is chosen
    columns_help: str  # the file chooser's help: which columns are matched, and how
    same_key: str  # what makes a row replace a stored one, after "Same ": "goal and date"
    columns: tuple[TargetColumn, ...]  # the columns a file of it may have, and the names they go by
    check: Check  # checks every row of a file of it
    reference: Callable[[Store], Any]  # what the check needs from the store, read from it
    preview_columns: tuple[str, ...]  # what the preview shows of a replaced record, beside its key
    # Stored columns fed by file columns of other names (any other stored column is fed by the file column of
    # its own name): where the file leaves all of them blank, a replaced record keeps its stored value.
    fed_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Stored columns that, where the file leaves them blank, name whoever commits (a check-in's reporter).
    filled_by_committer: tuple[str, ...] = ()
    # How the rows that a file replaces are found and previewed.
    records: KeyedRecords = KEYED_RECORDS
    # Who besides analysts may record rows of it by form (analytics/uploads/ownership.py): "goal owner",
    # "goal owner or affiliate liaison" or "affiliate liaison"; None: only uploads, by analysts.
    recorded_by: str | None = None
    one: str = ""  # what one row is called, for a form's messages: "check-in"
    # Warnings that do not refuse (analytics/uploads/plausibility.py): the checked rows against the store's
    # history, in words; None: the kind never warns.
    plausibility: Callable[[pd.DataFrame, Store, Settings], tuple[str, ...]] | None = None

    @property
    def table(self) -> Table:
        return schema_table(self.name)

    @property
    def key(self) -> tuple[str, ...]:
        """The columns that make a row replace a stored one: the key of the schema table of the same name."""
        return self.table.key

    @property
    def column_labels(self) -> dict[str, str]:
        return {column.name: column.label for column in self.columns}

    @cached_property
    def synonyms(self) -> dict[str, str]:
        """Normalised header text -> column, for finding the header row and matching columns."""
        return synonym_lookup(self.columns)

    def match(self, header: list[str], mapping: dict[str, str] | None = None) -> ColumnMatch:
        return match_columns(header, self.columns, mapping)

    @property
    def choice_labels(self) -> dict[str, str]:
        """Column -> what the manual mapping shows for it ("Members also in ICMA (required)")."""
        return choice_labels(self.columns)

    def column_named(self, text: str) -> str:
        """The column `text` names by its name or label; MappingError when none is."""
        return column_named(self.columns, text, self.name)

    def column_guide(self) -> pd.DataFrame:
        return column_guide(self.columns)

    def template(self) -> pd.DataFrame:
        return template(self.columns)

    def fed_columns(self) -> dict[str, tuple[str, ...]]:
        """The stored columns that file columns feed, each with the file columns feeding it (never the key,
        nor columns an upload always sets, such as is_sample)."""
        file_columns = {column.name for column in self.columns}
        fed = {}
        for name in self.table.column_names:
            feeders = self.fed_by.get(name, (name,) if name in file_columns else ())
            if name not in self.key and feeders:
                fed[name] = feeders
        return fed

    def checked(
        self,
        source: SourceTable,
        store: Store,
        today: date,
        mapping: dict[str, str] | None = None,
        date_order: DateOrder | None = None,
    ) -> Checked:
        """Every row of a file of this kind checked, against what the store holds now. A failure no check foresaw
        is an IngestError naming the file (logged with its traceback on the server), never a traceback shown."""
        try:
            cells = FileCells(source, self.name, self.columns, mapping)
            return self.check(cells, self.reference(store), today, date_order)
        except AnalyticsError:
            raise
        except Exception as error:  # noqa: BLE001 - a cell no check foresaw; the analyst gets words, not a trace
            _log.exception("checking %s as %s failed", source.file_name, self.name)
            raise IngestError(
                f"{source.file_name}: the file could not be checked as {self.a_file} "
                f"({type(error).__name__}: {first_line(error)}); nothing was stored"
            ) from error


KINDS: tuple[UploadKind, ...] = (
    UploadKind(
        name="membership",
        label="Membership",
        noun="snapshots",
        a_file="a membership file",
        title="Upload membership data",
        columns_help="Columns are matched by name (Affiliate, State, Date, As of, Members, Dual members…); "
        "affiliates by id, name, acronym or state.",
        same_key="affiliate and date",
        columns=membership.COLUMNS,
        check=membership.check_membership,
        reference=membership.MembershipReference.from_store,
        preview_columns=("members", "icma_members"),
        records=MEMBERSHIP_SNAPSHOTS,
        plausibility=plausibility.membership_warnings,
    ),
    UploadKind(
        name="events",
        label="Events",
        noun="events",
        a_file="an events file",
        title="Upload events",
        columns_help="Columns are matched by name (Event or Title, Start or From, End or To, Organiser, City, "
        "Country, Website, Affiliate…); an event with an affiliate is that affiliate's, one without is ICMA's.",
        same_key="event id (made from the name and start date when the file has none)",
        columns=events.COLUMNS,
        check=events.check_events,
        reference=events.EventReference.from_store,
        preview_columns=("name", "start_on", "end_on"),
        fed_by={
            "event_type": ("affiliate_id",),
            "organizer": ("organizer", "affiliate_id"),
            "country_iso3": ("country",),
            "country_name": ("country",),
        },
    ),
    UploadKind(
        name="goals",
        label="Goals",
        noun="goals",
        a_file="a goals file",
        title="Upload agreement goals",
        columns_help="Columns are matched by name (Affiliate or Agreement, Area, Goal, Metric, Unit, Baseline, "
        "Target, Start, Due, Frequency…); a goal naming only its affiliate joins the agreement in force on its "
        "start date.",
        same_key="goal id (or the same agreement and title)",
        columns=goals.COLUMNS,
        check=goals.check_goals,
        reference=goals.GoalReference.from_store,
        preview_columns=("title", "target_value", "due_on"),
        fed_by={
            "agreement_id": ("agreement_id", "affiliate_id"),
            "direction": ("direction", "baseline_value", "target_value"),
        },
    ),
    UploadKind(
        name="goal_checkins",
        label="Goal check-ins",
        noun="check-ins",
        a_file="a goal check-ins file",
        title="Upload goal check-ins",
        columns_help="Columns are matched by name (Goal, Date, Value or Progress, Narrative or Update, Reported "
        "by…); goals by id or title. A check-in without a reporter is recorded as reported by you.",
        same_key="goal and date",
        columns=goal_checkins.COLUMNS,
        check=goal_checkins.check_goal_checkins,
        reference=goal_checkins.CheckinReference.from_store,
        preview_columns=("goal_id", "reported_on", "value"),
        filled_by_committer=("reported_by",),
        plausibility=plausibility.checkin_warnings,
        recorded_by="goal owner",
        one="check-in",
    ),
    UploadKind(
        name="activities",
        label="Activities",
        noun="activities",
        a_file="an activities file",
        title="Upload relationship activities",
        columns_help="Columns are matched by name (Affiliate, Type, Date, Title, Status, Liaison, Event…); types "
        "such as conference, article, exchange or work plan. Without a liaison, the affiliate's agreement liaison "
        "is used.",
        same_key="activity id (or the same affiliate, type, date and title)",
        columns=activities.COLUMNS,
        check=activities.check_activities,
        reference=activities.ActivityReference.from_store,
        preview_columns=("title", "occurred_on", "status"),
        recorded_by="affiliate liaison",
        one="activity",
    ),
    UploadKind(
        name="goal_comments",
        label="Goal comments",
        noun="comments",
        a_file="a goal comments file",
        title="Upload comments on goals",
        columns_help="Columns are matched by name (Goal, Check-in, Date, Author, Comment…); goals by id or title. "
        "A comment without an author is recorded as written by you.",
        same_key="comment id (made from the goal, the date and the text)",
        columns=goal_comments.COLUMNS,
        check=goal_comments.check_goal_comments,
        reference=goal_comments.CommentReference.from_store,
        preview_columns=("goal_id", "commented_on", "comment"),
        filled_by_committer=("author",),
        recorded_by="goal owner or affiliate liaison",
        one="comment",
    ),
)

KINDS_BY_NAME: dict[str, UploadKind] = {kind.name: kind for kind in KINDS}


def upload_kind(name: str) -> UploadKind:
    """The kind called `name`; UnknownKindError naming the kinds there are."""
    try:
        return KINDS_BY_NAME[name]
    except KeyError:
        known = ", ".join(KINDS_BY_NAME)
        raise UnknownKindError(f"uploads of {name!r} are not supported; supported: {known}") from None


def likely_kind(checked: Checked) -> UploadKind | None:
    """The registered kind the file seems to hold, when not the one chosen.

    When the file lacks required columns of the chosen kind: another kind whose required columns its header
    all has, or three in four of them while it has at most half of the chosen kind's. When it has them all:
    another kind it fits too that leaves fewer of its columns unused (an activities file, with its Type and
    Status, also fits events).
    """
    header = checked.source.header
    others = [kind for kind in KINDS if kind.name != checked.kind]
    if not others:
        return None
    if not checked.match.missing:
        unused = len(checked.match.unmatched)
        fitting = {
            kind.name: len(match.unmatched)
            for kind in others
            for match in [kind.match(header)]
            if not match.missing and len(match.unmatched) < unused
        }
        return KINDS_BY_NAME[min(fitting, key=fitting.__getitem__)] if fitting else None

    def fit(kind: UploadKind, match: ColumnMatch) -> tuple[float, int, int]:
        """Share of the kind's required columns found, how many, and (negated) file columns left unused."""
        required = sum(column.required for column in kind.columns)
        found = required - len(match.missing)
        return found / required, found, -len(match.unmatched)

    chosen_share = fit(upload_kind(checked.kind), checked.match)[0]
    fits = {kind.name: fit(kind, kind.match(header)) for kind in others}
    best = max(fits, key=fits.__getitem__)
    share = fits[best][0]
    return KINDS_BY_NAME[best] if share == 1 or (share >= 0.75 and chosen_share <= 0.5) else None
