"""Rows written straight into their tables: COPY on PostgreSQL, one executemany elsewhere.

An import's second reading builds each row as a plain dict of column values (by attname)
and hands a batch of them here. On PostgreSQL they go in with COPY, which takes rows as
they are, with none of the per-value parameters and SQL text of an INSERT; on SQLite,
which has no COPY, with one prepared INSERT run over the batch. Both take the same rows,
so the test suite, which runs on both databases, runs the same code that builds them.

Primary keys are handed out before the rows are written (`reserve`), from the table's own
sequence on PostgreSQL, so that the rows that point at them (topics, history entries,
verdicts) are built in the same pass. A history entry is written as
simple-history's `bulk_history_create` writes one: the row's tracked fields, the user,
the time, type "+" and an empty change reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from operator import itemgetter

from django.db import connection as default_connection
from django.db import models

NOT_GIVEN = object()


class TableSink:
    """Write rows of Django models into their tables, bypassing the ORM's per-row work."""

    def __init__(self, connection=None):
        self.connection = connection or default_connection
        self.postgres = self.connection.vendor == "postgresql"
        self._fields: dict[type, tuple[list, dict]] = {}
        self._next: dict[str, int] = {}

    def reserve(self, model: type[models.Model], count: int) -> list[int]:
        """Return `count` new primary keys of `model`, taken from its sequence."""
        if count <= 0:
            return []
        table, column = model._meta.db_table, model._meta.pk.column
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [f'"{table}"', column, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the keys after the highest ever given (AUTOINCREMENT never reuses one),
            # in a transaction that holds the database's write lock once it has written.
            quoted = self.connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT MAX({self.connection.ops.quote_name(column)}) FROM {quoted}"
                " UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s",
                [table],
            )
            highest = max(
                [row[0] or 0 for row in cursor.fetchall()] + [self._next.get(table, 1) - 1]
            )
        self._next[table] = highest + 1 + count
        return list(range(highest + 1, highest + 1 + count))

    def fields(self, model: type[models.Model]) -> tuple[list, dict]:
        """Return the model's columns and the value each takes when a row leaves it out."""
        if model not in self._fields:
            fields = list(model._meta.concrete_fields)
            defaults = {}
            for field in fields:
                if field.primary_key:
                    continue
                if field.has_default() and callable(field.default):
                    continue  # must be given (a uuid, a time): a shared value would be wrong
                defaults[field.attname] = field.get_default()
            self._fields[model] = (fields, defaults)
        return self._fields[model]

    def write(self, model: type[models.Model], rows: list[dict]) -> None:
        """Insert rows given as {attname: value}; a column left out takes its default.

        A primary key the rows leave out is the database's to give.
        """
        if not rows:
            return
        fields, defaults = self.fields(model)
        if model._meta.pk.attname not in rows[0]:
            fields = [field for field in fields if not field.primary_key]
        names = [field.attname for field in fields]
        for name in names:
            if name not in defaults and name not in rows[0]:
                raise ValueError(f"{model.__name__}.{name} must be given")
        table = self.connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(self.connection.ops.quote_name(field.column) for field in fields)
        with self.connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                values = itemgetter(*names)
                # A row refused comes out as Django's error, as from any other query.
                with (
                    self.connection.wrap_database_errors,
                    raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(values({**defaults, **row}))
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                    [
                        [
                            field.get_db_prep_save(
                                row.get(field.attname, defaults.get(field.attname)),
                                self.connection,
                            )
                            for field in fields
                        ]
                        for row in rows
                    ],
                )

    def write_history(
        self,
        model: type[models.Model],
        rows: list[dict],
        *,
        user_id: int | None,
        at: datetime.datetime,
    ) -> list[int]:
        """Write the creation entry of each new row of `model`; return the entries' keys."""
        historical = model.history.model
        tracked = [field.attname for field in historical.tracked_fields]
        defaults = self.fields(model)[1]
        keys = self.reserve(historical, len(rows))
        self.write(
            historical,
            [
                {
                    "history_id": key,
                    "history_date": at,
                    "history_change_reason": "",
                    "history_type": "+",
                    "history_user_id": user_id,
                    **{name: row.get(name, defaults.get(name)) for name in tracked},
                }
                for key, row in zip(keys, rows, strict=True)
            ],
        )
        return keys


def keyed(keys: Iterable[int], rows: list[dict]) -> list[dict]:
    """Give each row its primary key `id`, in order."""
    for key, row in zip(keys, rows, strict=True):
        row["id"] = key
    return rows
