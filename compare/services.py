"""Writes of the comparison app: origins, claims' links to them, and decisions on suggestions."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.models import Claim, CrossReference
from claims.services import crossref_create
from compare.models import ClaimOrigin, Origin, SuggestionDismissal
from compare.origins import alias_keys_of, match_origin


@transaction.atomic
def origin_save(
    *,
    user: AbstractBaseUser,
    origin: Origin | None = None,
    name: str,
    aliases: str = "",
    kind: str = "",
) -> Origin:
    """Create or change a cited origin, then relink every claim its names now recognise."""
    origin = origin or Origin()
    origin.name = name.strip()
    origin.aliases = "\n".join(line.strip() for line in aliases.splitlines() if line.strip())
    origin.kind = kind
    origin.alias_keys = alias_keys_of(name=origin.name, aliases=origin.aliases)
    origin.full_clean()
    origin._history_user = user
    origin.save()
    claim_origins_refresh()
    return origin


@transaction.atomic
def claim_origins_refresh(*, claims: Iterable[Claim] | None = None) -> int:
    """Link each claim to the origin its cited-origin text names; return how many changed.

    Without `claims`, every claim that names an origin is matched again: origins are few
    and an alias edit can move claims from one to another.
    """
    origins = list(Origin.objects.all())
    queryset = Claim.objects.exclude(attributed_to="").only("pk", "attributed_to")
    if claims is not None:
        queryset = queryset.filter(pk__in=[claim.pk for claim in claims])
    current = {link.claim_id: link for link in ClaimOrigin.objects.filter(claim__in=queryset)}
    changed, stale = 0, []
    for claim in queryset.iterator(chunk_size=2000):
        origin = match_origin(claim.attributed_to, origins)
        link = current.pop(claim.pk, None)
        if origin is None:
            if link is not None:
                stale.append(claim.pk)
            continue
        if link and link.origin_id == origin.pk and link.attributed_to == claim.attributed_to:
            continue
        ClaimOrigin.objects.update_or_create(
            claim_id=claim.pk,
            defaults={"origin": origin, "attributed_to": claim.attributed_to[:200]},
        )
        changed += 1
    # Claims whose cited origin was cleared since they were linked.
    stale.extend(current)
    if stale:
        ClaimOrigin.objects.filter(claim_id__in=stale).delete()
    return changed + len(stale)


def _pair(a: Claim, b: Claim) -> tuple[Claim, Claim]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def suggestion_accept(
    *, user: AbstractBaseUser, claim: Claim, other: Claim, relation: str, note: str = ""
) -> CrossReference:
    """Record a suggested cross-reference as an editor accepted it, relation perhaps changed."""
    return crossref_create(
        user=user,
        from_claim=claim,
        to_claim=other,
        relation=relation,
        note=note.strip() or _("Accepted from Hecha's suggestions."),
    )


@transaction.atomic
def suggestion_dismiss(
    *, user: AbstractBaseUser, claim: Claim, other: Claim, reason: str
) -> SuggestionDismissal:
    """Record that two claims need no cross-reference, so they are never suggested again."""
    if claim.pk == other.pk:
        raise ValidationError(_("A claim cannot be paired with itself."))
    low, high = _pair(claim, other)
    dismissal = SuggestionDismissal(
        claim_low=low, claim_high=high, reason=reason.strip(), dismissed_by=user
    )
    dismissal.full_clean()
    dismissal.save()
    return dismissal
