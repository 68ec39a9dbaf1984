"""Set a table's secondary indexes and foreign keys aside while a large load fills it, and
build them after.

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

Foreign keys likewise. Django declares them deferred: PostgreSQL remembers a check for
every row written until the commit, some 0.16 KB of the session's memory a claim with
its verdicts, links and history (some 180 MB for a million claims' archive), and then looks
each row's key up alone. The keys between
two of the tables loaded (a verdict's claim, a claim's source) are dropped with the
indexes and added again after, each checked by one query over the whole table. Those to
tables the load does not fill (a verdict's reviewer, a link's topic) stay, for dropping
one would lock its table, the accounts' say, until the load ends: they are checked as
each row is written instead, a lookup in a small table, and nothing piles up. Checked so
row by row, the keys between the loaded tables grew slower as those tables grew.
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


@dataclass(frozen=True)
class SetAsideForeignKey:
    name: str
    table: str
    definition: str  # as pg_get_constraintdef gives it


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


def foreign_keys(
    tables: Iterable[str], *, connection=None
) -> tuple[list[SetAsideForeignKey], list[str]]:
    """Return the foreign keys of these tables: those to one of them, as they are defined,
    and the names of those to other tables."""
    connection = connection or default_connection
    tables = list(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT k.conname, t.relname, pg_get_constraintdef(k.oid), r.relname = ANY(%s)
            FROM pg_constraint k
            JOIN pg_class t ON t.oid = k.conrelid
            JOIN pg_class r ON r.oid = k.confrelid
            WHERE k.contype = 'f' AND t.relname = ANY(%s)
              AND t.relnamespace = current_schema()::regnamespace
            ORDER BY t.relname, k.conname
            """,
            [tables, tables],
        )
        among, others = [], []
        for name, table, definition, between in cursor.fetchall():
            if between:
                among.append(SetAsideForeignKey(name, table, definition))
            else:
                others.append(name)
        return among, others


@contextmanager
def indexes_set_aside(
    model_classes: Iterable[type[models.Model]],
    *,
    connection=None,
    rebuild: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Iterator[list[SetAsideIndex]]:
    """Drop the models' tables' secondary indexes and the foreign keys between them for the
    block, then build them again; check the other foreign keys row by row meanwhile.

    Yields the indexes set aside ([] where nothing is). They and the keys are made again
    only when the block ends without an error, and not at all with `rebuild=False`, for a
    block whose transaction is to be rolled back (a dry run), which brings them back as
    they were. `progress`, if given, is told of the keys' checks and of each index built,
    with their times.
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        yield []
        return
    tables = [model._meta.db_table for model in model_classes]
    indexes = secondary_indexes(tables, connection=connection)
    keys, checked_at_once = foreign_keys(tables, connection=connection)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A table cannot be altered with checks of its rows still pending: those of what
        # the transaction wrote before (a new topic, say) are made now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for key in keys:
            cursor.execute(f"ALTER TABLE {quote(key.table)} DROP CONSTRAINT {quote(key.name)}")
        for index in indexes:
            cursor.execute(f"DROP INDEX {quote(index.name)}")
        if checked_at_once:
            names = ", ".join(quote(name) for name in checked_at_once)
            cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
    yield indexes
    if not rebuild:
        return
    with connection.cursor() as cursor:
        # An index cannot be built on a table with checks still pending: any left by the
        # block's own writes are made now, and the keys between the tables added again,
        # each checked by one query; later writes are checked at commit, as before.
        started = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for key in keys:
            cursor.execute(
                f"ALTER TABLE {quote(key.table)} ADD CONSTRAINT {quote(key.name)} {key.definition}"
            )
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
