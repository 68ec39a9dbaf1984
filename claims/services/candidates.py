"""Writes on the candidate claims proposed from a source's text: accepting and dismissing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.candidates import Candidate, sentence_hash
from claims.interchange import Figure
from claims.models import CandidateDismissal, Claim
from claims.proposals import propose_figure
from claims.selectors import open_candidates
from claims.services.claims import claim_create
from sources.models import Source


def _proposed(source: Source, picks: Iterable[tuple[int, str]]) -> list[Candidate]:
    """Return the open candidates of the source at the given (start, sentence)s."""
    wanted = list(picks)
    by_place = {
        (candidate.start, candidate.quote): candidate for candidate in open_candidates(source)
    }
    missing = [sentence for start, sentence in wanted if (start, sentence) not in by_place]
    if missing:
        raise ValidationError(
            _(
                "No longer proposed (the text changed, or someone made it a claim or "
                "dismissed it): “%(sentence)s”."
            )
            % {"sentence": missing[0][:60]},
            code="candidate_gone",
        )
    return [by_place[pick] for pick in wanted]


def _claim_fields(candidate: Candidate, region: str) -> dict:
    figure = propose_figure(
        candidate.quote, region=region, among=candidate.figures_to_propose()
    ) or Figure(period_start=candidate.period_start, period_end=candidate.period_end)
    return {"attributed_to": candidate.cited_origin, **figure.fields()}


@transaction.atomic
def candidates_accept(
    *, source: Source, user: AbstractBaseUser, picks: Iterable[tuple[int, str]]
) -> list[Claim]:
    """Make each proposed sentence, given as (start, sentence), a claim of the source.

    The claim quotes the sentence where it stands, with the figure proposed from it and the
    origin it cites; all are made or, if one is no longer proposed, none.
    """
    return [
        claim_create(
            user=user,
            source=source,
            quote=candidate.quote,
            start=candidate.start,
            **_claim_fields(candidate, source.region),
        )
        for candidate in _proposed(source, picks)
    ]


def candidate_accept(*, source: Source, user: AbstractBaseUser, start: int, sentence: str) -> Claim:
    """Make one proposed sentence a claim of the source (see candidates_accept)."""
    return candidates_accept(source=source, user=user, picks=[(start, sentence)])[0]


@transaction.atomic
def candidates_dismiss(
    *, source: Source, user: AbstractBaseUser, sentences: Iterable[str]
) -> list[CandidateDismissal]:
    """Record that these sentences of the source are no claims; they are not proposed again.

    A sentence dismissed before keeps its first dismissal.
    """
    dismissals = []
    now = timezone.now()
    for sentence in dict.fromkeys(sentences):
        digest = sentence_hash(sentence)
        dismissal = CandidateDismissal.objects.filter(source=source, sentence_hash=digest).first()
        if dismissal is None:
            dismissal = CandidateDismissal(
                source=source,
                sentence=sentence,
                sentence_hash=digest,
                dismissed_by=user,
                dismissed_at=now,
            )
            dismissal.full_clean()
            dismissal.save()
        dismissals.append(dismissal)
    return dismissals


def candidate_dismiss(
    *, source: Source, user: AbstractBaseUser, sentence: str
) -> CandidateDismissal:
    """Record that one sentence of the source is no claim (see candidates_dismiss)."""
    return candidates_dismiss(source=source, user=user, sentences=[sentence])[0]
