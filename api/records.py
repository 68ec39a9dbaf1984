"""The API's records: the export's own, so a claim reads the same in a file and over HTTP.

Claims and sources are written by the export's builders in `claims.exports`; this module
is the one place the API reaches into them, and it uses only the export's public face
(`ClaimExport`, `source_record`, `datetime_text`). Cross-references and verdicts, which
the export writes only inside claims, are listed here on their own, in the same terms.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from claims.exports import ClaimExport, datetime_text, source_record
from claims.models import Claim, CrossReference, Verdict
from sources.models import Source

# Keys of the export's claim record that a list leaves to the claim's own record.
LINK_KEYS = ("annotations", "cross_references")


def retracted_claim_record(claim: Claim) -> dict:
    """Return what the changes feed says of a retracted claim: only that it is gone, and when."""
    return {
        "id": str(claim.public_id),
        "retracted": True,
        "updated_at": datetime_text(claim.updated_at),
    }


def claim_change_records(claims: Sequence[Claim]) -> list[dict]:
    """Return the changes feed's record of each claim: in full, or retracted."""
    standing = {
        record["id"]: record
        for record in claim_records([c for c in claims if c.retracted_at is None], links=True)
    }
    for record in standing.values():
        record["retracted"] = False
    return [standing.get(str(c.public_id)) or retracted_claim_record(c) for c in claims]


def claim_records(claims: Sequence[Claim], *, links: bool) -> list[dict]:
    """Return the export's record of each claim, in the order given, with when it changed.

    With `links`, each record holds every verdict on the claim and every cross-reference
    to or from it; without, it ends at the tally, as lists show claims.
    """
    if not claims:
        return []
    pks = [claim.pk for claim in claims]
    selection = Claim.objects.filter(pk__in=pks)
    if links:
        # The export writes a cross-reference only between two claims of its document, so
        # the document holds the claims at the other end too; their records are dropped.
        # Their ids are read first: as IN subqueries OR'd together, the database read every
        # claim to find them (0.6 s a page of the changes feed at a million claims).
        linked = CrossReference.objects.filter(Q(from_claim__in=pks) | Q(to_claim__in=pks))
        ends = {end for pair in linked.values_list("from_claim", "to_claim") for end in pair}
        selection = Claim.objects.filter(pk__in=ends.union(pks))
    wanted = {str(claim.public_id): claim for claim in claims}
    records = {}
    for record in ClaimExport(selection).claims():
        claim = wanted.get(record["id"])
        if claim is None:
            continue
        if not links:
            for key in LINK_KEYS:
                del record[key]
        record["updated_at"] = datetime_text(claim.updated_at)
        records[record["id"]] = record
    return [records[str(claim.public_id)] for claim in claims]


def source_records(sources: Sequence[Source], *, text: bool) -> list[dict]:
    """Return the export's record of each source; without `text`, the article text is left out.

    Without text the sources may come with their text deferred: it is neither read nor sent.
    """
    records = []
    for source in sources:
        if not text:
            source.text = ""  # stands in for the deferred text, which is then not loaded
        record = source_record(source)
        if not text:
            del record["text"]
        records.append(record)
    return records


def tally(target) -> dict[str, int]:
    return {
        "agree": target.agree_count,
        "dispute": target.dispute_count,
        "needs_context": target.needs_context_count,
    }


def crossref_item(crossref: CrossReference) -> dict:
    """Return a cross-reference with both its claims' ids; from a queryset of api_crossrefs()."""
    return {
        "id": crossref.pk,
        "from_claim": str(crossref.from_public_id),
        "to_claim": str(crossref.to_public_id),
        "relation": crossref.relation,
        "note": crossref.note,
        "status": crossref.review_status,
        "tally": tally(crossref),
        "created_at": datetime_text(crossref.created_at),
    }


def verdict_item(verdict: Verdict) -> dict:
    """Return a verdict as the export writes one, with what it judges; from api_verdicts()."""
    return {
        "id": verdict.pk,
        "claim": str(verdict.claim_public_id) if verdict.claim_public_id else None,
        "crossref": verdict.crossref_id,
        "reviewer": verdict.reviewer_username,
        "verdict": verdict.verdict,
        "note": verdict.note,
        "at": datetime_text(verdict.created_at),
    }
