"""The public JSON shape of reviewed claims, version 1.0 (schema/claims-export.schema.json).

A document carries each source once, full text included, and the claims that refer to it by
key, so that importing it into an empty database rebuilds everything it names. Claims are
read in chunks, so an export runs in bounded memory however many claims it holds.

Everything is written in one canonical form (fixed key order, decimals without exponent or
trailing zeros, times in UTC, a fixed order of records) so that export, import and export
again give the same bytes apart from `exported_at`.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Collate
from django.utils import timezone

from claims.interchange import claim_record, crossref_record, datetime_text, source_record
from claims.models import Claim, CrossReference, Topic, Verdict
from sources.models import Source

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = settings.BASE_DIR / "schema" / "claims-export.schema.json"
CHUNK_SIZE = 500
FORMATS = ("json", "jsonl", "claimreview")
MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "claimreview": "application/ld+json; charset=utf-8",
}
FILE_EXTENSIONS = {"json": "json", "jsonl": "jsonl", "claimreview": "jsonld"}

# ClaimReview's rating of each review status: a value on a scale from WORST_RATING (the
# reviewers dispute the claim) to BEST_RATING (they agree it is accurate), and a name in
# English, as fact-check aggregators expect them. A claim that needs context sits between.
# The README's ClaimReview section documents this table.
BEST_RATING, WORST_RATING = 5, 1
RATINGS = {
    "agreed": (5, "Agreed"),
    "needs_context": (3, "Needs context"),
    "disputed": (1, "Disputed"),
}
RATING_NAMES = {status: name for status, (_value, name) in RATINGS.items()}
SCRIPT_LANGUAGES = {"hant": "zh-Hant", "hans": "zh-Hans", "mixed": "zh"}


def dumps(record) -> str:
    """Return a record as compact JSON with Chinese text as text, not \\u escapes."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def filters_used(filterset) -> dict[str, str]:
    """Return the valid, non-empty parameters of a bound ClaimFilterSet as given.

    They are the claim list's own query string, so the same selection can be asked for again.
    `sort` is left out: an export always comes in its canonical order.
    """
    used = {}
    for name in filterset.form.fields:
        if name == "sort":
            continue
        value = filterset.data.get(name)
        if value not in (None, ""):
            used[name] = str(value)
    return used


def _bytewise(field: str):
    # Keys sort by their bytes on both databases, so that an export's order does not hang on
    # PostgreSQL's locale (which, for one, ignores hyphens) and survives a move between them.
    if connection.vendor == "postgresql":
        return Collate(F(field), "C")
    return F(field)


@contextmanager
def _snapshot():
    # Sources are written before the claims that refer to them; one transaction (repeatable
    # read on PostgreSQL) keeps a verdict given meanwhile from adding a claim whose source
    # was not written.
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    """Yield lists of `size` items (the last one shorter) from any iterable, lazily."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ClaimExport:
    """One export of the claims a queryset selects, read in chunks.

    `queryset` is the selection, usually ClaimFilterSet(...).qs over Claim.objects.reviewed();
    `filters` are the parameters that made it, recorded in the document. The counts fill in
    as the records are written, which is why they close the document.
    """

    def __init__(self, queryset: QuerySet, *, filters: dict[str, str] | None = None):
        self.queryset = queryset.order_by()
        self.filters = dict(filters or {})
        self.exported_at = timezone.now()
        self.counts = Counter(sources=0, claims=0, annotations=0, cross_references=0)

    # Records

    def header(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "exported_at": datetime_text(self.exported_at),
            "filters": self.filters,
        }

    def counts_record(self) -> dict:
        return {
            name: self.counts[name]
            for name in ("sources", "claims", "annotations", "cross_references")
        }

    def sources(self) -> Iterator[dict]:
        """Yield the sources of the selected claims, each once, in key order."""
        sources = Source.objects.filter(pk__in=self.queryset.values("source_id")).order_by(
            _bytewise("key")
        )
        # Source texts can be long: a small chunk keeps them from piling up.
        for source in sources.iterator(chunk_size=50):
            self.counts["sources"] += 1
            yield source_record(source)

    def _ordered_claims(self) -> QuerySet:
        return (
            Claim.objects.filter(pk__in=self.queryset.values("pk"))
            .annotate(source_key=F("source__key"))
            .order_by(_bytewise("source__key"), "quote_start", "public_id")
        )

    def _claim_batches(self, queryset: QuerySet) -> Iterator[list[Claim]]:
        # Prefetched into plain lists (to_attr): a related manager per claim would cost more
        # than the queries themselves.
        verdicts = Verdict.objects.select_related("reviewer")
        crossrefs = CrossReference.objects.prefetch_related(
            Prefetch("verdicts", queryset=verdicts, to_attr="verdict_list")
        )
        for batch in chunks(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
            prefetch_related_objects(
                batch,
                Prefetch("topics", queryset=Topic.objects.only("slug"), to_attr="topic_list"),
                Prefetch("verdicts", queryset=verdicts, to_attr="verdict_list"),
                Prefetch(
                    "outgoing_references",
                    queryset=crossrefs.annotate(other_id=F("to_claim__public_id")),
                    to_attr="outgoing",
                ),
                Prefetch(
                    "incoming_references",
                    queryset=crossrefs.annotate(other_id=F("from_claim__public_id")),
                    to_attr="incoming",
                ),
            )
            yield batch

    def _selected_among(self, pks: set[int]) -> set[int]:
        selected = set()
        for chunk in chunks(sorted(pks), CHUNK_SIZE):
            selected.update(self.queryset.filter(pk__in=chunk).values_list("pk", flat=True))
        return selected

    def claims(self) -> Iterator[dict]:
        """Yield the selected claims in order: source key, anchor start, public id."""
        for batch in self._claim_batches(self._ordered_claims()):
            others = {ref.to_claim_id for claim in batch for ref in claim.outgoing}
            others |= {ref.from_claim_id for claim in batch for ref in claim.incoming}
            selected = self._selected_among(others)
            for claim in batch:
                yield self._claim_record(claim, selected)

    def _claim_record(self, claim: Claim, selected: set[int]) -> dict:
        self.counts["claims"] += 1
        self.counts["annotations"] += len(claim.verdict_list)
        # Only references between claims of this document: an import could not rebuild a
        # reference to a claim it does not carry.
        entries = []
        for ref in claim.outgoing:
            if ref.to_claim_id in selected:
                # Each reference is counted once, at its origin.
                self.counts["cross_references"] += 1
                self.counts["annotations"] += len(ref.verdict_list)
                entries.append(
                    crossref_record(
                        ref, direction="outgoing", other_id=ref.other_id, verdicts=ref.verdict_list
                    )
                )
        for ref in claim.incoming:
            if ref.from_claim_id in selected:
                entries.append(
                    crossref_record(
                        ref, direction="incoming", other_id=ref.other_id, verdicts=ref.verdict_list
                    )
                )
        return claim_record(
            claim,
            source_key=claim.source_key,
            topics=(topic.slug for topic in claim.topic_list),
            verdicts=claim.verdict_list,
            cross_references=entries,
        )

    # Serialisations

    def json_chunks(self) -> Iterator[str]:
        """Yield the JSON document in pieces, one record a line."""

        def array(records: Iterator[dict]) -> Iterator[str]:
            separator = "\n"
            for record in records:
                # One line per record rather than indented: json.dumps without indent runs
                # in C, four times as fast, and any JSON viewer lays it out again.
                yield (
                    separator
                    + "    "
                    + json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
                )
                separator = ",\n"
            yield "\n  ]" if separator == ",\n" else "]"

        with _snapshot():
            header = self.header()
            yield "{\n"
            for name, value in header.items():
                yield f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n"
            yield '  "sources": ['
            yield from array(self.sources())
            yield ',\n  "claims": ['
            yield from array(self.claims())
            yield f',\n  "counts": {json.dumps(self.counts_record())}\n}}\n'

    def jsonl_lines(self) -> Iterator[str]:
        """Yield the JSON Lines document: header, sources, claims, then an end line."""
        with _snapshot():
            yield dumps({"type": "header", **self.header()}) + "\n"
            for record in self.sources():
                yield dumps({"type": "source", **record}) + "\n"
            for record in self.claims():
                yield dumps({"type": "claim", **record}) + "\n"
            yield dumps({"type": "end", "counts": self.counts_record()}) + "\n"

    def document(self) -> dict:
        """Return the whole document as a dict; for small selections and tests."""
        with _snapshot():
            document = self.header()
            document["sources"] = list(self.sources())
            document["claims"] = list(self.claims())
            document["counts"] = self.counts_record()
        return document

    def not_publishable(self) -> QuerySet:
        """Return the selected reviewed claims whose source lacks its URL or date.

        A ClaimReview without the article's address and date cannot be checked by its
        readers, so the ClaimReview export leaves these claims out and reports them.
        """
        return (
            Claim.objects.filter(pk__in=self.queryset.values("pk"))
            .reviewed()
            .filter(Q(source__url="") | Q(source__published_on__isnull=True))
        )

    def claimreview_chunks(self, *, base_url: str, publisher: str) -> Iterator[str]:
        """Yield schema.org ClaimReview JSON-LD, one review per publishable reviewed claim.

        `base_url` is where this Hecha is published (each review's `url` is its claim's
        public page there, or its page for reviewers until it is published); `publisher`
        is the organisation that stands behind the reviews. Claims whose source lacks its
        URL or publication date are left out, and each is added to `self.skipped` with
        what its source lacks.
        """
        self.skipped: list[tuple[Claim, list[str]]] = []
        self.counts["not_publishable"] = 0
        base_url = base_url.rstrip("/")
        claims = self._ordered_claims().reviewed().select_related("source").defer("source__text")
        with _snapshot():
            yield '{\n  "@context": "https://schema.org",\n  "@graph": ['
            separator = "\n"
            for batch in chunks(claims.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
                verdicts: dict[int, list[Verdict]] = {}
                for verdict in Verdict.objects.filter(claim__in=batch).only(
                    "claim_id", "reviewer_id", "verdict", "note", "created_at"
                ):
                    verdicts.setdefault(verdict.claim_id, []).append(verdict)
                for claim in batch:
                    gaps = claim.source.publication_gaps
                    if gaps:
                        self.counts["not_publishable"] += 1
                        self.skipped.append((claim, gaps))
                        continue
                    self.counts["claims"] += 1
                    review = claim_review(
                        claim,
                        base_url=base_url,
                        publisher=publisher,
                        verdicts=verdicts.get(claim.pk, []),
                    )
                    yield separator + "    " + json.dumps(review, ensure_ascii=False)
                    separator = ",\n"
            yield "\n  ]\n}\n" if separator == ",\n" else "]\n}\n"


def current_verdicts(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """Return each reviewer's latest verdict among `verdicts`, oldest first.

    Only these count: a reviewer who disputed a claim and later agreed no longer disputes it.
    """
    latest: dict[int, Verdict] = {}
    for verdict in sorted(verdicts, key=lambda v: (v.created_at, v.pk)):
        latest[verdict.reviewer_id] = verdict
    return sorted(latest.values(), key=lambda v: (v.created_at, v.pk))


def review_reasons(claim: Claim, verdicts: Iterable[Verdict]) -> list[str]:
    """Return the reasons behind a claim's status: the notes of its current verdicts.

    A disputed claim gives the notes of the reviewers who dispute it now; a claim that
    needs context, the notes of those who say so. An agreed claim needs no reason.
    """
    kind = {
        "disputed": Verdict.Kind.DISPUTE,
        "needs_context": Verdict.Kind.NEEDS_CONTEXT,
    }.get(claim.review_status)
    if kind is None:
        return []
    notes = [v.note.strip() for v in current_verdicts(verdicts) if v.verdict == kind]
    return list(dict.fromkeys(note for note in notes if note))


def tally_sentence(claim: Claim) -> str:
    """Return how many reviewers stand where, in English: "2 reviewers agree; 1 disputes"."""
    counts = [
        (claim.agree_count, "agree", "agrees"),
        (claim.dispute_count, "dispute", "disputes"),
        (claim.needs_context_count, "say it needs context", "says it needs context"),
    ]
    return "; ".join(
        f"{count} reviewer{'s' if count != 1 else ''} {plural if count != 1 else singular}"
        for count, plural, singular in counts
        if count
    )


def review_url(claim: Claim, base_url: str) -> str:
    """Return where a claim's review is read: its public page once published."""
    path = claim.get_public_url() if claim.is_published else claim.get_absolute_url()
    return base_url.rstrip("/") + path


def claim_review(
    claim: Claim, *, base_url: str, publisher: str, verdicts: Iterable[Verdict]
) -> dict:
    """Return a claim's review as a schema.org ClaimReview.

    `verdicts` are the claim's verdicts, earlier ones included: the latest gives the
    review's date, and the current ones its explanation (see review_reasons).
    """
    verdicts = list(verdicts)
    source = claim.source
    appearance = {
        "@type": "CreativeWork",
        "headline": source.title,
        "publisher": {"@type": "Organization", "name": source.outlet},
        "inLanguage": SCRIPT_LANGUAGES[source.script],
    }
    if source.url:
        appearance["url"] = source.url
    if source.author:
        appearance["author"] = {"@type": "Person", "name": source.author}
    if source.published_on:
        appearance["datePublished"] = source.published_on.isoformat()
    # Whom the claim is by: the origin the article cites, else its author, else the outlet.
    if claim.attributed_to:
        claim_author = {"@type": "Organization", "name": claim.attributed_to}
    elif source.author:
        claim_author = {"@type": "Person", "name": source.author}
    else:
        claim_author = {"@type": "Organization", "name": source.outlet}
    item = {"@type": "Claim", "appearance": appearance, "author": claim_author}
    if source.published_on:
        item["datePublished"] = source.published_on.isoformat()
    # The reviewers' own words when they gave reasons, else how many stand where.
    reasons = review_reasons(claim, verdicts)
    explanation = "\n".join(reasons) if reasons else tally_sentence(claim) + "."
    value, name = RATINGS[claim.review_status]
    review = {
        "@type": "ClaimReview",
        "identifier": str(claim.public_id),
        "url": review_url(claim, base_url),
        "claimReviewed": claim.quote,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": name,
            "ratingExplanation": explanation,
        },
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": publisher},
    }
    if verdicts:
        reviewed_at = max(verdict.created_at for verdict in verdicts)
        review["datePublished"] = reviewed_at.astimezone(datetime.UTC).date().isoformat()
    if claim.summary:
        review["description"] = claim.summary
    return review


def claims_export(queryset: QuerySet, *, filters: dict[str, str] | None = None) -> dict:
    """Return the export document of the claims `queryset` selects, as a dict."""
    return ClaimExport(queryset, filters=filters).document()
