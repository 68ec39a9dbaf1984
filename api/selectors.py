"""The querysets the API pages through: only the columns its records need."""

from django.db.models import F, QuerySet

from claims.models import Claim, CrossReference, Verdict
from sources.models import Source


def api_claims() -> QuerySet[Claim]:
    """Return claims in the order they were recorded, by id, unless a `sort` says otherwise.

    The primary key's own index serves it at any depth and under any filter, and a walk
    through the pages sees a claim added meanwhile at its end. Ordering by the source's
    date and title, as the API first did, sorted a join over every claim for each page.
    Only what finds each claim's record is read here; the records themselves are built by
    the export (api.records.claim_records).
    """
    return Claim.objects.only("pk", "public_id", "updated_at").order_by("pk")


def api_claim_changes() -> QuerySet[Claim]:
    """Return claims in the order of the changes feed: by when they last changed, then id.

    Retracted claims too: a system kept in sync learns from the feed to remove them.
    """
    return Claim.all_objects.only("pk", "public_id", "updated_at", "retracted_at").order_by(
        "updated_at", "pk"
    )


def api_sources(*, text: bool) -> QuerySet[Source]:
    """Return sources newest first; without `text`, the article text is not read."""
    sources = Source.objects.order_by(F("published_on").desc(nulls_last=True), "title", "pk")
    return sources if text else sources.defer("text")


def api_crossrefs() -> QuerySet[CrossReference]:
    """Return cross-references newest first, with the public ids of both claims."""
    return CrossReference.objects.annotate(
        from_public_id=F("from_claim__public_id"), to_public_id=F("to_claim__public_id")
    ).order_by("-created_at", "-pk")


def api_verdicts() -> QuerySet[Verdict]:
    """Return verdicts newest first, with the public id of their claim and the reviewer's name."""
    return (
        Verdict.objects.on_standing_records()
        .annotate(claim_public_id=F("claim__public_id"), reviewer_username=F("reviewer__username"))
        .order_by("-created_at", "-pk")
    )
