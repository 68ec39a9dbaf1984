"""Reads that pages, exports and commands share: what to fetch for each view of the records.

Services write; selectors read. Each returns a queryset (or plain values) shaped for its
use, with the related rows it needs fetched in a constant number of queries.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet

from claims.candidates import Candidate, propose_candidates, sentence_hash
from claims.figures import is_length_of_time, parse_figures
from claims.models import (
    Assignment,
    CandidateDismissal,
    Claim,
    CrossReference,
    ReviewStatus,
    Verdict,
)
from core.pagination import Count as BoundedCount
from core.pagination import bounded_count
from sources.anchors import stands_at
from sources.models import Source

# The claim list's own order: newest article first, each article's claims in the order
# they stand in its text. The article's date is the claims' copy of it, so that one index on
# the claims table serves the order (the source's title no longer breaks ties between
# articles of one day, their ids do).
CLAIM_LIST_ORDER = (
    F("source_published_on").desc(nulls_last=True),
    # The column, not the relation: ordering by "source" would order by the source's own
    # Meta.ordering, across the join.
    "source_id",
    "quote_start",
    "pk",
)


def claim_list_queryset() -> QuerySet[Claim]:
    """Return claims as lists show them: with their source (not its text) and topics."""
    return (
        Claim.objects.select_related("source")
        .defer("search_key", "source__text", "source__search_key")
        .prefetch_related("topics")
        .order_by(*CLAIM_LIST_ORDER)
    )


def claim_detail_queryset() -> QuerySet[Claim]:
    """Return claims with what their page shows in full: topics and links both ways.

    Verdicts can run to hundreds on a much-reviewed claim; the page shows them a page at a
    time (verdicts_on).
    """
    return Claim.objects.select_related(
        "source", "created_by", "figure_confirmed_by", "published_by"
    ).prefetch_related(
        "topics",
        Prefetch("outgoing_references", queryset=_linked_claims("to_claim")),
        Prefetch("incoming_references", queryset=_linked_claims("from_claim")),
    )


def _linked_claims(end: str) -> QuerySet[CrossReference]:
    """Return a claim's cross-references with the claim at `end` and its source, without the
    articles' texts and search keys, which the page does not show of a linked claim."""
    return CrossReference.objects.select_related(f"{end}__source", "created_by").defer(
        "search_key", f"{end}__search_key", f"{end}__source__text", f"{end}__source__search_key"
    )


def claim_page_version(pk: int) -> str | None:
    """Return a digest of the versions of every row a live claim's page can show, on PostgreSQL.

    One query, whatever the number of verdicts and cross-references: the claim, its source,
    topics and the users it names; every cross-reference to or from it, retracted or not, with
    the other claim and its source; every verdict on it with its reviewer. A row's version is
    its `xmin` and `ctid`, which every UPDATE changes, and a row added or deleted changes the
    set, so the digest changes whenever anything the page shows does. The database function
    (migration claims 0025) keeps its plan for the connection. None when the claim is
    retracted or missing, or on a database without row versions (SQLite): the page then reads
    its rows and makes its key from them.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT hecha_claim_page_version(%s)", [pk])
        return cursor.fetchone()[0]


def source_page_version(pk: int) -> tuple[str, str] | None:
    """Return a digest of the versions of every row a live source's page shows, and its title.

    One query, on PostgreSQL: the source, every claim quoting it (retracted or not) and every
    sentence dismissed for it; the candidates the page proposes are worked out from these
    alone. Versions as in claim_page_version, by a database function too. None when the
    source is retracted or missing, or on a database without row versions (SQLite).
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, title FROM hecha_source_page_version(%s)", [pk])
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def verdicts_on(record: Claim | CrossReference) -> QuerySet[Verdict]:
    """Return the verdicts given on a claim or a cross-reference, newest first, with their
    reviewers."""
    return record.verdicts.select_related("reviewer").order_by("-created_at", "-pk")


def crossref_list_queryset() -> QuerySet[CrossReference]:
    """Return cross-references with both claims and their sources, grouped by relation.

    Without the sources' texts and the search keys, which no card shows: read for 25 pairs,
    they were a quarter of a megabyte and most of the board's query.
    """
    return (
        CrossReference.objects.select_related("from_claim__source", "to_claim__source")
        .defer(
            "search_key",
            *(
                f"{end}__{field}"
                for end in ("from_claim", "to_claim")
                for field in ("search_key", "source__text", "source__search_key")
            ),
        )
        .order_by("relation", "-created_at", "-pk")
    )


def source_list_queryset() -> QuerySet[Source]:
    """Return sources newest first (undated last), without their texts.

    Counting the claims of every source to sort a page would read every claim; the page's
    own sources get theirs from with_claim_counts.
    """
    return Source.objects.defer("text", "search_key").order_by(
        F("published_on").desc(nulls_last=True), "title", "pk"
    )


def with_claim_counts(sources: list[Source]) -> list[Source]:
    """Set `claim_count` on each of a page's sources, in one query over the claims' index."""
    counts = dict(
        Claim.objects.filter(source__in=sources)
        .order_by()
        .values_list("source")
        .annotate(count=Count("pk"))
        .values_list("source", "count")
    )
    for source in sources:
        source.claim_count = counts.get(source.pk, 0)
    return sources


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


def queue_counts(user) -> dict[str, BoundedCount]:
    """Return the sizes of a reviewer's queues: claims assigned to them, claims to re-check.

    Counted as lists count (core.pagination.bounded_count): up to COUNT_BOUND, "more than"
    beyond.
    """
    from claims.filters import NEEDS_RECHECK

    return {
        "assigned_count": bounded_count(
            Assignment.objects.filter(
                reviewer=user, done_at__isnull=True, claim__retracted_at__isnull=True
            )
        ),
        "recheck_count": bounded_count(Claim.objects.filter(NEEDS_RECHECK)),
    }


def overview_counts() -> dict:
    """Return how many sources, claims (by review status) and cross-references there are.

    As the lists count them (core.pagination.bounded_count): a large table by the database's
    estimate of its size, a status shared by a great many claims by the planner's estimate,
    and the rest exactly, up to COUNT_BOUND. Counting a million claims by status read every
    claim, half a second on each visit to the first page a reader sees.
    """
    return {
        "source_count": bounded_count(Source.objects.all(), filtered=False),
        "claim_count": bounded_count(Claim.objects.all(), filtered=False),
        "crossref_count": bounded_count(CrossReference.objects.all(), filtered=False),
        "statuses": [
            (
                status.value,
                status.label,
                bounded_count(
                    Claim.objects.filter(review_status=status.value), estimate_selection=True
                ),
            )
            for status in ReviewStatus
        ],
    }


def verdicts_given_by(reviewer) -> QuerySet[Verdict]:
    """Return a reviewer's verdicts, newest first, with what each judged and its source."""
    return (
        Verdict.objects.on_standing_records()
        .filter(reviewer=reviewer)
        .select_related(
            "claim__source",
            "crossref__from_claim__source",
            "crossref__to_claim__source",
        )
        # Without the search keys and the articles' texts, which no row shows: read for 25
        # verdicts on pairs, three articles each, they were most of the page's query.
        .defer(
            "search_key",
            "crossref__search_key",
            *(
                f"{claim}__{field}"
                for claim in ("claim", "crossref__from_claim", "crossref__to_claim")
                for field in ("search_key", "source__text", "source__search_key")
            ),
        )
        .order_by("-created_at", "-pk")
    )


def verdict_counts_of(reviewer) -> dict[str, int]:
    """Return how many verdicts of each kind a reviewer has given."""
    counts = dict(
        Verdict.objects.on_standing_records()
        .filter(reviewer=reviewer)
        .order_by()
        .values_list("verdict")
        .annotate(count=Count("pk"))
        .values_list("verdict", "count")
    )
    return {kind.value: counts.get(kind.value, 0) for kind in Verdict.Kind}


def open_candidates(
    source: Source, *, claims: list[Claim] | None = None, dismissed: set[str] | None = None
) -> list[Candidate]:
    """Return the sentences of a source proposed as claims that no one has acted on.

    Proposed afresh from the current text, less each sentence dismissed for this source and
    each that overlaps an anchored claim's quote (already made into a claim), so a corrected
    text brings up only its new sentences. A sentence part of which is quoted stays, with
    only its figures outside every quote, while it has some: 年增約62% is still to claim
    once 1,840億美元, before it in the sentence, is; a stretch of time does not keep it.
    `claims` are the source's claims when the caller has them (claims_marked_in), to save a
    query; `dismissed` the hashes of its dismissed sentences (dismissed_hashes), likewise.
    """
    quoted = quoted_spans(source, claims)
    if dismissed is None:
        dismissed = dismissed_hashes(source)
    found = []
    for candidate in propose_candidates(source.text, region=source.region):
        if sentence_hash(candidate.quote) in dismissed:
            continue
        overlapping = [(s, e) for s, e in quoted if s < candidate.end and candidate.start < e]
        if not overlapping:
            found.append(candidate)
            continue
        # A stretch of time left over (過去一年裡) is when the quoted figure held, not one
        # to claim by itself.
        unquoted = tuple(
            figure
            for figure in candidate.figures
            if not _within(figure.start, figure.end, overlapping) and not is_length_of_time(figure)
        )
        if unquoted:
            found.append(replace(candidate, figures=unquoted, partly_quoted=True))
    return found


def quoted_spans(source: Source, claims: list[Claim] | None = None) -> list[tuple[int, int]]:
    """Return where the anchored quotes of a source's claims stand in its text, (start, end);
    from `claims` when the caller has them."""
    if claims is None:
        claims = list(
            Claim.objects.filter(source=source).only("quote_start", "quote_end", "is_anchored")
        )
    return [(claim.quote_start, claim.quote_end) for claim in claims if claim.is_anchored]


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether text[start:end] lies inside one of the (start, end) `spans`."""
    return any(s <= start and end <= e for s, e in spans)


def open_figure_places(
    source: Source, *, quote: str, start: int | None
) -> set[tuple[int, int]] | None:
    """Return the places in `quote`, which stands at `start` in the source's text, of its
    figures outside every anchored quote: those to propose (claims.proposals.propose_figure).
    None where the quote does not stand there, and all its figures are to propose.
    """
    if start is None or not stands_at(source.text, quote, start):
        return None
    quoted = quoted_spans(source)
    return {
        (figure.start, figure.end)
        for figure in parse_figures(quote, region=source.region)
        if not _within(start + figure.start, start + figure.end, quoted)
    }


def dismissed_hashes(source: Source) -> set[str]:
    """Return the hashes of the sentences of a source dismissed as claims, one per sentence."""
    return set(
        CandidateDismissal.objects.filter(source_id=source.pk).values_list(
            "sentence_hash", flat=True
        )
    )


def values_starting_with(queryset: QuerySet, field: str, prefix: str, *, limit: int) -> list[str]:
    """Return up to `limit` distinct values of `field` that start with `prefix`, in order.

    A walk along the field's index, one probe per value (the next value above the last
    one), instead of SELECT DISTINCT over every row: the cost grows with `limit`, not with
    the table.
    """
    found: list[str] = []
    rows = queryset.order_by(field).values_list(field, flat=True)
    last = None
    while len(found) < limit:
        following = rows.filter(**{f"{field}__gt": last}) if last is not None else rows
        value = following.filter(**{f"{field}__gte": prefix}).exclude(**{field: ""}).first()
        if value is None or not value.startswith(prefix):
            break
        found.append(value)
        last = value
    return found
