"""Reads that pages, exports and commands share: what to fetch for each view of the records.

Services write; selectors read. Each returns a queryset (or plain values) shaped for its
use, with the related rows it needs fetched in a constant number of queries.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from claims.models import Claim, CrossReference, ReviewStatus, Verdict
from sources.models import Source


def claim_list_queryset() -> QuerySet[Claim]:
    """Return claims as lists show them: with their source and topics."""
    return Claim.objects.select_related("source").prefetch_related("topics")


def claim_detail_queryset() -> QuerySet[Claim]:
    """Return claims with everything their page shows: links both ways and every verdict."""
    return Claim.objects.select_related("source", "created_by", "published_by").prefetch_related(
        "topics",
        Prefetch(
            "outgoing_references",
            queryset=CrossReference.objects.select_related("to_claim__source", "created_by"),
        ),
        Prefetch(
            "incoming_references",
            queryset=CrossReference.objects.select_related("from_claim__source", "created_by"),
        ),
        Prefetch(
            "verdicts",
            queryset=Verdict.objects.select_related("reviewer").order_by("-created_at", "-pk"),
        ),
    )


def crossref_list_queryset() -> QuerySet[CrossReference]:
    """Return cross-references with both claims and their sources, grouped by relation."""
    return CrossReference.objects.select_related("from_claim__source", "to_claim__source").order_by(
        "relation", "-created_at", "-pk"
    )


def source_list_queryset() -> QuerySet[Source]:
    """Return sources newest first, each with how many claims it makes."""
    return Source.objects.annotate(claim_count=Count("claims")).order_by("-published_on", "title")


def claims_marked_in(source: Source) -> list[Claim]:
    """Return the claims quoted from a source, in text order, with what its page marks."""
    return list(
        Claim.objects.filter(source=source)
        .order_by("quote_start", "pk")
        .only(
            "pk",
            "quote",
            "quote_start",
            "quote_end",
            "is_anchored",
            "figure_text",
            "unit",
            "review_status",
            "source_id",
        )
    )


def overview_counts() -> dict:
    """Return how many sources, claims (by review status) and cross-references there are."""
    counts = dict(
        Claim.objects.order_by()
        .values_list("review_status")
        .annotate(count=Count("pk"))
        .values_list("review_status", "count")
    )
    return {
        "source_count": Source.objects.count(),
        "claim_count": sum(counts.values()),
        "crossref_count": CrossReference.objects.count(),
        "statuses": [
            (status.value, status.label, counts.get(status.value, 0)) for status in ReviewStatus
        ],
    }
