"""One settings object, read from the environment, with a documented default for every field."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Settings:
    """Every knob the app has. Each field names the environment variable that sets it."""

    # AFFILIATE_DATA_DIR: folder holding the tables (see data/README.md). Default: data/ in the repo.
    data_dir: Path = DEFAULT_DATA_DIR
    # ICMA's stated counts of signed agreements, the denominators of coverage figures.
    stated_state_agreements: int = 43
    stated_international_agreements: int = 39
    # AFFILIATE_RENEWAL_WINDOW_MONTHS: an agreement is "due for renewal" this many months before its date.
    renewal_window_months: int = 6
    # AFFILIATE_STALE_AFTER_MONTHS: a relationship with no activity for this long needs attention.
    inactive_after_months: int = 12
    # AFFILIATE_MAX_UPLOAD_MEGABYTES: the largest file an analyst may upload (CSV, Excel or Parquet), in
    # megabytes. 100 MB holds about two million membership rows as CSV; keep server.maxUploadSize in
    # .streamlit/config.toml at least this high.
    max_upload_megabytes: int = 100
    # AFFILIATE_MAX_UPLOAD_ROWS: the most data rows one uploaded file may hold (checked before reading a
    # Parquet file in full). Two million leaves room above the one-million-row benchmark (bench/).
    max_upload_rows: int = 2_000_000

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        environ = dict(os.environ if environ is None else environ)
        data_dir = environ.get("AFFILIATE_DATA_DIR") or str(DEFAULT_DATA_DIR)
        return cls(
            data_dir=Path(data_dir).expanduser(),
            renewal_window_months=int(environ.get("AFFILIATE_RENEWAL_WINDOW_MONTHS", cls.renewal_window_months)),
            inactive_after_months=int(environ.get("AFFILIATE_STALE_AFTER_MONTHS", cls.inactive_after_months)),
            max_upload_megabytes=int(environ.get("AFFILIATE_MAX_UPLOAD_MEGABYTES", cls.max_upload_megabytes)),
            max_upload_rows=int(environ.get("AFFILIATE_MAX_UPLOAD_ROWS", cls.max_upload_rows)),
        )
