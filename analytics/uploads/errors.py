"""Every error an upload raises: one `AnalyticsError` family, so that a page shows the message and a command
turns it into its exit code (analytics/cli/exit_codes.py) without knowing where it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analytics.core.errors import AnalyticsError

if TYPE_CHECKING:
    from analytics.uploads.checked import Checked


class UploadError(AnalyticsError):
    """Base of the upload errors: nothing was committed, and the message says why."""


class IngestError(UploadError):
    """The file as a whole cannot be read: wrong type, too big, empty, unreadable."""


class UploadRejected(UploadError):
    """The file has problems (or an open question) and nothing was committed; `checked` holds the report."""

    def __init__(self, checked: Checked, message: str):
        self.checked = checked
        super().__init__(message)


class UploadConflictError(UploadError):
    """Another commit got in the way and this one was not made; trying again is safe."""


class MappingError(UploadError):
    """A column matched by hand names a column the kind does not have, or a header the file does not have."""


class UnknownKindError(UploadError):
    """A kind of upload that the registry (analytics/uploads/kinds.py) does not declare."""


class UndoRefused(UploadError):
    """A batch that cannot be undone: not in the ledger, already undone, or still named by later uploads."""
