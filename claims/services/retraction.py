"""Retracting records made in error, and restoring them.

Nothing an editor made is deleted from the pages: a retracted claim, cross-reference or
source leaves every list, search, count and export (see core.retraction) but stays in the
database and its history, with who retracted it, when and why, until it is restored.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.models import Claim, CrossReference
from core.retraction import Retractable, check_retraction
from sources.models import Source

# Retracting is part of editing: whoever may change a record may take it back.
PERMISSIONS = {
    Claim: "claims.change_claim",
    CrossReference: "claims.change_crossreference",
    Source: "sources.change_source",
}


def _locked(model: type[Retractable], obj: Retractable, user: AbstractBaseUser):
    if not user.has_perm(PERMISSIONS[model]):
        raise PermissionDenied(_("Only an Editor can retract or restore a record."))
    return model.all_objects.select_for_update().get(pk=obj.pk)


def _retract(obj: Retractable, *, user: AbstractBaseUser, reason: str) -> None:
    if obj.is_retracted:
        raise ValidationError(_("It is already retracted."), code="already_retracted")
    obj.retracted_at = timezone.now()
    obj.retracted_by = user
    obj.retraction_reason = reason.strip()
    check_retraction(obj)
    obj._history_user = user
    obj.save()


def _restore(obj: Retractable, *, user: AbstractBaseUser) -> None:
    if not obj.is_retracted:
        raise ValidationError(_("It is not retracted."), code="not_retracted")
    obj.retracted_at = obj.retracted_by = None
    obj.retraction_reason = ""
    obj._history_user = user
    obj.save()


def _touch_claims(*claim_ids: int) -> None:
    # A claim's record in the API and the changes feed holds its cross-references, so
    # retracting or restoring one changes both claims' records.
    Claim.all_objects.filter(pk__in=claim_ids).update(updated_at=timezone.now())


@transaction.atomic
def claim_retract(*, claim: Claim, user: AbstractBaseUser, reason: str) -> Claim:
    """Take a claim made in error off every page, saying why; its history keeps it."""
    claim = _locked(Claim, claim, user)
    _retract(claim, user=user, reason=reason)
    return claim


@transaction.atomic
def claim_restore(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """Bring a retracted claim back, with its verdicts and cross-references."""
    claim = _locked(Claim, claim, user)
    if (
        claim.is_retracted
        and Source.all_objects.filter(pk=claim.source_id, retracted_at__isnull=False).exists()
    ):
        raise ValidationError(
            _("Its source is retracted: restore the source first."), code="source_retracted"
        )
    _restore(claim, user=user)
    return claim


@transaction.atomic
def crossref_retract(
    *, crossref: CrossReference, user: AbstractBaseUser, reason: str
) -> CrossReference:
    """Take a cross-reference made in error off every page, saying why."""
    crossref = _locked(CrossReference, crossref, user)
    _retract(crossref, user=user, reason=reason)
    _touch_claims(crossref.from_claim_id, crossref.to_claim_id)
    return crossref


@transaction.atomic
def crossref_restore(*, crossref: CrossReference, user: AbstractBaseUser) -> CrossReference:
    """Bring a retracted cross-reference back; both its claims must stand."""
    crossref = _locked(CrossReference, crossref, user)
    if (
        crossref.is_retracted
        and Claim.all_objects.filter(
            pk__in=(crossref.from_claim_id, crossref.to_claim_id), retracted_at__isnull=False
        ).exists()
    ):
        raise ValidationError(
            _("One of its claims is retracted: restore the claim first."),
            code="claim_retracted",
        )
    _restore(crossref, user=user)
    _touch_claims(crossref.from_claim_id, crossref.to_claim_id)
    return crossref


@transaction.atomic
def source_retract(*, source: Source, user: AbstractBaseUser, reason: str) -> Source:
    """Take a source added in error off every page; only one that no claim quotes."""
    source = _locked(Source, source, user)
    quoting = Claim.objects.filter(source=source).count()
    if quoting:
        raise ValidationError(
            ngettext(
                "%(count)d claim quotes this source: retract it first.",
                "%(count)d claims quote this source: retract them first.",
                quoting,
            )
            % {"count": quoting},
            code="source_quoted",
        )
    _retract(source, user=user, reason=reason)
    return source


@transaction.atomic
def source_restore(*, source: Source, user: AbstractBaseUser) -> Source:
    """Bring a retracted source back; its retracted claims stay retracted until restored."""
    source = _locked(Source, source, user)
    _restore(source, user=user)
    return source
