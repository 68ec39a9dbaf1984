"""Files written whole or not at all."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

# Errors that mean the disk (or the user's share of it) has no room left.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


def write_atomically(path: Path, chunks: Iterable[str | bytes], *, encoding: str = "utf-8") -> None:
    """Write the `chunks` to `path`, which appears only once all of them are on disk.

    Text is written in `encoding`, bytes as they are.

    They go to a hidden file beside `path`, on the same file system so that the rename at
    the end is atomic, and are flushed to disk before it: a reader, or a crash, sees the
    old file or the whole new one, never a part. On any error, a full disk included, the
    hidden file is removed and the error raised; `path` is left as it was.
    """
    path = Path(path)
    # A name of its own per write, so that two exports to the same file cannot mix.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        # "x": never open a file someone else made; the mode follows the umask, as the
        # target's would.
        with partial.open("xb") as file:
            for chunk in chunks:
                file.write(chunk if isinstance(chunk, bytes) else chunk.encode(encoding))
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def is_disk_full(error: OSError) -> bool:
    """Return whether `error` says the disk, or the user's quota on it, is full."""
    return error.errno in NO_SPACE
