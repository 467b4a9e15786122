"""Writing a file so that a reader sees it whole or not at all.

The bytes go to a temporary file beside the target, are flushed to disk, and the temporary file is
renamed onto the target (`os.replace`, atomic on one file system). A process killed midway, or a
write that fails, leaves no partial file under the target's name: the temporary file is removed
and the error raised.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """`write(temporary)` fills a temporary file beside `target`, which is then flushed and renamed onto it.

    For writers that want a path of their own (DuckDB's `write_parquet`, `Path.write_text`). Any error of
    `write`, of the flush or of the rename leaves `target` as it was, removes the temporary file and is raised.
    """
    target = Path(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        write(temporary)
        with open(temporary, "rb") as file:  # flushes what `write` wrote, however it wrote it
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise
    return target


def write_bytes_atomically(target: Path, data: bytes) -> Path:
    """`data` as the whole content of `target`, written through a temporary file (see `write_atomically`)."""
    return write_atomically(target, lambda temporary: temporary.write_bytes(data))
