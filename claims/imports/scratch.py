"""What an import remembers of a document between its records, on disk rather than in memory.

Both readings need things read long before: every source's text, plan and key, each
cross-reference as first listed (to compare with its other listing), the claims named at a
cross-reference's other end, the cross-references saved and those waiting for a claim
further on. Held in Python, they grow with the document, some 50 MB per 100,000 claims.
Here they lie in a temporary SQLite database (Python's own sqlite3, not the project's
database: no round trip to a server, nothing in its transaction), deleted when the import
ends; each lookup goes through a primary key.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from claims.imports.report import ImportFailure

# Rows read back at a time by `rows`.
READ_BATCH = 2_000


class Scratch:
    """A private temporary SQLite database, deleted when it is closed."""

    def __init__(self):
        # An empty file name gives a private temporary database, kept on disk, not in memory.
        self.db = sqlite3.connect("")
        # Nothing here outlives the import: no journal to keep, no need to wait for the disk.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")

    def execute(self, sql: str, parameters: Iterable = ()) -> sqlite3.Cursor:
        with _kept_or_refused():
            return self.db.execute(sql, tuple(parameters))

    def executemany(self, sql: str, rows: Iterable[Iterable]) -> None:
        with _kept_or_refused():
            self.db.executemany(sql, rows)

    def one(self, sql: str, parameters: Iterable = ()) -> tuple | None:
        return self.execute(sql, parameters).fetchone()

    def rows(self, sql: str, parameters: Iterable = ()) -> Iterator[tuple]:
        """Yield the rows of a query a batch at a time, so that none is held whole."""
        cursor = self.execute(sql, parameters)
        while batch := cursor.fetchmany(READ_BATCH):
            yield from batch

    def close(self) -> None:
        self.db.close()


@contextmanager
def _kept_or_refused() -> Iterator[None]:
    """Turn a failure to write the scratch file into the import's refusal, with what to do."""
    try:
        yield
    except sqlite3.Error as error:  # a full disk, most likely
        raise ImportFailure(
            [
                f"What the import keeps between its readings could not be written to a "
                f"temporary file ({error}); make room in the temporary folder (TMPDIR) "
                "and try again."
            ]
        ) from None


def packed(value: Any) -> bytes:
    """Return a Python value (dates, tuples and dicts included) as bytes to keep."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpacked(data: bytes) -> Any:
    """Return the value `packed` kept. Only ever bytes this import wrote itself."""
    return pickle.loads(data)  # noqa: S301  (written by this process, never read from outside)
