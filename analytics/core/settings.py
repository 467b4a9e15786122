"""One settings object, read from the environment, with a documented default for every field."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
# Where the e-mail settings may also be written (as Streamlit reads its secrets: relative to the working directory).
DEFAULT_SECRETS_FILE = Path(".streamlit") / "secrets.toml"
# The settings that may come from the secrets file when the environment does not set them (e-mail; the object
# store's options, which may hold its keys).
SECRET_SETTINGS: tuple[str, ...] = (
    "AFFILIATE_SMTP_HOST",
    "AFFILIATE_SMTP_PORT",
    "AFFILIATE_SMTP_STARTTLS",
    "AFFILIATE_SMTP_USER",
    "AFFILIATE_SMTP_PASSWORD",
    "AFFILIATE_SMTP_FROM",
    "AFFILIATE_STORAGE_OPTIONS",
)


@dataclass(frozen=True)
class Settings:
    """Every knob the app has. Each field names the environment variable that sets it."""

    # AFFILIATE_DATA_DIR: folder holding the tables (see data/README.md). Default: data/ in the repo.
    data_dir: Path = DEFAULT_DATA_DIR
    # ICMA's stated count of signed state association agreements, the denominator of the coverage figures
    # (Overview, Coverage). Not read from the environment: it changes when ICMA's own figure does.
    stated_state_agreements: int = 43
    # ICMA's stated count of international and multinational affiliate agreements, likewise.
    stated_international_agreements: int = 39
    # AFFILIATE_RENEWAL_WINDOW_MONTHS: an agreement is "due for renewal" this many months before its date
    # (the queries' $renewal_window_months, analytics.domain.coverage.agreement_status_as_of).
    renewal_window_months: int = 6
    # AFFILIATE_STALE_AFTER_MONTHS: a relationship with no counted activity for this long needs attention
    # (analytics.domain.coverage.affiliate_coverage, score_explanation).
    inactive_after_months: int = 12
    # AFFILIATE_MAX_UPLOAD_MEGABYTES: the largest file an analyst may upload (CSV, Excel or Parquet), in
    # megabytes. 100 MB holds about two million membership rows as CSV; keep server.maxUploadSize in
    # .streamlit/config.toml at least this high.
    max_upload_megabytes: int = 100
    # AFFILIATE_MAX_UPLOAD_ROWS: the most data rows one uploaded file may hold (checked before reading a
    # Parquet file in full). Two million leaves room above the one-million-row benchmark (bench/).
    max_upload_rows: int = 2_000_000
    # Plausibility warnings (analytics/uploads/plausibility.py): an upload that passes every check but is far from
    # what the store knows is committed only once the analyst acknowledges the warning (the ledger records it).
    # AFFILIATE_WARN_MEMBERS_CHANGE: warn when a snapshot's members differ from the affiliate's last report by more
    # than this share of it (0.5: +50% or -50%).
    warn_members_change: float = 0.5
    # AFFILIATE_WARN_ICMA_MEMBERS_CHANGE: likewise for the members who are also in ICMA.
    warn_icma_members_change: float = 0.5
    # AFFILIATE_WARN_BEYOND_TARGET: warn when a check-in passes its goal's target by more than this share of the
    # way from baseline to target (0.5: a target of 12 from 0 warns above 18). A check-in that moves against the
    # goal's direction, from its previous one, always warns.
    warn_beyond_target: float = 0.5
    # AFFILIATE_DUCKDB_MEMORY_LIMIT: the most memory one DuckDB database of the store may use (DuckDB's
    # memory_limit, e.g. "512MB", "2GB"); past it DuckDB spills to disk or refuses the query. Default 1GB.
    duckdb_memory_limit: str = "1GB"
    # AFFILIATE_DUCKDB_THREADS: the threads one DuckDB database of the store runs a query on. Default 2: this
    # app's reference machine has two cores, and a higher count only adds memory per query there.
    duckdb_threads: int = 2
    # Where the runtime store's shared part lives (docs/deploy.md, "Several servers"): the Delta tables of uploads,
    # the ledger and the archive of uploaded files (analytics/store/location.py).
    # AFFILIATE_STORE_URL: a folder or an object-store URL (s3://bucket/prefix, az://container/prefix,
    # gs://bucket/prefix) that every app server and command shares. Default: none, <data_dir>/store/.
    store_url: str = ""
    # AFFILIATE_STORAGE_OPTIONS: the object store's options, KEY=value pairs separated by ";", as deltalake names
    # them (e.g. "AWS_REGION=eu-west-1;AWS_ENDPOINT_URL=https://s3.example.org"); may also be written in
    # .streamlit/secrets.toml. Default: none, and credentials come from the machine's own environment (AWS_*
    # variables, an instance role). Never printed (left out of this object's repr).
    storage_options: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    # Sign-in and roles (README, "Sign-in"; analytics/auth/roles.py).
    # AFFILIATE_REQUIRE_SIGN_IN: "true" makes sign-in mandatory: without an [auth] section in
    # .streamlit/secrets.toml every page refuses to open instead of running in local mode. Default false: a
    # laptop run needs no set-up and is one local user with every role (a banner says so).
    require_sign_in: bool = False
    # AFFILIATE_ROLES_FILE: CSV with the columns email,role (one row per role held). Default:
    # <data_dir>/store/roles.csv, beside the upload store and, like it, never committed.
    roles_file: Path | None = None
    # AFFILIATE_GROUPS_CLAIM: the ID-token claim that lists a person's groups. Default "groups" (Entra ID, Okta).
    groups_claim: str = "groups"
    # AFFILIATE_GROUP_ROLES: group=role pairs separated by ";" (e.g. "affiliate-analysts=analyst;
    # <Entra group object id>=viewer"). Default: none, roles come from the role file alone.
    group_roles: tuple[tuple[str, str], ...] = ()
    # AFFILIATE_UNLISTED_ROLE: the role of a signed-in person who is neither in the role file nor in a mapped
    # group: "none" (default: no access, because membership data is not public) or "viewer" (anyone the
    # identity provider lets sign in may read; only for a provider limited to ICMA's own accounts).
    unlisted_role: str = "none"
    # The digest, alerts and board pack (README, "Digest, alerts and the board pack").
    # AFFILIATE_APP_URL: the app's own address (e.g. https://insights.example.org), so that e-mails and PDFs can
    # link each goal and affiliate to its page. Default: none, and they name them without links.
    app_url: str = ""
    # AFFILIATE_ALERT_RULES_FILE: TOML file of alert rules (analytics/domain/alerts.py says its form). Default:
    # <data_dir>/store/alert_rules.toml; when it does not exist, the rules of DEFAULT_ALERT_RULES apply.
    alert_rules_file: Path | None = None
    # E-mail, for `python -m analytics digest` and `alerts`; each may also be set in .streamlit/secrets.toml
    # under the same name. AFFILIATE_SMTP_HOST: the SMTP server. Default: none, and nothing is sent.
    smtp_host: str = ""
    # AFFILIATE_SMTP_PORT: its port. Default 587, the submission port (STARTTLS).
    smtp_port: int = 587
    # AFFILIATE_SMTP_STARTTLS: "true" (default) upgrades the connection with STARTTLS before signing in, and
    # refuses to send when the server does not offer it; "false" only for a relay on the same machine.
    smtp_starttls: bool = True
    # AFFILIATE_SMTP_USER: the account to sign in with. Default: none, no sign-in (a local relay).
    smtp_user: str = ""
    # AFFILIATE_SMTP_PASSWORD: its password; never printed or logged (left out of this object's repr).
    smtp_password: str = field(default="", repr=False)
    # AFFILIATE_SMTP_FROM: the sender address. Default: the SMTP user; one of them is needed to send.
    smtp_from: str = ""

    @property
    def roles_path(self) -> Path:
        return self.roles_file or self.data_dir / "store" / "roles.csv"

    @property
    def alert_rules_path(self) -> Path:
        return self.alert_rules_file or self.data_dir / "store" / "alert_rules.toml"

    @property
    def sender(self) -> str:
        return self.smtp_from or self.smtp_user

    @classmethod
    def from_environment(
        cls, environ: dict[str, str] | None = None, secrets_file: Path | None = DEFAULT_SECRETS_FILE
    ) -> Settings:
        """The settings from `environ` (default: the process environment), those of SECRET_SETTINGS falling back on
        `secrets_file`'s top-level keys of the same names."""
        environ = _secrets(secrets_file) | dict(os.environ if environ is None else environ)
        data_dir = environ.get("AFFILIATE_DATA_DIR") or str(DEFAULT_DATA_DIR)
        return cls(
            data_dir=Path(data_dir).expanduser(),
            renewal_window_months=int(environ.get("AFFILIATE_RENEWAL_WINDOW_MONTHS", cls.renewal_window_months)),
            inactive_after_months=int(environ.get("AFFILIATE_STALE_AFTER_MONTHS", cls.inactive_after_months)),
            max_upload_megabytes=int(environ.get("AFFILIATE_MAX_UPLOAD_MEGABYTES", cls.max_upload_megabytes)),
            max_upload_rows=int(environ.get("AFFILIATE_MAX_UPLOAD_ROWS", cls.max_upload_rows)),
            warn_members_change=float(environ.get("AFFILIATE_WARN_MEMBERS_CHANGE", cls.warn_members_change)),
            warn_icma_members_change=float(
                environ.get("AFFILIATE_WARN_ICMA_MEMBERS_CHANGE", cls.warn_icma_members_change)
            ),
            warn_beyond_target=float(environ.get("AFFILIATE_WARN_BEYOND_TARGET", cls.warn_beyond_target)),
            duckdb_memory_limit=(environ.get("AFFILIATE_DUCKDB_MEMORY_LIMIT") or cls.duckdb_memory_limit).strip(),
            duckdb_threads=int(environ.get("AFFILIATE_DUCKDB_THREADS") or cls.duckdb_threads),
            store_url=(environ.get("AFFILIATE_STORE_URL") or "").strip().rstrip("/"),
            storage_options=_pairs(environ.get("AFFILIATE_STORAGE_OPTIONS", "")),
            require_sign_in=_is_true(environ.get("AFFILIATE_REQUIRE_SIGN_IN", "")),
            roles_file=Path(environ["AFFILIATE_ROLES_FILE"]).expanduser()
            if environ.get("AFFILIATE_ROLES_FILE")
            else None,
            groups_claim=environ.get("AFFILIATE_GROUPS_CLAIM") or cls.groups_claim,
            group_roles=_pairs(environ.get("AFFILIATE_GROUP_ROLES", "")),
            unlisted_role=(environ.get("AFFILIATE_UNLISTED_ROLE") or cls.unlisted_role).strip().lower(),
            app_url=(environ.get("AFFILIATE_APP_URL") or "").strip().rstrip("/"),
            alert_rules_file=Path(environ["AFFILIATE_ALERT_RULES_FILE"]).expanduser()
            if environ.get("AFFILIATE_ALERT_RULES_FILE")
            else None,
            smtp_host=(environ.get("AFFILIATE_SMTP_HOST") or "").strip(),
            smtp_port=int(environ.get("AFFILIATE_SMTP_PORT") or cls.smtp_port),
            smtp_starttls=_is_true(environ.get("AFFILIATE_SMTP_STARTTLS") or "true"),
            smtp_user=(environ.get("AFFILIATE_SMTP_USER") or "").strip(),
            smtp_password=environ.get("AFFILIATE_SMTP_PASSWORD") or "",
            smtp_from=(environ.get("AFFILIATE_SMTP_FROM") or "").strip(),
        )


def _secrets(path: Path | None) -> dict[str, str]:
    """The e-mail settings written in a Streamlit secrets file, as text; nothing when there is no file."""
    if path is None or not Path(path).is_file():
        return {}
    values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return {
        name: str(values[name]).lower() if isinstance(values[name], bool) else str(values[name])
        for name in SECRET_SETTINGS
        if name in values
    }


def _is_true(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Pairs from "a=b; c=d"; a part without "=" is kept with an empty value, to be refused.

    >>> _pairs("a=b; c=d")
    (('a', 'b'), ('c', 'd'))
    >>> _pairs("a=b; lone")
    (('a', 'b'), ('lone', ''))
    """
    parts = [part.strip() for part in text.split(";") if part.strip()]
    return tuple((name.strip(), value.strip()) for name, _, value in (part.partition("=") for part in parts))
