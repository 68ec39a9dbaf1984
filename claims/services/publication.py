"""Publishing reviewed claims as public fact-checks, and taking them back."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, ReviewStatus

PUBLISH_PERMISSION = "claims.publish_claim"


def publication_refusals(claim: Claim) -> list[str]:
    """Return why a claim cannot be published yet, or an empty list if it can.

    A fact-check needs a verdict to report, one given since the claim last changed in a way
    its reviewers should look at again (a public page would present a stale verdict as their
    finding), and a source that readers and fact-check aggregators can find: its URL and its
    publication date.
    """
    refusals = []
    if claim.review_status == ReviewStatus.UNREVIEWED:
        refusals.append(_("It has no verdict yet: only reviewed claims can be published."))
    elif claim.needs_recheck:
        refusals.append(
            _(
                "It changed since its last verdict, which may no longer hold: a reviewer must "
                "record a fresh verdict before it can be published."
            )
        )
    gaps = claim.source.publication_gaps
    if gaps:
        refusals.append(
            _("Its source lacks its %(gaps)s: add them to the source first.")
            % {"gaps": _(" and ").join(gaps)}
        )
    return refusals


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("source").get(pk=claim.pk)


@transaction.atomic
def claim_publish(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """Publish a reviewed claim on its public page; publishing it again changes nothing."""
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Only an Editor can publish a claim."))
    claim = _locked(claim)
    if claim.is_published:
        return claim
    refusals = publication_refusals(claim)
    if refusals:
        raise ValidationError(refusals, code="not_publishable")
    claim.published_at = timezone.now()
    claim.published_by = user
    claim.full_clean()
    claim._history_user = user
    claim.save()
    return claim


@transaction.atomic
def claim_unpublish(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """Take a claim's public page down; it stays reviewed and can be published again."""
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Only an Editor can unpublish a claim."))
    claim = _locked(claim)
    if not claim.is_published:
        return claim
    claim.published_at = None
    claim.published_by = None
    claim.full_clean()
    claim._history_user = user
    claim.save()
    return claim
