"""The exceptions analytics raises. Pages catch `AnalyticsError` and show its message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class AnalyticsError(Exception):
    """Base class: a problem a user can understand from the message alone."""


def first_line(error: BaseException) -> str:
    """The first line of an error's message (its type's name when it has none), to quote in a message of ours."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


@dataclass(frozen=True)
class Problem:
    """One problem in one place: file, row (as the user counts them), column, value and reason."""

    file: str
    row: int | None
    column: str | None
    reason: str
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = f" (value {self.value!r})" if self.value is not None else ""
        return f"{', '.join(where)}: {self.reason}{value}"


class DataValidationError(AnalyticsError):
    """The data failed its checks; `problems` says where and why, one entry per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"- {problem}" for problem in self.problems[:20])
        more = f"\n... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{shown}{more}")


def require_columns(present: Iterable[str], required: Iterable[str], table_name: str) -> None:
    """Raise DataValidationError naming each `required` column not `present` (a frame's columns) in `table_name`.

    >>> require_columns(["goal_id", "value"], ["goal_id"], "goal_checkins")
    >>> require_columns(["goal_id"], ["goal_id", "reported_on"], "goal_checkins")
    Traceback (most recent call last):
    ...
    analytics.core.errors.DataValidationError: 1 problem(s) in the data:
    - goal_checkins, column 'reported_on': column is missing
    """
    have = set(present)
    missing = [column for column in required if column not in have]
    if missing:
        raise DataValidationError([Problem(table_name, None, column, "column is missing") for column in missing])


class DataFolderError(AnalyticsError):
    """The data folder is missing or unreadable as a whole."""


class UnknownQueryError(AnalyticsError):
    """A query name that has no file under analytics/store/queries/."""


class PermissionDenied(AnalyticsError):
    """The person's roles do not allow the action; nothing was done (the message says who may)."""

    def __init__(self, who: str, action: str, message: str):
        self.who = who
        self.action = action
        super().__init__(message)


class SignInConfigError(AnalyticsError):
    """Sign-in is required or half configured, and the app refuses to open rather than open up."""


class RoleFileError(AnalyticsError):
    """The role file (or the group-to-role setting) cannot be read; the message names the line."""
