"""Writes of cross-references: how two claims bear on each other."""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from claims.models import Claim, CrossReference
from claims.search import note_search_key
from claims.services.claims import claims_mark_for_recheck
from core.validation import constraint_message, save_unless_taken, values_check


class NewCrossReference(TypedDict):
    """What crossref_build and crossref_create take besides the acting user."""

    from_claim: Claim
    to_claim: Claim
    relation: str
    # Why the two claims bear on each other.
    note: str


def crossref_check(values: dict, *, ends: tuple) -> None:
    """Check a new cross-reference's relation and note (trimmed), by name, and that its two
    claims, `ends` (pks or public ids), differ: what crossref_build checks without a query.

    Imports check their rows so, as plain values.
    """
    values_check(CrossReference, values)
    if ends[0] == ends[1]:
        raise ValidationError(
            constraint_message(CrossReference, "crossref_not_self"), code="crossref_not_self"
        )


def crossref_build(
    *, user: AbstractBaseUser, **fields: Unpack[NewCrossReference]
) -> CrossReference:
    """Return a new cross-reference, checked without a query but unsaved.

    Whether the pair already carries the relation is left to crossref_create's check or,
    for an import, to its own check and the database's constraint.
    """
    crossref = CrossReference(created_by=user, **fields)
    crossref.note = crossref.note.strip()
    crossref.search_key = note_search_key(crossref.note)
    crossref_check(
        {"relation": crossref.relation, "note": crossref.note},
        ends=(crossref.from_claim_id, crossref.to_claim_id),
    )
    return crossref


@transaction.atomic
def crossref_create(
    *, user: AbstractBaseUser, **fields: Unpack[NewCrossReference]
) -> CrossReference:
    """Record that two claims bear on each other, how, and why."""
    crossref = crossref_build(user=user, **fields)
    crossref._history_user = user
    save_unless_taken(crossref, check=lambda: crossref_check_unique(crossref))
    if crossref.relation == CrossReference.Relation.CONTRADICTS:
        claims_mark_for_recheck(
            claim_ids=(crossref.from_claim_id, crossref.to_claim_id),
            reason=gettext_noop("a contradicting cross-reference was added"),
        )
    return crossref


def crossref_check_unique(crossref: CrossReference) -> None:
    """Refuse a cross-reference whose pair already carries its relation, in either direction.

    Django's check of the constraint reads the default manager, which leaves retracted
    cross-references out; the database's constraint does not, so a retracted one is named
    here, for the editor to restore.
    """
    pair = Q(from_claim=crossref.from_claim_id, to_claim=crossref.to_claim_id) | Q(
        from_claim=crossref.to_claim_id, to_claim=crossref.from_claim_id
    )
    retracted = (
        CrossReference.all_objects.retracted()
        .filter(pair, relation=crossref.relation)
        .exclude(pk=crossref.pk)
        .first()
    )
    if retracted is not None:
        raise ValidationError(
            _(
                "These two claims carried this relation until it was retracted on %(date)s: "
                "an editor can restore that cross-reference from the Retracted page."
            ),
            params={"date": retracted.retracted_at.date().isoformat()},
            code="retracted_duplicate",
        )
    crossref.validate_constraints()


@transaction.atomic
def crossref_update(
    *,
    crossref: CrossReference,
    user: AbstractBaseUser,
    relation: str | None = None,
    note: str | None = None,
) -> CrossReference:
    """Change the relation or the note of a cross-reference; None leaves it as it is."""
    crossref = CrossReference.objects.select_for_update().get(pk=crossref.pk)
    changed = now_contradicts = False
    if relation is not None and relation != crossref.relation:
        crossref.relation, changed = relation, True
        now_contradicts = relation == CrossReference.Relation.CONTRADICTS
    if note is not None and note.strip() != crossref.note:
        crossref.note, changed = note.strip(), True
    if not changed:
        return crossref
    crossref.search_key = note_search_key(crossref.note)
    crossref.full_clean(validate_constraints=False)
    crossref._history_user = user
    save_unless_taken(crossref, check=lambda: crossref_check_unique(crossref))
    if now_contradicts:
        claims_mark_for_recheck(
            claim_ids=(crossref.from_claim_id, crossref.to_claim_id),
            reason=gettext_noop("a cross-reference now says they contradict"),
        )
    return crossref
