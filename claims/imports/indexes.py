"""Set a table's secondary indexes aside while a large load fills it, and build them after.

Keeping an index up to date row by row costs far more than building it once over the whole
table: a claim's key holds some two hundred one- and two-character pieces, each an entry
of its GIN index (claims/migrations/0016), and a search key's trigrams as many more. A
first load into an empty database, an archive of a million claims say, spent most of its
time in that upkeep.

On PostgreSQL, `indexes_set_aside` drops the tables' indexes that back no constraint (the
primary keys, unique constraints and the foreign keys' targets stay, so every constraint
is still checked row by row), lets the load run, then creates each index again from its
own definition, with the statistics targets its columns were given (a definition does not
carry them). In a transaction, DROP INDEX holds the table's strongest lock until commit:
readers of those tables wait for the load to finish. That is why an import sets indexes
aside only when it fills tables that hold less than it brings (`worth_setting_aside`).
If the load fails, the transaction's rollback brings the indexes back as they were.
Elsewhere (SQLite) nothing is set aside.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import models
from django.db.models import QuerySet

# The memory PostgreSQL may use to sort while it builds an index, for the rebuild only.
BUILD_MEMORY = "256MB"
# Below this many new claims, keeping the indexes up to date row by row costs less than
# building them again, and readers never wait.
SET_ASIDE_FROM = 20_000


@dataclass(frozen=True)
class SetAsideIndex:
    name: str
    table: str
    definition: str
    statistics: tuple[tuple[int, int], ...]  # (column number, target) set on the index


def worth_setting_aside(rows: QuerySet, *, adding: int) -> bool:
    """Whether a load of `adding` rows into the table of `rows` should set indexes aside.

    The table is counted, up to `adding` rows, only for a load large enough.
    """
    return adding >= SET_ASIDE_FROM and rows.order_by()[:adding].count() < adding


def secondary_indexes(tables: Iterable[str], *, connection=None) -> list[SetAsideIndex]:
    """Return the indexes of these tables that back no constraint, as they are defined."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.tablename, i.indexdef,
                   COALESCE((
                       SELECT array_agg(ARRAY[a.attnum::int, a.attstattarget::int]
                                        ORDER BY a.attnum)
                       FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND a.attstattarget >= 0
                   ), '{}')
            FROM pg_indexes i
            JOIN pg_namespace n ON n.nspname = i.schemaname
            JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = n.oid
            WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
            ORDER BY i.tablename, i.indexname
            """,
            [list(tables)],
        )
        return [
            SetAsideIndex(name, table, definition, tuple(tuple(pair) for pair in statistics))
            for name, table, definition, statistics in cursor.fetchall()
        ]


@contextmanager
def indexes_set_aside(
    model_classes: Iterable[type[models.Model]],
    *,
    connection=None,
    rebuild: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Iterator[list[SetAsideIndex]]:
    """Drop the models' tables' secondary indexes for the block, then build them again.

    Yields the indexes set aside ([] where nothing is). They are built again only when the
    block ends without an error, and not at all with `rebuild=False`, for a block whose
    transaction is to be rolled back (a dry run), which brings them back as they were.
    `progress`, if given, is told of each index built, with its time.
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        yield []
        return
    indexes = secondary_indexes(
        [model._meta.db_table for model in model_classes], connection=connection
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(f"DROP INDEX {quote(index.name)}")
    yield indexes
    if not rebuild:
        return
    with connection.cursor() as cursor:
        # An index cannot be built on a table with checks still pending: Django's foreign
        # keys are checked at commit. They are checked now, and deferred again after.
        started = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if progress:
            progress(f"foreign keys checked: {time.perf_counter() - started:.1f} s")
        cursor.execute("SELECT current_setting('maintenance_work_mem')")
        (memory,) = cursor.fetchone()
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [BUILD_MEMORY])
        try:
            for index in indexes:
                started = time.perf_counter()
                cursor.execute(index.definition)
                for column, target in index.statistics:
                    cursor.execute(
                        f"ALTER INDEX {quote(index.name)} ALTER COLUMN {column:d} "
                        f"SET STATISTICS {target:d}"
                    )
                if progress:
                    progress(f"index {index.name}: {time.perf_counter() - started:.1f} s")
        finally:
            cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [memory])
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
