"""Writes of the comparison app: origins, claims' links to them, and decisions on suggestions."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, CrossReference
from claims.services import crossref_create
from compare.models import ClaimOrigin, Origin, SuggestionDismissal, SuggestionShortlist
from compare.origins import alias_keys_of, match_origin
from compare.selectors import Suggestion, current_shortlists, suggestions_and_shortlists
from core.fragments import code_version


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
def claim_origins_link(*, claims: Iterable[Claim]) -> int:
    """Link claims just saved to the origins their cited-origin texts name; return how many.

    A link a claim had is replaced (its cited origin may have been edited). One delete, one
    query for the origins and one insert, whatever the number of claims, so imports and seed
    loads link their claims as they save them.
    """
    claims = list(claims)
    ClaimOrigin.objects.filter(claim_id__in=[claim.pk for claim in claims]).delete()
    claims = [claim for claim in claims if claim.attributed_to and claim.attributed_to.strip()]
    if not claims:
        return 0
    links = [
        ClaimOrigin(claim_id=pk, origin_id=origin_id, attributed_to=text)
        for pk, origin_id, text in claim_origin_links(
            ((claim.pk, claim.attributed_to) for claim in claims), list(Origin.objects.all())
        )
    ]
    ClaimOrigin.objects.bulk_create(links)
    return len(links)


# Cited-origin texts matched by one import, at most: a few thousand distinct texts in
# practice, and memory stays bounded whatever a file holds.
MATCHED_TEXTS = 10_000


def claim_origin_links(
    claims: Iterable[tuple[int, str]], origins: list, matched: dict | None = None
) -> list[tuple[int, int, str]]:
    """Return (claim pk, origin pk, text as written) for each new claim, given as (pk,
    cited-origin text), whose text names one of `origins`.

    `matched`, kept from one call to the next, remembers the origin of each text already
    matched: an import links a million claims that cite a few thousand texts.
    """
    matched = {} if matched is None else matched
    links = []
    for pk, attributed_to in claims:
        if not attributed_to or not attributed_to.strip():
            continue
        if attributed_to in matched:
            origin = matched[attributed_to]
        else:
            origin = match_origin(attributed_to, origins)
            if len(matched) >= MATCHED_TEXTS:
                matched.clear()
            matched[attributed_to] = origin
        if origin is not None:
            links.append((pk, origin.pk, attributed_to[:200]))
    return links


def claim_origins_refresh(*, claims: Iterable[Claim] | None = None) -> int:
    """Link each claim to the origin its cited-origin text names; return how many changed.

    Without `claims`, every claim that names an origin is matched again: an alias edit can
    move claims from one origin to another. Claims citing the same text share its match, so
    the work is one match per distinct text (a few thousand at a million claims) and a few
    set-wise statements per origin, not a query per claim.
    """
    origins = list(Origin.objects.all())
    claim_ids = None if claims is None else [claim.pk for claim in claims]
    # Retracted claims keep their links, so that a restored claim is back in its lineage.
    cited = Claim.all_objects.exclude(attributed_to="")
    links = ClaimOrigin.objects.all()
    if claim_ids is not None:
        cited = cited.filter(pk__in=claim_ids)
        links = links.filter(claim_id__in=claim_ids)
    texts_of: dict[int, list[str]] = {origin.pk: [] for origin in origins}
    for text in cited.order_by().values_list("attributed_to", flat=True).distinct():
        origin = match_origin(text, origins)
        if origin is not None:
            texts_of[origin.pk].append(text)

    changed = 0
    for origin in origins:
        texts = texts_of[origin.pk]
        # Links this origin no longer earns: the claim's text changed, was cleared, or now
        # names another origin (a longer alias elsewhere wins).
        changed += links.filter(origin=origin).exclude(claim__attributed_to__in=texts).delete()[0]
        if not texts:
            continue
        # Links kept whose claim was re-worded to another alias of the same origin.
        changed += (
            links.filter(origin=origin, claim__attributed_to__in=texts)
            .exclude(attributed_to__in=texts)
            .update(
                attributed_to=Subquery(
                    Claim.objects.filter(pk=OuterRef("claim_id")).values("attributed_to")[:1]
                )
            )
        )
        moved = links.filter(claim__attributed_to__in=texts).exclude(origin=origin)
        changed += moved.delete()[0]
        unlinked = (
            cited.filter(attributed_to__in=texts, origin_link__isnull=True)
            .order_by()
            .values_list("pk", "attributed_to")
        )
        batch = []
        for pk, text in unlinked.iterator(chunk_size=5000):
            batch.append(ClaimOrigin(claim_id=pk, origin=origin, attributed_to=text))
            if len(batch) == 5000:
                ClaimOrigin.objects.bulk_create(batch)
                changed += len(batch)
                batch = []
        ClaimOrigin.objects.bulk_create(batch)
        changed += len(batch)
    return changed


def _pair(a: Claim, b: Claim) -> tuple[Claim, Claim]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def suggestion_accept(
    *, user: AbstractBaseUser, claim: Claim, other: Claim, relation: str, note: str = ""
) -> CrossReference:
    """Record a suggested cross-reference as an editor accepted it, relation perhaps changed."""
    shortlists_forget(claims=[claim, other])
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
    shortlists_forget(claims=[claim, other])
    return dismissal


def shortlists_forget(*, claims: list[Claim]) -> None:
    """Drop the claims' kept shortlists: a pair decided on leaves them, and the next visit
    finds what else bears on each."""
    SuggestionShortlist.objects.filter(claim__in=claims).delete()


def crossref_suggestions_kept(*, claims: list[Claim], limit: int) -> dict[int, list[Suggestion]]:
    """Return each claim's suggestions, as `crossref_suggestions_for` does, looking for
    candidates only for the claims whose kept shortlist is not current, and keeping the
    shortlists made for them.

    The queue's forty claims cost a third of a second to look for among a million, and
    the same forty are asked for again and again: kept, they are scored from their lists.
    """
    # Before the candidates are read: a claim changed meanwhile is looked for again next time.
    made_at = timezone.now()
    found, made = suggestions_and_shortlists(
        claims, limit=limit, shortlists=current_shortlists(claims)
    )
    if made and settings.HECHA_SUGGESTION_SHORTLIST_SECONDS:
        shortlists_keep(shortlists=made, made_at=made_at)
    return found


def shortlists_keep(*, shortlists: dict[int, list[int]], made_at) -> None:
    """Keep claims' shortlists of suggestions, each replacing the claim's last."""
    version = code_version()
    rows = [
        SuggestionShortlist(claim_id=pk, claim_ids=ids, made_at=made_at, made_by_code=version)
        for pk, ids in shortlists.items()
    ]
    try:
        with transaction.atomic():
            SuggestionShortlist.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["claim"],
                update_fields=["claim_ids", "made_at", "made_by_code"],
            )
    except IntegrityError:
        # A claim deleted while its list was made: a list is only ever a saving of time,
        # and the next visit makes the others again.
        pass
