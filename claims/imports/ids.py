"""The public ids of a document's claims, kept in a temporary table rather than in memory.

The first reading must refuse a claim whose id an earlier claim of the document has, and
both readings must tell a claim the document holds from one only named by a
cross-reference. A set of a million ids would hold some 100 MB of Python objects; a
temporary table, which the database drops with the session if not before, holds them on
disk, and a duplicate is found with one query at the end. Ids are added a batch at a time,
with COPY on PostgreSQL (claims.imports.sink).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from django.db import DatabaseError
from django.db import connection as default_connection
from django.db.transaction import TransactionManagementError

from claims.exports import chunks

# Ids written to the table at a time.
FLUSH_EVERY = 5_000
LOOKUP_BATCH = 500


class ClaimIds:
    """Every claim id of a document with where it stands: position and (JSON Lines) line."""

    def __init__(self, connection=None):
        self.connection = connection or default_connection
        self.table = f"hecha_import_ids_{uuid.uuid4().hex[:16]}"
        self.pending: list[tuple[str, int, int | None]] = []
        self.count = 0
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} "
                "(public_id char(36) NOT NULL, position integer NOT NULL, line integer NULL)"
            )

    def add(self, public_id: str, position: int, line: int | None) -> None:
        self.pending.append((public_id, position, line))
        self.count += 1
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {self.table} (public_id, position, line) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.table} (public_id, position, line) VALUES (%s, %s, %s)",
                    rows,
                )

    def finish(self) -> None:
        """Write what is pending and index the table, once every id is in."""
        self.flush()
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {self.table}_id ON {self.table} (public_id, position)")
            if self.connection.vendor == "postgresql":
                # No one measures a temporary table but its session. Unmeasured, it was
                # guessed to hold thousands of rows for each id, and each lookup of 500 ids
                # read all of a million-claim document's: 170 ms, 30 s in all.
                cursor.execute(f"ANALYZE {self.table}")

    def duplicates(self) -> Iterator[tuple[int, int | None, str, int]]:
        """Yield (position, line, id, position of its first claim) for each claim whose id
        an earlier claim has, in the document's order."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT later.position, later.line, later.public_id, first.position
                FROM {self.table} later
                JOIN (
                    SELECT public_id, MIN(position) AS position FROM {self.table}
                    GROUP BY public_id HAVING COUNT(*) > 1
                ) first ON first.public_id = later.public_id AND later.position > first.position
                ORDER BY later.position
                """
            )
            while rows := cursor.fetchmany(LOOKUP_BATCH):
                yield from rows

    def positions(self, public_ids: Iterable[str]) -> dict[str, int]:
        """Return where each of these ids first stands in the document; others are left out."""
        found = {}
        with self.connection.cursor() as cursor:
            for chunk in chunks(list(public_ids), LOOKUP_BATCH):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT public_id, MIN(position) FROM {self.table} "
                    f"WHERE public_id IN ({marks}) GROUP BY public_id",
                    chunk,
                )
                found.update(cursor.fetchall())
        return found

    def close(self) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        except (DatabaseError, TransactionManagementError):
            pass  # a failed transaction: the table goes with it, or with the session
