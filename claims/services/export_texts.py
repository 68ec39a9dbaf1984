"""Writes of the texts the exports keep between runs, on PostgreSQL.

Writing a claim's record is most of an export's time at scale: the database spends some
30 µs a claim writing its fields, topics, verdicts and cross-references as JSON. These texts
change seldom, so they are kept (claims.models.ClaimExportText) and an export reads them
back instead (claims.exports_sql.ClaimLines). Triggers (migration claims 0030) empty a
claim's texts and raise their stamp in the transaction that changes any row they are
written from; `export_texts_refresh` writes the empty and missing ones again.

It writes a text only where its stamp is still the one it read with the rows the text is
written from, in the same statement: a change committed meanwhile raised the stamp (or made
the row, waiting for this one), so the text it made stale is not kept. This holds under READ
COMMITTED, which is why each batch runs in a transaction of its own, outside any export's
snapshot.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from claims.exports import ClaimExport, chunks
from claims.exports_sql import TEXTS_WRITTEN, claim_bodies_sql
from claims.models import Claim, ClaimExportText
from core.arrays import array_text

logger = logging.getLogger(__name__)

BATCH_SIZE = 2_000
# Connections writing texts at once, outside a caller's transaction.
WRITERS = 2

_KEEP = """
INSERT INTO {kept} AS kept (claim_id, stamp, body, spaced_body, annotations, entries)
SELECT fresh.id, coalesce(seen.stamp, 0), fresh.body, fresh.spaced_body, fresh.n, fresh.entries
FROM ({fresh}) AS fresh (id, body, spaced_body, n, entries)
LEFT JOIN {kept} seen ON seen.claim_id = fresh.id
ORDER BY fresh.id
ON CONFLICT (claim_id) DO UPDATE
SET body = EXCLUDED.body, spaced_body = EXCLUDED.spaced_body,
    annotations = EXCLUDED.annotations, entries = EXCLUDED.entries
WHERE kept.stamp = EXCLUDED.stamp
"""


def export_texts_refresh(*, claims: QuerySet[Claim], batch_size: int = BATCH_SIZE) -> int:
    """Write the export texts of `claims` not kept yet, or gone stale; return how many.

    Those kept and fresh are left as they are, so a second run right after writes nothing.
    Does nothing elsewhere than on PostgreSQL, where exports write every record afresh.
    """
    if connection.vendor != "postgresql":
        return 0
    sql = _KEEP.format(
        kept=connection.ops.quote_name(ClaimExportText._meta.db_table),
        fresh=claim_bodies_sql(),
    )
    fresh = ClaimExportText.objects.filter(claim_id=OuterRef("pk"), body__isnull=False)
    stale = claims.exclude(Exists(fresh)).order_by("pk").values_list("pk", flat=True)
    # Found in one pass, read through a cursor a batch at a time: looked for again after
    # each batch, from the last id on, PostgreSQL compared every claim with every kept text
    # each time, and a million claims took minutes. Each batch commits on its own.
    batches = chunks(stale.iterator(chunk_size=batch_size), batch_size)
    if connection.in_atomic_block:
        # The caller's transaction may hold rows no other connection sees.
        return sum(_keep(sql, batch) for batch in batches)
    return _kept_by_writers(sql, batches)


def _keep(sql: str, batch: list[int]) -> int:
    """Write the texts of one batch of claims, in a transaction of its own (a savepoint
    in a caller's)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"ids": array_text(batch)})
        return cursor.rowcount


def _kept_by_writers(sql: str, batches: Iterable[list[int]]) -> int:
    """Have WRITERS threads, each on a connection of its own, write the batches' texts.

    Writing a text is the database's work, some 30 µs a claim, and batches share no
    claim: on two cores, two connections wrote 683,252 claims' texts in 14.5 s where one
    took 22.2. The first failure stops the writing and is raised; batches written before
    it stay kept, as they would one after another.
    """
    waiting: queue.Queue[list[int] | None] = queue.Queue(maxsize=WRITERS)
    written = [0] * WRITERS
    failures: list[BaseException] = []

    def write(number: int) -> None:
        try:
            while (batch := waiting.get()) is not None:
                if not failures:  # after one, the rest are taken and left
                    try:
                        written[number] += _keep(sql, batch)
                    except BaseException as failure:
                        failures.append(failure)
        finally:
            connection.close()

    writers = [
        threading.Thread(target=write, args=(number,), name=f"export-texts-{number}")
        for number in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    try:
        for batch in batches:
            if failures:
                break
            waiting.put(batch)
    finally:
        for _ in writers:
            waiting.put(None)  # one end for each writer, which takes no more after it
        for writer in writers:
            writer.join()
    if failures:
        raise failures[0]
    return sum(written)


@dataclass(frozen=True)
class TextsKept:
    """What keeping an export's texts after it came to."""

    written: int
    # Why none could be kept, for the user; empty when they were.
    warning: str = ""


def export_texts_keep_written(*, export: ClaimExport) -> TextsKept:
    """After a JSON or JSON Lines `export`, keep the texts it found missing or stale and
    wrote afresh, for the next export to read; say how many were written.

    The export writes those itself, so its output is whole either way. Kept after it
    rather than looked for before, the texts cost a second writing the first time (a
    first export after an upgrade, say) and nothing after: looking for them before every
    export took 0.4 s at a million claims, almost always to find none.

    The export is done by then, so a database failing here does not make it fail, wherever
    it ran (the command, a background job, a download): the failure is logged, and told in
    `warning` for the caller that can show it. The next export writes the texts again.
    """
    if not export.counts[TEXTS_WRITTEN]:
        return TextsKept(written=0)
    try:
        return TextsKept(written=export_texts_refresh(claims=export.queryset))
    except DatabaseError as error:
        reason = str(error).strip() or type(error).__name__
        logger.warning(
            "Export texts not kept after an export (%s); the next export writes them.", reason
        )
        return TextsKept(
            written=0,
            warning=_(
                "The export is whole, but the texts it wrote could not be kept for the next "
                "one (%(error)s); the next export writes them again."
            )
            % {"error": reason},
        )
