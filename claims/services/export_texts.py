"""Writes of the texts the JSON Lines export keeps between runs, on PostgreSQL.

Writing a claim's record is most of an export's time at scale: the database spends some
30 µs a claim writing its fields, topics, verdicts and cross-references as JSON. The texts
that change seldom are kept (claims.models.ClaimExportText, CrossReferenceExportText) and an
export reads them back instead (claims.exports_sql.ClaimLines). Triggers (migration claims
0030) empty a text and raise its stamp in the transaction that changes any row it is written
from; `export_texts_refresh` writes the empty and missing ones again.

It writes a text only where its stamp is still the one it read with the rows the text is
written from, in the same statement: a change committed meanwhile raised the stamp (or made
the row, waiting for this one), so the text it made stale is not kept. This holds under READ
COMMITTED, which is why each batch runs in a transaction of its own, outside any export's
snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet

from claims.exports_sql import COMPACT, array_text, claim_bodies_sql, crossref_entry_texts_sql
from claims.models import Claim, ClaimExportText, CrossReference, CrossReferenceExportText

BATCH_SIZE = 2_000

_KEEP_BODIES = """
INSERT INTO {kept} AS kept (claim_id, stamp, body, annotations)
SELECT fresh.id, coalesce(seen.stamp, 0), fresh.body, fresh.n
FROM ({fresh}) AS fresh (id, body, n)
LEFT JOIN {kept} seen ON seen.claim_id = fresh.id
ORDER BY fresh.id
ON CONFLICT (claim_id) DO UPDATE SET body = EXCLUDED.body, annotations = EXCLUDED.annotations
WHERE kept.stamp = EXCLUDED.stamp
"""

_KEEP_ENTRIES = """
INSERT INTO {kept} AS kept (crossref_id, stamp, outgoing, incoming, annotations)
SELECT fresh.id, coalesce(seen.stamp, 0), fresh.outgoing, fresh.incoming, fresh.n
FROM ({fresh}) AS fresh (id, outgoing, incoming, n)
LEFT JOIN {kept} seen ON seen.crossref_id = fresh.id
ORDER BY fresh.id
ON CONFLICT (crossref_id) DO UPDATE
SET outgoing = EXCLUDED.outgoing, incoming = EXCLUDED.incoming, annotations = EXCLUDED.annotations
WHERE kept.stamp = EXCLUDED.stamp
"""


@dataclass(frozen=True)
class ExportTextsRefreshed:
    """How many texts a refresh wrote: claims' bodies and cross-references' entries."""

    claims: int = 0
    cross_references: int = 0


def export_texts_refresh(
    *, claims: QuerySet[Claim], batch_size: int = BATCH_SIZE
) -> ExportTextsRefreshed:
    """Write the export texts of `claims`, and of every live cross-reference, not kept yet.

    Those kept and fresh are left as they are, so a second run right after writes nothing.
    Does nothing elsewhere than on PostgreSQL, where exports write every record afresh.
    """
    if connection.vendor != "postgresql":
        return ExportTextsRefreshed()
    quote = connection.ops.quote_name
    bodies = _KEEP_BODIES.format(
        kept=quote(ClaimExportText._meta.db_table), fresh=claim_bodies_sql(COMPACT)
    )
    entries = _KEEP_ENTRIES.format(
        kept=quote(CrossReferenceExportText._meta.db_table),
        fresh=crossref_entry_texts_sql(COMPACT),
    )
    fresh_body = ClaimExportText.objects.filter(claim_id=OuterRef("pk"), body__isnull=False)
    fresh_entries = CrossReferenceExportText.objects.filter(
        crossref_id=OuterRef("pk"), outgoing__isnull=False
    )
    written_claims = _write(
        claims.order_by().exclude(Exists(fresh_body)), bodies, batch_size=batch_size
    )
    written_refs = _write(
        CrossReference.objects.exclude(Exists(fresh_entries)), entries, batch_size=batch_size
    )
    return ExportTextsRefreshed(claims=written_claims, cross_references=written_refs)


def _write(stale: QuerySet, sql: str, *, batch_size: int) -> int:
    """Run `sql` on the ids of `stale`, a batch at a time, each batch in its own transaction."""
    written, last = 0, 0
    while True:
        ids = list(
            stale.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return written
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {"ids": array_text(ids)})
            written += cursor.rowcount
        last = ids[-1]
