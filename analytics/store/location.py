"""Where the shared part of the runtime store lives: a folder, or an object store's URL (s3://, az://, gs://).

The shared part is what every app server and command must see alike: the Delta tables (uploaded rows, rejected
rows, the ledger, and any other table of `ledger.StoreLayout`) and the archive of uploaded files. Its place is
`AFFILIATE_STORE_URL` (default `<data_dir>/store/`) with `AFFILIATE_STORAGE_OPTIONS` (analytics.core.settings).
What one machine derives for itself (Parquet copies of CSV tables, check records, DuckDB's spill files) stays in
`<data_dir>/store/` on that machine.

- Delta tables are read and written by deltalake's own object-store support, given `storage_options`. On S3,
  delta-rs commits each version with a conditional put (`If-None-Match: *`, its default since 1.x), so two
  writers never overwrite one commit; the unsafe-rename switch is refused here.
- Plain files (the archive) go through pyarrow's file systems (`pyarrow.fs`), already installed with pyarrow:
  the S3 options are translated from deltalake's names, so one set of options serves both. deltalake's own
  `DeltaStorageHandler` would have needed no translation, but with pyarrow 26 it cannot write ("'Buffer'
  object is not an instance of 'bytes'", leaving an empty object behind). An object is written by one PUT,
  whole or absent; a local file through a temporary name (analytics.core.files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pyarrow.fs as pafs

from analytics.core.errors import AnalyticsError
from analytics.core.files import write_bytes_atomically
from analytics.core.settings import Settings

# URL schemes of object stores that deltalake supports (AWS S3 and S3-compatible stores, Azure, Google Cloud).
OBJECT_STORE_SCHEMES = frozenset({"s3", "s3a", "az", "abfs", "abfss", "adl", "gs"})
# Options that would let two writers overwrite each other's commits: refused (FINDINGS: conditional put is safe).
UNSAFE_OPTIONS = frozenset({"AWS_S3_ALLOW_UNSAFE_RENAME"})


@dataclass(frozen=True)
class StoreLocation:
    """The shared part of one data folder's runtime store: `url` (empty: `local_root`) and its options."""

    local_root: Path
    url: str = ""
    options: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        unsafe = sorted(name for name, _ in self.options if name.upper() in UNSAFE_OPTIONS)
        if unsafe:
            raise AnalyticsError(
                f"AFFILIATE_STORAGE_OPTIONS sets {', '.join(unsafe)}: concurrent commits could overwrite each other; "
                "remove it (deltalake commits to S3 with a conditional put by default)"
            )
        if self.url and urlparse(self.url).scheme not in {"", "file", *OBJECT_STORE_SCHEMES}:
            raise AnalyticsError(f"AFFILIATE_STORE_URL {self.url!r}: not a folder nor an s3://, az:// or gs:// URL")

    @classmethod
    def of(cls, data_dir: Path, settings: Settings | None = None) -> StoreLocation:
        """The location the settings give (default: the environment's), `<data_dir>/store/` without a URL."""
        settings = settings or Settings.from_environment()
        return cls(Path(data_dir) / "store", settings.store_url, settings.storage_options)

    @property
    def is_object_store(self) -> bool:
        return urlparse(self.url).scheme in OBJECT_STORE_SCHEMES

    @property
    def folder(self) -> Path:
        """The local folder of the shared part (when it is not on an object store)."""
        if not self.url:
            return self.local_root
        return Path(urlparse(self.url).path) if self.url.startswith("file://") else Path(self.url).expanduser()

    def path(self, name: str) -> Path | str:
        """Where `name` (a table's folder, a file) lives: a Path in a folder, a URL on an object store."""
        return f"{self.url}/{name}" if self.is_object_store else self.folder / name

    @property
    def storage_options(self) -> dict[str, str] | None:
        """deltalake's `storage_options` (None in a folder, or when the environment gives them)."""
        return (dict(self.options) or None) if self.is_object_store else None

    def names(self, folder: str) -> list[str]:
        """The names of the files directly in `folder` (an empty list when it does not exist)."""
        if not self.is_object_store:
            directory = self.folder / folder
            return [path.name for path in directory.iterdir()] if directory.is_dir() else []
        filesystem, base = _filesystem(self.url, self.options)
        infos = filesystem.get_file_info(pafs.FileSelector(f"{base}/{folder}", allow_not_found=True))
        return [info.base_name for info in infos if info.type == pafs.FileType.File]

    def exists(self, name: str) -> bool:
        if not self.is_object_store:
            return (self.folder / name).exists()
        filesystem, base = _filesystem(self.url, self.options)
        return filesystem.get_file_info(f"{base}/{name}").type != pafs.FileType.NotFound

    def write_bytes(self, name: str, data: bytes) -> None:
        """`data` as the whole of `name`: one PUT on an object store, a temporary file renamed in a folder."""
        if not self.is_object_store:
            target = self.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomically(target, data)
            return
        filesystem, base = _filesystem(self.url, self.options)
        with filesystem.open_output_stream(f"{base}/{name}") as stream:
            stream.write(data)

    def read_bytes(self, name: str) -> bytes:
        if not self.is_object_store:
            return (self.folder / name).read_bytes()
        filesystem, base = _filesystem(self.url, self.options)
        with filesystem.open_input_stream(f"{base}/{name}") as stream:
            return stream.read()


@cache
def _filesystem(url: str, options: tuple[tuple[str, str], ...]) -> tuple[pafs.FileSystem, str]:
    """pyarrow's file system for an object-store URL and the path of the URL inside it (one per process)."""
    parsed = urlparse(url)
    base = f"{parsed.netloc}{parsed.path}".rstrip("/")
    if parsed.scheme not in {"s3", "s3a"}:
        filesystem, _ = pafs.FileSystem.from_uri(url)  # Azure and Google Cloud: credentials from the environment
        return filesystem, base
    given = {name.upper().removeprefix("AWS_"): value for name, value in options}
    s3_options = {
        "endpoint_override": given.get("ENDPOINT_URL") or given.get("ENDPOINT"),
        "access_key": given.get("ACCESS_KEY_ID"),
        "secret_key": given.get("SECRET_ACCESS_KEY"),
        "session_token": given.get("SESSION_TOKEN"),
        "region": given.get("REGION") or given.get("DEFAULT_REGION"),
    }
    given_options = {key: value for key, value in s3_options.items() if value}
    # allow_delayed_open: a small file is sent as one PutObject, not a multipart upload (one request, and what
    # every S3-compatible store accepts; moto's server refused pyarrow's CompleteMultipartUpload).
    return pafs.S3FileSystem(allow_delayed_open=True, **given_options), base
