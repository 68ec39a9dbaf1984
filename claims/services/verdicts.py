"""Writes of verdicts, and the tallies kept beside the claims and cross-references they judge."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Required, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Assignment, Claim, CrossReference, ReviewStatus, Verdict, verdict_rules
from claims.search import note_search_key
from core.validation import constraint_message, values_check

TALLY_FIELDS = ("review_status", "agree_count", "dispute_count", "needs_context_count")


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


def tally_of(verdicts: Iterable[str]) -> dict[str, object]:
    """Return the tally fields for a set of current verdicts (one per reviewer)."""
    verdicts = list(verdicts)
    return {
        "review_status": review_status_of(verdicts),
        "agree_count": verdicts.count(Verdict.Kind.AGREE),
        "dispute_count": verdicts.count(Verdict.Kind.DISPUTE),
        "needs_context_count": verdicts.count(Verdict.Kind.NEEDS_CONTEXT),
    }


def tally_of_new(verdicts: Iterable[dict]) -> dict[str, object]:
    """Return the tally fields and last verdict time of a new row from its new verdicts.

    `verdicts` are verdict rows by field name (reviewer_id, verdict, created_at), in the
    order they are recorded: each reviewer's latest counts, the order recorded breaking
    ties in time, as _refresh_tallies counts them from the database. For imports, which
    write a new claim or cross-reference with its verdicts and tally at once.
    """
    latest = {}
    last = None
    for row in sorted(verdicts, key=lambda row: row["created_at"]):  # stable: ties keep order
        latest[row["reviewer_id"]] = row["verdict"]
        last = row["created_at"]
    return {**tally_of(latest.values()), "last_verdict_at": last}


class NewVerdict(TypedDict, total=False):
    """What verdict_build and verdict_create take: one judgement of a claim or a link."""

    reviewer: Required[AbstractBaseUser]
    verdict: Required[str]
    note: str
    claim: Claim | None
    crossref: CrossReference | None
    # For imports, which keep the time a verdict was first given.
    created_at: datetime | None


def verdict_values(*, verdict: str, note: str, created_at: datetime | None) -> dict:
    """Return a new verdict's own fields by name, as verdict_build keeps them."""
    return {"verdict": verdict, "note": note.strip(), "created_at": created_at or timezone.now()}


def verdict_check(values: dict) -> None:
    """Check a new verdict's fields by name (verdict_values), as verdict_build does.

    For imports, which check rows as plain values; its target is verdict_build's to check.
    """
    values_check(Verdict, values, verdict_rules)


def verdict_build(**fields: Unpack[NewVerdict]) -> Verdict:
    """Return a new verdict on a claim or a cross-reference, checked without a query, unsaved."""
    values = verdict_values(
        verdict=fields["verdict"], note=fields.get("note", ""), created_at=fields.get("created_at")
    )
    built = Verdict(**{**fields, **values})
    built.search_key = note_search_key(built.note)
    verdict_check(values)
    if (built.claim_id is None) == (built.crossref_id is None):
        raise ValidationError(
            constraint_message(Verdict, "annotation_has_one_target"),
            code="annotation_has_one_target",
        )
    return built


@transaction.atomic
def verdict_create(**fields: Unpack[NewVerdict]) -> Verdict:
    """Record a reviewer's verdict on a claim or cross-reference; earlier ones stay as history."""
    built = verdict_build(**fields)
    target = built.claim if built.claim_id is not None else built.crossref
    _lock_targets(type(target), {target.pk})
    built.save()
    for name, value in _refresh_tallies(type(target), {target.pk})[target.pk].items():
        setattr(target, name, value)
    _close_assignments([built])
    return built


@transaction.atomic
def verdicts_bulk_create(*, verdicts: list[Verdict]) -> list[Verdict]:
    """Save many verdicts made by verdict_build at once, then tally each target once."""
    targets = {
        Claim: {v.claim_id for v in verdicts if v.claim_id is not None},
        CrossReference: {v.crossref_id for v in verdicts if v.crossref_id is not None},
    }
    for model, pks in targets.items():
        if pks:
            _lock_targets(model, pks)
    Verdict.objects.bulk_create(verdicts)
    for model, pks in targets.items():
        if pks:
            _refresh_tallies(model, pks)
    _close_assignments(verdicts)
    return verdicts


def _lock_targets(model, pks: set[int]) -> None:
    # Verdicts on the same claim or cross-reference are then tallied one after the other.
    # The default manager leaves retracted ones out: a verdict on one would not be counted.
    locked = set(model.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))
    if locked != pks:
        raise ValidationError(
            _("It was retracted: verdicts are given only on what stands."), code="retracted"
        )


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
    _note_last_verdict_times(model, pks)
    return tallies


def _note_last_verdict_times(model, pks: set[int]) -> None:
    # One statement for any number of rows: the queues compare this time with the time of
    # the last change a reviewer should see.
    target = "claim" if model is Claim else "crossref"
    latest = (
        Verdict.objects.filter(**{target: OuterRef("pk")})
        .order_by()
        .values(target)
        .annotate(at=Max("created_at"))
        .values("at")
    )
    model.objects.filter(pk__in=pks).update(last_verdict_at=Subquery(latest))


def _close_assignments(verdicts: list[Verdict]) -> None:
    """Take the claims a reviewer has now judged out of their queue of assigned claims."""
    given: dict[int, set[int]] = {}
    for verdict in verdicts:
        if verdict.claim_id is not None:
            given.setdefault(verdict.reviewer_id, set()).add(verdict.claim_id)
    now = timezone.now()
    for reviewer_id, claim_ids in given.items():
        Assignment.objects.filter(
            reviewer_id=reviewer_id, claim_id__in=claim_ids, done_at__isnull=True
        ).update(done_at=now)
