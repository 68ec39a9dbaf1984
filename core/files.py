"""Files written whole or not at all."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

# Errors that mean the disk (or the user's share of it) has no room left.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
# How much is written before the system is asked to start writing it to disk.
WRITE_OUT_EVERY = 64 * 1024 * 1024


def write_atomically(path: Path, chunks: Iterable[str | bytes], *, encoding: str = "utf-8") -> None:
    """Write the `chunks` to `path`, which appears only once all of them are on disk.

    Text is written in `encoding`, bytes as they are.

    They go to a hidden file beside `path`, on the same file system so that the rename at
    the end is atomic, and are flushed to disk before it: a reader, or a crash, sees the
    old file or the whole new one, never a part. On any error, a full disk included, the
    hidden file is removed and the error raised; `path` is left as it was. A device or a
    pipe is written into directly.
    """
    path = Path(path)
    if path.is_char_device() or path.is_fifo():
        # /dev/null, /dev/stdout or a pipe another program reads: written into as they are.
        # A file renamed over one would replace it (/dev/null itself, for root).
        with path.open("wb") as file:
            for chunk in chunks:
                file.write(chunk if isinstance(chunk, bytes) else chunk.encode(encoding))
        return
    # A name of its own per write, so that two exports to the same file cannot mix.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        # "x": never open a file someone else made; the mode follows the umask, as the
        # target's would.
        with partial.open("xb") as file:
            written = started = 0
            for chunk in chunks:
                written += file.write(chunk if isinstance(chunk, bytes) else chunk.encode(encoding))
                if written - started >= WRITE_OUT_EVERY:
                    _start_writing_out(file, started, written)
                    started = written
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _start_writing_out(file, start: int, end: int) -> None:
    """Have the system start writing bytes `start` to `end` of `file` to disk, unwaited.

    Left to the final fsync, a gigabyte's export waited a third of a second more for the
    disk after its last byte. Where the system has no posix_fadvise, the fsync writes all.
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        file.flush()
        # On Linux, "not needed" starts the pages' writing out and drops none still unwritten.
        advise(file.fileno(), start, end - start, os.POSIX_FADV_DONTNEED)


def is_disk_full(error: OSError) -> bool:
    """Return whether `error` says the disk, or the user's quota on it, is full."""
    return error.errno in NO_SPACE
