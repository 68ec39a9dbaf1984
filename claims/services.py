"""Every write to claims, cross-references and annotations goes through these functions.

Views, admin, management commands and imports all call them, so validation, anchoring,
history and review tallies behave the same whichever way a change arrives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Verdict, Claim, CrossReference, ReviewStatus, Topic
from sources.anchors import Anchor, QuoteNotFound, locate_quote, reanchor
from sources.models import Source
from sources.services import check_version, full_clean_without_queries

FIGURE_FIELDS = (
    "figure_text",
    "value",
    "value_lower",
    "value_upper",
    "hedge",
    "unit",
    "period_start",
    "period_end",
    "scope",
)
CLAIM_EDITABLE_FIELDS = ("quote", "summary", "attributed_to", *FIGURE_FIELDS)


def _anchor_claim(claim: Claim, *, start: int | None = None, occurrence: int = 1) -> None:
    try:
        anchor = locate_quote(claim.source.text, claim.quote, start=start, occurrence=occurrence)
    except QuoteNotFound as error:
        raise ValidationError(
            {"quote": f"The quote is not in the text of “{claim.source}”: {error}."},
            code="quote_not_found",
        ) from error
    claim.quote_start, claim.quote_end = anchor.start, anchor.end
    claim.quote_prefix, claim.quote_suffix = anchor.prefix, anchor.suffix
    claim.is_anchored = True


def _topics_from(slugs_or_topics: Iterable) -> list[Topic]:
    topics, slugs = [], []
    for item in slugs_or_topics:
        if isinstance(item, Topic):
            topics.append(item)
        else:
            slugs.append(item)
    if slugs:
        found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=slugs)}
        missing = sorted(set(slugs) - set(found))
        if missing:
            raise ValidationError(
                {"topics": f"Unknown topic(s): {', '.join(missing)}."}, code="unknown_topic"
            )
        topics.extend(found[slug] for slug in slugs)
    return topics


@transaction.atomic
def topic_create(*, slug: str, name: str) -> Topic:
    """Add a subject that claims can be filed under."""
    topic = Topic(slug=slug, name=name.strip())
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, slug: str, name: str) -> Topic:
    """Rename a topic; the claims filed under it stay there."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    topic.slug, topic.name = slug, name.strip()
    topic.full_clean()
    topic.save()
    return topic


def _new_claim(
    *,
    user: AbstractBaseUser,
    source: Source,
    quote: str,
    start: int | None = None,
    occurrence: int = 1,
    summary: str = "",
    attributed_to: str = "",
    figure_text: str = "",
    value: Decimal | None = None,
    value_lower: Decimal | None = None,
    value_upper: Decimal | None = None,
    hedge: str = "",
    unit: str = "",
    period_start: int | None = None,
    period_end: int | None = None,
    scope: str = "",
    public_id: uuid.UUID | None = None,
    lost_anchor: Anchor | None = None,
) -> Claim:
    """Return a new claim anchored in its source's text, unchecked and unsaved.

    `start` is the offset a reader selected; without it the `occurrence`-th appearance
    of the quote is anchored.

    `lost_anchor` is for imports of a claim already flagged unanchored where it was
    exported: its quote is no longer in the source's corrected text, so the claim keeps
    the place where it last stood and stays flagged, as `claims_reanchor` left it.
    """
    claim = Claim(
        source=source,
        quote=quote,
        summary=summary.strip(),
        attributed_to=attributed_to.strip(),
        figure_text=figure_text.strip(),
        value=value,
        value_lower=value_lower,
        value_upper=value_upper,
        hedge=hedge,
        unit=unit,
        period_start=period_start,
        period_end=period_end,
        scope=scope.strip(),
        created_by=user,
    )
    if public_id is not None:
        claim.public_id = public_id
    if lost_anchor is None:
        _anchor_claim(claim, start=start, occurrence=occurrence)
    else:
        claim.quote_start, claim.quote_end = lost_anchor.start, lost_anchor.end
        claim.quote_prefix, claim.quote_suffix = lost_anchor.prefix, lost_anchor.suffix
        claim.is_anchored = False
    return claim


def claim_build(*, user: AbstractBaseUser, **fields) -> Claim:
    """Return a new claim, anchored and checked but unsaved, for claims_bulk_create.

    `fields` are claim_create's. The checks need no query: the claim's own fields and
    rules, and its quote at its place in `source.text`.
    """
    claim = _new_claim(user=user, **fields)
    full_clean_without_queries(claim)
    return claim


@transaction.atomic
def claim_create(*, user: AbstractBaseUser, topics: Iterable = (), **fields) -> Claim:
    """Record a claim a source makes; its quote must stand in the source's text.

    `fields`: source and quote, where the quote stands (start or occurrence) and what the
    claim states (summary, attributed_to and the figure fields); `topics` are Topic
    objects or slugs. See _new_claim for public_id and lost_anchor, which imports use.
    """
    claim = _new_claim(user=user, **fields)
    claim.full_clean()
    topic_list = _topics_from(topics)
    claim._history_user = user
    claim.save()
    claim.topics.set(topic_list)
    return claim


@transaction.atomic
def claims_bulk_create(
    *, user: AbstractBaseUser, claims: list[tuple[Claim, list[Topic]]]
) -> list[Claim]:
    """Save many claims made by claim_build, with their topics, at once (imports).

    Each gets one history entry, topics included, as `user`. One insert per table replaces
    the dozens of queries that claim_create spends on a claim.
    """
    built = [claim for claim, _ in claims]
    if not built:
        return []
    Claim.objects.bulk_create(built)
    links = Claim.topics.through.objects.bulk_create(
        Claim.topics.through(claim_id=claim.pk, topic_id=topic.pk)
        for claim, topics in claims
        for topic in topics
    )
    history = Claim.history.bulk_history_create(built, default_user=user)
    # The topics as simple-history records them beside a claim's history entry.
    entry_of = {claim.pk: entry.pk for claim, entry in zip(built, history, strict=True)}
    HistoricalTopics = Claim.history.model.historicalclaim_topics_set.rel.related_model
    HistoricalTopics.objects.bulk_create(
        HistoricalTopics(
            id=link.pk,
            history_id=entry_of[link.claim_id],
            claim_id=link.claim_id,
            topic_id=link.topic_id,
        )
        for link in links
    )
    return built


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    user: AbstractBaseUser,
    expected_version: int | None = None,
    start: int | None = None,
    occurrence: int = 1,
    topics: Iterable | None = None,
    **changes,
) -> Claim:
    """Change what a claim says; a changed quote is anchored again in its source.

    `expected_version` is the version the editor started from; if someone saved in
    between, the edit is refused with EditConflict instead of overwriting theirs.
    """
    unknown = set(changes) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"claim_update() got unexpected fields: {', '.join(sorted(unknown))}")
    claim = Claim.objects.select_for_update().select_related("source").get(pk=claim.pk)
    check_version(claim, expected_version, CLAIM_EDITABLE_FIELDS)
    for name in ("summary", "attributed_to", "figure_text", "scope"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    changed = {name: value for name, value in changes.items() if getattr(claim, name) != value}
    moved = start is not None and start != claim.quote_start
    topic_list = None if topics is None else _topics_from(topics)
    topics_changed = topic_list is not None and {t.pk for t in topic_list} != set(
        claim.topics.values_list("pk", flat=True)
    )
    if not changed and not moved and not topics_changed:
        return claim
    for name, value in changed.items():
        setattr(claim, name, value)
    if "quote" in changed or moved:
        _anchor_claim(claim, start=start, occurrence=occurrence)
    claim.version += 1
    claim.full_clean()
    claim._history_user = user
    claim.save()
    if topics_changed:
        claim.topics.set(topic_list)
    return claim


@transaction.atomic
def claims_reanchor(*, source: Source, user: AbstractBaseUser) -> list[Claim]:
    """Find each claim's quote again in its source's corrected text.

    A claim whose quote is gone, or stands in several places none of which is its old
    context, is flagged unanchored, never silently moved. Return the claims that changed.
    """
    changed = []
    for claim in Claim.objects.select_for_update().filter(source=source):
        anchor = reanchor(
            source.text,
            quote=claim.quote,
            prefix=claim.quote_prefix,
            suffix=claim.quote_suffix,
            start=claim.quote_start,
        )
        before = (claim.quote_start, claim.quote_prefix, claim.quote_suffix, claim.is_anchored)
        if anchor is None:
            claim.is_anchored = False
        else:
            claim.quote_start, claim.quote_end = anchor.start, anchor.end
            claim.quote_prefix, claim.quote_suffix = anchor.prefix, anchor.suffix
            claim.is_anchored = True
        if before != (claim.quote_start, claim.quote_prefix, claim.quote_suffix, claim.is_anchored):
            claim._history_user = user
            claim.save()
            changed.append(claim)
    return changed


def _constraint_message(model, name: str) -> str:
    """Return what a model's database constraint says when a row breaks it."""
    (constraint,) = [c for c in model._meta.constraints if c.name == name]
    return constraint.violation_error_message


def _new_crossref(
    *,
    user: AbstractBaseUser,
    from_claim: Claim,
    to_claim: Claim,
    relation: str,
    note: str,
) -> CrossReference:
    return CrossReference(
        from_claim=from_claim,
        to_claim=to_claim,
        relation=relation,
        note=note.strip(),
        created_by=user,
    )


def crossref_build(*, user: AbstractBaseUser, **fields) -> CrossReference:
    """Return a new cross-reference, checked but unsaved, for crossrefs_bulk_create.

    `fields` are crossref_create's. Whether the pair already carries the relation is left
    to the caller and, failing that, to the database's constraint.
    """
    crossref = _new_crossref(user=user, **fields)
    full_clean_without_queries(crossref)
    if crossref.from_claim_id == crossref.to_claim_id:
        raise ValidationError(
            _constraint_message(CrossReference, "crossref_not_self"),
            code="crossref_not_self",
        )
    return crossref


@transaction.atomic
def crossref_create(*, user: AbstractBaseUser, **fields) -> CrossReference:
    """Record that two claims bear on each other, how, and why.

    `fields`: from_claim, to_claim, relation and note.
    """
    crossref = _new_crossref(user=user, **fields)
    crossref.full_clean()
    crossref._history_user = user
    crossref.save()
    return crossref


@transaction.atomic
def crossrefs_bulk_create(
    *, user: AbstractBaseUser, crossrefs: list[CrossReference]
) -> list[CrossReference]:
    """Save many cross-references made by crossref_build at once, each with its history entry."""
    if crossrefs:
        CrossReference.objects.bulk_create(crossrefs)
        CrossReference.history.bulk_history_create(crossrefs, default_user=user)
    return crossrefs


@transaction.atomic
def crossref_update(
    *,
    crossref: CrossReference,
    user: AbstractBaseUser,
    relation: str | None = None,
    note: str | None = None,
) -> CrossReference:
    """Change the relation or the note of a cross-reference."""
    crossref = CrossReference.objects.select_for_update().get(pk=crossref.pk)
    changed = False
    if relation is not None and relation != crossref.relation:
        crossref.relation, changed = relation, True
    if note is not None and note.strip() != crossref.note:
        crossref.note, changed = note.strip(), True
    if not changed:
        return crossref
    crossref.full_clean()
    crossref._history_user = user
    crossref.save()
    return crossref


def review_status_of(verdicts: Iterable[str]) -> str:
    """Return the review status that a set of current verdicts amounts to."""
    verdicts = list(verdicts)
    if not verdicts:
        return ReviewStatus.UNREVIEWED
    if Verdict.Kind.DISPUTE in verdicts:
        return ReviewStatus.DISPUTED
    if all(verdict == Verdict.Kind.AGREE for verdict in verdicts):
        return ReviewStatus.AGREED
    return ReviewStatus.NEEDS_CONTEXT


TALLY_FIELDS = ("review_status", "agree_count", "dispute_count", "needs_context_count")


def tally_of(verdicts: Iterable[str]) -> dict[str, object]:
    """Return the tally fields for a set of current verdicts (one per reviewer)."""
    verdicts = list(verdicts)
    return {
        "review_status": review_status_of(verdicts),
        "agree_count": verdicts.count(Verdict.Kind.AGREE),
        "dispute_count": verdicts.count(Verdict.Kind.DISPUTE),
        "needs_context_count": verdicts.count(Verdict.Kind.NEEDS_CONTEXT),
    }


def _new_verdict(
    *,
    reviewer: AbstractBaseUser,
    verdict: str,
    note: str = "",
    claim: Claim | None = None,
    crossref: CrossReference | None = None,
    created_at: datetime | None = None,
) -> Verdict:
    return Verdict(
        claim=claim,
        crossref=crossref,
        verdict=verdict,
        note=note.strip(),
        reviewer=reviewer,
        created_at=created_at or timezone.now(),
    )


def verdict_build(**fields) -> Verdict:
    """Return a new verdict, checked but unsaved, for verdicts_bulk_create.

    `fields` are verdict_create's.
    """
    annotation = _new_verdict(**fields)
    full_clean_without_queries(annotation)
    if (annotation.claim_id is None) == (annotation.crossref_id is None):
        raise ValidationError(
            _constraint_message(Verdict, "annotation_has_one_target"),
            code="annotation_has_one_target",
        )
    return annotation


@transaction.atomic
def verdict_create(**fields) -> Verdict:
    """Record a reviewer's verdict on a claim or cross-reference; earlier ones stay as history.

    `fields`: reviewer, verdict, note, and the claim or the crossref it is on.
    `created_at` is for imports, which keep the time a verdict was first given.
    """
    annotation = _new_verdict(**fields)
    annotation.full_clean()
    target = annotation.claim if annotation.claim_id is not None else annotation.crossref
    _lock_targets(type(target), {target.pk})
    annotation.save()
    for name, value in _refresh_tallies(type(target), {target.pk})[target.pk].items():
        setattr(target, name, value)
    return annotation


def _lock_targets(model, pks: set[int]) -> None:
    # Verdicts on the same claim or cross-reference are then tallied one after the other.
    list(model.objects.select_for_update().filter(pk__in=pks).values_list("pk"))


def _refresh_tallies(model, pks: set[int]) -> dict[int, dict]:
    """Recount the tallies of claims or cross-references from each reviewer's latest verdict.

    One read for all of them; the rows are written grouped by their new tally, a few
    distinct tallies covering any number of rows. A tally is not an edit: it leaves the
    version and the change history alone. Return each row's new tally fields.
    """
    target = "claim_id" if model is Claim else "crossref_id"
    latest: dict[int, dict[int, str]] = {pk: {} for pk in pks}
    rows = (
        Verdict.objects.filter(**{f"{target}__in": pks})
        .order_by("created_at", "pk")
        .values_list(target, "reviewer_id", "verdict")
    )
    for target_id, reviewer_id, verdict in rows.iterator(chunk_size=2000):
        latest[target_id][reviewer_id] = verdict
    tallies = {pk: tally_of(verdicts.values()) for pk, verdicts in latest.items()}
    groups: dict[tuple, list[int]] = {}
    for pk, tally in tallies.items():
        groups.setdefault(tuple(tally.items()), []).append(pk)
    for tally, group in groups.items():
        model.objects.filter(pk__in=group).update(**dict(tally))
    return tallies


@transaction.atomic
def verdicts_bulk_create(*, annotations: list[Verdict]) -> list[Verdict]:
    """Save many verdicts made by verdict_build at once, then tally each target once."""
    targets = {
        Claim: {a.claim_id for a in annotations if a.claim_id is not None},
        CrossReference: {a.crossref_id for a in annotations if a.crossref_id is not None},
    }
    for model, pks in targets.items():
        if pks:
            _lock_targets(model, pks)
    Verdict.objects.bulk_create(annotations)
    for model, pks in targets.items():
        if pks:
            _refresh_tallies(model, pks)
    return annotations
