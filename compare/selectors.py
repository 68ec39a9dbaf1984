"""Reads of the comparison app: suggested cross-references, figures side by side, lineages.

`crossref_suggestions` never compares a claim with every other: it gathers a bounded set of
candidates through indexed predicates (same source, same recognised origin, same topic, a
value of the same unit family within a band, a few distinctive words of the claim's key),
then scores that set in Python and says why each candidate was kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from claims.models import Claim, CrossReference, Topic
from claims.search import matching
from compare.models import ClaimOrigin, Origin, SuggestionDismissal, SuggestionShortlist
from compare.origins import match_origin
from compare.units import (
    CURRENCIES,
    equal_within_rounding,
    family_of,
    on_axis,
    rate_for,
    rate_year,
    ratio,
    same_written_figure,
)
from core.arrays import among
from core.chinese import search_key
from core.fragments import code_version
from core.lists import clauses, listed
from core.search_keys import TAIL_START, without_literal_keys

# Candidates each predicate gives, the newest: at a million claims half the time of a
# suggestion is scoring them, and on the seeds' curated links 30 find as many as 60.
PER_PREDICATE = 30
# The best candidates of a claim kept for it (SuggestionShortlist), of which a page shows
# three to five: more than it shows, so that a pair linked or set aside since leaves some.
SHORTLIST_LENGTH = 10
# What scoring a candidate reads of it (compare_pair, on_axis's rate year, its origin link):
# a suggestion's candidates are read with these, the few kept read whole after for the page.
SCORED_FIELDS = (
    "source_id",
    "attributed_to",
    "search_key",
    "scope",
    "value",
    "unit",
    "figure_text",
    "period_start",
    "period_end",
    "source__published_on",
    "origin_link__origin_id",
)
BAND = Decimal(5)  # a candidate's value within a factor of five, once on one axis
# What two claims must share of what they are about, as scored (a cited origin 3, each of
# two topics 1, their subject words 12 × their share), for equal values to be proposed as
# the same figure: the origin alone, a quarter of their words, or topics and some words.
SAME_SUBJECT_POINTS = 3
STOP_WORDS = set(
    "the and for with from that this over into than more less most only also its their of in on "
    "to by at as is are was were be been china chinese china's ai us".split()
)


# The unit families as a reason names them to the reader.
FAMILY_LABELS = {
    "currency": gettext_lazy("currency"),
    "percent": gettext_lazy("percent"),
    "percentage_point": gettext_lazy("percentage points"),
    "count": gettext_lazy("count"),
    "times": gettext_lazy("times (倍)"),
    "nm": gettext_lazy("nanometres"),
}


def family_label(family: str) -> str:
    """Return a unit family's name, put into the reader's language when it is shown."""
    return FAMILY_LABELS.get(family, family)


@dataclass
class Suggestion:
    """A claim proposed as bearing on another, with the relation proposed and why."""

    claim: Claim
    relation: str
    score: float
    reasons: list[str] = field(default_factory=list)
    ratio: Decimal | None = None

    @property
    def relation_label(self):
        return CrossReference.Relation(self.relation).label

    @property
    def reasons_text(self) -> str:
        """Return the reasons on one line, parted as the reader's language parts clauses:
        "same topic; same period" in English, 「共同主題；相同期間」 in Chinese."""
        return clauses(self.reasons)


# Origins.


def _in_words(values: dict) -> dict:
    """Return a reason's values for its message: names listed (a tuple) joined, each in the
    reader's language where the catalogues know it (the standard topics)."""
    return {
        key: listed(_(item) for item in value) if isinstance(value, tuple) else value
        for key, value in values.items()
    }


def origins_by_pk() -> dict[int, Origin]:
    return {origin.pk: origin for origin in Origin.objects.all()}


def origin_of(claim: Claim, origins: list[Origin] | None = None) -> Origin | None:
    """Return the origin a claim cites: its stored link, or a match of its text if unlinked."""
    link = ClaimOrigin.objects.filter(claim_id=claim.pk).select_related("origin").first()
    return _origin_cited(claim, link, origins)


def _origin_cited(
    claim: Claim, link: ClaimOrigin | None, origins: list[Origin] | None
) -> Origin | None:
    # A link made before the claim's attribution was edited no longer says what it cites.
    if link and link.attributed_to == claim.attributed_to:
        return link.origin
    return match_origin(
        claim.attributed_to, origins if origins is not None else list(Origin.objects.all())
    )


# Cited origins written alike, folded once per text: a queue compares a claim with hundreds of
# candidates, most citing a few origins.
_attribution_key = lru_cache(maxsize=4096)(search_key)


def shared_origin(
    claim: Claim, other: Claim, origin: Origin | None, other_origin: Origin | None
) -> str:
    """Return the name of the origin both claims cite, or "" when they cite none in common.

    Two origins of Hecha's list are the same origin or not. Where either claim cites none
    of the list, the claims' cited-origin texts are compared folded as search folds them:
    經濟部 and 经济部, written in either script, are one origin.
    """
    if origin is not None and other_origin is not None:
        return origin.name if origin.pk == other_origin.pk else ""
    text, other_text = (claim.attributed_to or "").strip(), (other.attributed_to or "").strip()
    if not text or not other_text or _attribution_key(text) != _attribution_key(other_text):
        return ""
    listed_origin = origin or other_origin
    return listed_origin.name if listed_origin is not None else text


# Text.


def _own_key(claim: Claim) -> str:
    """Return the claim's folded key without its borrowed source title, its words as
    searched (without the literal keys kept beside them)."""
    key = claim.search_key or ""
    return without_literal_keys(key.split(TAIL_START, 1)[0])


_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z][a-z'’-]{2,}")


def text_features(claim: Claim) -> frozenset[str]:
    """Return the claim's subject words: CJK bigrams of its key and its English words."""
    return _key_features(_own_key(claim))


def _features_of_key(key: str) -> frozenset[str]:
    grams = set()
    for run in _CJK.findall(key):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    grams.update(_stem(w) for w in _WORD.findall(key) if w not in STOP_WORDS)
    return frozenset(grams)


# Cached by key: a claim is compared with every one of its few hundred candidates.
_key_features = lru_cache(maxsize=4096)(_features_of_key)


def _stem(word: str) -> str:
    # Plural and possessive forms of the English summaries count as one word.
    word = word.rstrip("’'")
    for ending in ("'s", "’s", "ies", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def distinctive_terms(claim: Claim, count: int = 3) -> list[str]:
    """Return a few words of a claim's scope and summary unlikely to occur in every claim."""
    words = _WORD.findall((claim.scope + " " + claim.summary).lower())
    words = sorted({w for w in words if w not in STOP_WORDS and len(w) >= 6}, key=len)
    return words[::-1][:count]


def _jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    # The union's size from the intersection's: no union built, for a queue or a lineage
    # compares claims by the hundred thousand.
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


# Whose quantity a scope measures: 'investment in the US AI industry' and 'investment in
# China's AI industry' share every other word but are never the same scope.
PLACES = {
    "us": "us",
    "u.s": "us",
    "american": "us",
    "america": "us",
    "united": "us",
    "china": "china",
    "china's": "china",
    "chinese": "china",
    "mainland": "china",
    "taiwan": "taiwan",
    "taiwan's": "taiwan",
    "hong": "hong kong",
    "global": "world",
    "world": "world",
    "world's": "world",
    "europe": "europe",
    "eu": "europe",
}


def _scope_words(claim: Claim) -> set[str]:
    return {w for w in _WORD.findall(claim.scope.lower()) if w not in STOP_WORDS}


def _places(claim: Claim) -> set[str]:
    words = re.findall(r"[a-z.'’]+", claim.scope.lower().replace("’", "'"))
    return {PLACES[w] for w in words if w in PLACES}


def same_scope(a: Claim, b: Claim) -> bool:
    """Return whether two scopes measure the same thing of the same place."""
    return _places(a) == _places(b) and _jaccard(_scope_words(a), _scope_words(b)) >= 0.5


# Candidates.


def _value_band_filter(claim: Claim) -> Q | None:
    """Return a filter for values of the claim's unit family within BAND of its value."""
    if claim.value is None or claim.value <= 0:
        return None
    family = family_of(claim.unit)
    if family == "currency":
        usd = on_axis(claim)
        if usd is None:
            return None
        band = Q()
        for code in CURRENCIES:
            rate = Decimal(1) if code == "USD" else rate_for(code, rate_year(claim)).per_usd
            band |= Q(
                unit=code,
                value__gte=usd.value * rate / BAND,
                value__lte=usd.value * rate * BAND,
            )
        return band
    if family in ("other", "year"):
        return None
    return Q(unit=claim.unit, value__gte=claim.value / BAND, value__lte=claim.value * BAND)


def linked_ids(claim: Claim) -> set[int]:
    """Return the ids of the claims a cross-reference links to `claim`."""
    return _other_ends(_linked_pairs([claim.pk]), pks=[claim.pk])[claim.pk]


def _linked_pairs(pks: list[int]):
    return (
        CrossReference.objects.filter(Q(from_claim_id__in=pks) | Q(to_claim_id__in=pks))
        .order_by()
        .values_list("from_claim_id", "to_claim_id")
    )


def _dismissed_pairs(pks: list[int]):
    return (
        SuggestionDismissal.objects.filter(Q(claim_low_id__in=pks) | Q(claim_high_id__in=pks))
        .order_by()
        .values_list("claim_low_id", "claim_high_id")
    )


def _other_ends(*pair_lists, pks: list[int]) -> dict[int, set[int]]:
    """Return, for each of `pks`, the other end of every pair it is one end of."""
    others: dict[int, set[int]] = {pk: set() for pk in pks}
    for pairs in pair_lists:
        for a, b in pairs:
            for end, other in ((a, b), (b, a)):
                if end in others and other != end:
                    others[end].add(other)
    return others


def candidate_ids(claim: Claim, origin: Origin | None) -> set[int]:
    """Return the ids of a bounded set of claims that may bear on `claim`."""
    others = Claim.objects.exclude(pk=claim.pk)
    predicates = []

    def take(queryset):
        # The newest, in a stated order: taken as the database found them, a large table's
        # scans began where another had got to, and the queue changed on every reload.
        predicates.append(queryset.order_by("-pk").values_list("pk", flat=True)[:PER_PREDICATE])

    take(others.filter(source_id=claim.source_id))
    if origin is not None:
        predicates.append(
            ClaimOrigin.objects.filter(origin=origin)
            .exclude(claim_id=claim.pk)
            .order_by("-claim_id")
            .values_list("claim_id", flat=True)[:PER_PREDICATE]
        )
    if claim.attributed_to:
        take(others.filter(attributed_to=claim.attributed_to))
    band = _value_band_filter(claim)
    if band is not None:
        take(others.filter(band))
    topic_ids = [topic.pk for topic in claim.topics.all()]
    if topic_ids and claim.value is not None:
        take(others.filter(topics__in=topic_ids, unit=claim.unit))
    elif topic_ids:
        # A claim without a figure ("China publishes more AI papers than the US") bears on
        # its topic's figures and statements alike, and often shares few exact words with
        # them, so its topics alone make candidates.
        take(others.filter(topics__in=topic_ids))
    for term in distinctive_terms(claim):
        take(matching(others, term, keys=("search_key",)))
    return _ids_found(predicates)


def _ids_found(predicates: list) -> set[int]:
    """Return the ids the predicates' querysets give, in one query where the database takes
    each one's first rows within a union (PostgreSQL): asked one by one, the queue's forty
    claims' predicates cost two hundred round trips."""
    if len(predicates) > 1 and connection.features.supports_slicing_ordering_in_compound:
        return set(predicates[0].union(*predicates[1:], all=True))
    return {pk for predicate in predicates for pk in predicate}


# Scoring.


def _periods(claim: Claim) -> tuple[int, int] | None:
    start = claim.period_start or claim.period_end
    end = claim.period_end or claim.period_start
    return (start, end) if start else None


def _period_text(period) -> str:
    if period is None:
        return _("no period")
    return str(period[0]) if period[0] == period[1] else f"{period[0]}–{period[1]}"


def compare_pair(
    claim: Claim,
    other: Claim,
    *,
    origin=None,
    other_origin=None,
    topics: tuple[set[str], set[str]] | None = None,
    features: tuple[frozenset[str], frozenset[str]] | None = None,
    explain: bool = True,
) -> Suggestion:
    """Return how `other` bears on `claim`: a score, a proposed relation and the reasons.

    `topics` and `features`, the two claims' topic names and `text_features`, when the
    caller has them already. Without `explain`, no reasons: a queue scores thousands of
    candidates to keep a few, and putting every reason into words cost a third of it.
    """
    score, reasons = 0.0, []

    def note(message: str, **values) -> None:
        # A reason as its message and values, put into words at the end if asked for.
        reasons.append((message, values))

    # What the two claims are about: the origin they cite, their topics and their words.
    subject = 0.0
    same_origin = shared_origin(claim, other, origin, other_origin)
    if same_origin:
        subject += 3
        note(gettext_noop("same cited origin: %(origin)s"), origin=same_origin)
    if claim.source_id == other.source_id:
        score += 0.5
        note(gettext_noop("same article"))
    if topics is None:
        topics = ({t.name for t in claim.topics.all()}, {t.name for t in other.topics.all()})
    shared_topics = topics[0] & topics[1]
    if shared_topics:
        subject += min(len(shared_topics), 2)
        note(gettext_noop("shared topics: %(topics)s"), topics=tuple(sorted(shared_topics)))
    if features is None:
        features = (text_features(claim), text_features(other))
    words = _jaccard(*features)
    if words >= 0.05:
        subject += 12 * words
        note(gettext_noop("shared subject words (%(share)d%%)"), share=round(words * 100))
    score += subject

    period, other_period = _periods(claim), _periods(other)
    same_period = period == other_period
    overlapping = False
    if period and other_period:
        if same_period:
            score += 1.5
            note(gettext_noop("same period: %(period)s"), period=_period_text(period))
        elif period[0] <= other_period[1] and other_period[0] <= period[1]:
            score += 1
            overlapping = True
            note(
                gettext_noop("overlapping periods: %(a)s and %(b)s"),
                a=_period_text(period),
                b=_period_text(other_period),
            )
    scopes_alike = same_scope(claim, other)

    relation, pair_ratio = CrossReference.Relation.RELATED, None
    both_figures = claim.value is not None and other.value is not None
    family = family_of(claim.unit)
    if both_figures and family == family_of(other.unit) and family not in ("other", "year"):
        score += 1
        note(gettext_noop("same unit family: %(family)s"), family=family_label(family))
        a, b = on_axis(claim), on_axis(other)
        converted = a.rate is not None or b.rate is not None
        if a.value and b.value:
            pair_ratio = ratio(max(a.value, b.value), min(a.value, b.value))
            if pair_ratio is not None and pair_ratio <= BAND:
                score += 1
        equal = claim.unit == other.unit and same_written_figure(claim, other)
        equal_converted = (
            not equal and converted and equal_within_rounding(a.value, b.value, converted=True)
        )
        # Equal values are one figure only when the claims measure the same thing: 10% of one
        # quantity is not 10% of another, nor 9,623 companies ten thousand chips. Periods
        # stated apart never are; alike scopes are, even if one claim leaves its period
        # unstated; other scopes must share enough of what they are about (origin, topics,
        # words) over periods that agree, both stated or neither.
        periods_apart = bool(period and other_period) and not (same_period or overlapping)
        same_thing = not periods_apart and (
            scopes_alike or ((same_period or overlapping) and subject >= SAME_SUBJECT_POINTS)
        )
        if equal and same_thing:
            relation = CrossReference.Relation.SAME_FIGURE
            score += 4
            note(gettext_noop("values equal within rounding"))
        elif equal_converted and same_thing:
            relation = CrossReference.Relation.SAME_FIGURE
            score += 3
            note(gettext_noop("values equal once converted"))
        elif same_period and scopes_alike:
            relation = CrossReference.Relation.CONTRADICTS
            note(gettext_noop("same scope and period, values differ"))
        else:
            relation = CrossReference.Relation.DIFFERENT_SCOPE
            # Overlapping periods were named above; "periods differ" beside them read as
            # a contradiction of the reasons themselves.
            if same_period:
                note(gettext_noop("scopes differ"))
            elif not overlapping:
                note(gettext_noop("periods differ"))
            if equal or equal_converted:
                note(gettext_noop("values equal, but not shown to measure the same thing"))
        if pair_ratio is not None:
            note(gettext_noop("ratio %(ratio)s×"), ratio=pair_ratio)
    elif words >= 0.2 or same_origin:
        relation = CrossReference.Relation.SUPPORTS
    return Suggestion(
        claim=other,
        relation=relation,
        score=round(score, 2),
        reasons=[_(message) % _in_words(values) for message, values in reasons] if explain else [],
        ratio=pair_ratio,
    )


def crossref_suggestions(*, claim: Claim, limit: int = 5) -> list[Suggestion]:
    """Return claims that bear on the same quantity as `claim`, best first, with reasons.

    Claims already linked to it and pairs an editor dismissed are left out.
    """
    return crossref_suggestions_for([claim], limit=limit)[claim.pk]


def crossref_suggestions_for(claims: list[Claim], *, limit: int = 5) -> dict[int, list[Suggestion]]:
    """Return each claim's suggestions by its id, as `crossref_suggestions` gives them.

    What the claims share is read once for all of them: the origins, their links to
    them, their topics, the claims linked to each or dismissed for it, and every
    candidate with its topics, however many of the claims it is a candidate for. The
    queue gathers forty claims' suggestions; asked for claim by claim, the same
    candidates were read, with their sources, once for each claim that found them.
    """
    return suggestions_and_shortlists(claims, limit=limit)[0]


def suggestions_and_shortlists(
    claims: list[Claim], *, limit: int, shortlists: dict[int, list[int]] | None = None
) -> tuple[dict[int, list[Suggestion]], dict[int, list[int]]]:
    """Return each claim's suggestions, as `crossref_suggestions_for` does, and the
    shortlists made on the way: for each claim not in `shortlists`, the ids of its best
    SHORTLIST_LENGTH candidates, best first.

    A claim in `shortlists` is scored against the claims its shortlist names (those still
    there) in place of looking for candidates: finding and scoring a claim's hundred
    candidates is most of a suggestion's time, and scoring ten again keeps what is shown
    as the claims are now.
    """
    if not claims:
        return {}, {}
    shortlists = shortlists or {}
    pks = [claim.pk for claim in claims]
    excluded = _other_ends(_linked_pairs(pks), _dismissed_pairs(pks), pks=pks)
    scoring = _Scoring(claims)
    candidates = {
        claim.pk: (
            set(shortlists[claim.pk])
            if claim.pk in shortlists
            else candidate_ids(claim, scoring.origin_of(claim))
        )
        - excluded[claim.pk]
        for claim in claims
    }
    scoring.load(set().union(*candidates.values()))
    found, made = {}, {}
    for claim in claims:
        scored = scoring.scored(claim, candidates[claim.pk])
        if claim.pk not in shortlists:
            made[claim.pk] = [suggestion.claim.pk for suggestion in scored[:SHORTLIST_LENGTH]]
        found[claim.pk] = scoring.explained(claim, scored[:limit])
    scoring.whole([suggestion for suggestions in found.values() for suggestion in suggestions])
    return found, made


def current_shortlists(claims: list[Claim]) -> dict[int, list[int]]:
    """Return the kept shortlists (SuggestionShortlist) of those of `claims` whose lists are
    current: made by this code, since the claim last changed, and within
    HECHA_SUGGESTION_SHORTLIST_SECONDS, after which claims added or changed since may have
    joined its best candidates."""
    seconds = settings.HECHA_SUGGESTION_SHORTLIST_SECONDS
    if not claims or not seconds:
        return {}
    made_after = timezone.now() - timedelta(seconds=seconds)
    updated = {claim.pk: claim.updated_at for claim in claims}
    kept = SuggestionShortlist.objects.filter(
        among("claim_id", list(updated)), made_at__gt=made_after, made_by_code=code_version()
    ).values_list("claim_id", "claim_ids", "made_at")
    return {pk: ids for pk, ids, made_at in kept if made_at >= updated[pk]}


def ranked_candidates(*, claim: Claim, exclude: set[int], limit: int) -> list[Suggestion]:
    """Return the best-scored candidates for `claim`, leaving out the ids in `exclude`."""
    scoring = _Scoring([claim])
    ids = candidate_ids(claim, scoring.origin_of(claim)) - exclude
    scoring.load(ids)
    suggestions = scoring.ranked(claim, ids, limit=limit)
    scoring.whole(suggestions)
    return suggestions


class _Scoring:
    """What scoring a set of claims' candidates needs, each part read once."""

    def __init__(self, claims: list[Claim]):
        self.origins = list(Origin.objects.all())
        self.by_pk = {origin.pk: origin for origin in self.origins}
        links = ClaimOrigin.objects.filter(claim_id__in=[claim.pk for claim in claims])
        links = {link.claim_id: link for link in links.select_related("origin")}
        # Each claim's origin worked out once: its candidates are found by it, then scored.
        self.cited = {
            claim.pk: _origin_cited(claim, links.get(claim.pk), self.origins) for claim in claims
        }
        # The claims' own topics and words are read once, not once per candidate they are
        # compared with.
        prefetch_related_objects(claims, "topics")
        self.own = {
            claim.pk: ({topic.name for topic in claim.topics.all()}, text_features(claim))
            for claim in claims
        }
        self.candidates: dict[int, Claim] = {}
        self.topics_of: dict[int, set[str]] = {}
        self.features: dict[int, frozenset[str]] = {}

    def origin_of(self, claim: Claim) -> Origin | None:
        """Return the origin one of the claims cites, as `origin_of` does."""
        return self.cited[claim.pk]

    def load(self, ids: set[int]) -> None:
        """Read the candidates `ids` and their topics, in one query each."""
        if not ids:
            return
        self.candidates = {
            other.pk: other
            for other in Claim.objects.filter(among("id", ids))
            .select_related("source", "origin_link")
            # Thousands of candidates are scored and a few kept: only what scoring reads, the
            # kept ones read whole after (`whole`). Made whole, the queue's candidates cost
            # more to build than to score.
            .only(*SCORED_FIELDS)
        }
        # Each candidate's words worked out once, however many claims it is scored for, and
        # kept here: a queue's thousands would push the claims' own out of text_features'
        # cache.
        self.features = {
            pk: _features_of_key(_own_key(other)) for pk, other in self.candidates.items()
        }
        # Topics are few: their names by id, and each candidate's as ids, in one light query.
        topic_names = dict(Topic.objects.values_list("pk", "name"))
        links = Claim.topics.through.objects.filter(among("claim_id", ids))
        for claim_id, topic_id in links.values_list("claim_id", "topic_id"):
            self.topics_of.setdefault(claim_id, set()).add(topic_names[topic_id])

    def _origin_of_candidate(self, other: Claim) -> Origin | None:
        link = getattr(other, "origin_link", None)
        return self.by_pk.get(link.origin_id) if link is not None else None

    def ranked(self, claim: Claim, ids: set[int], *, limit: int) -> list[Suggestion]:
        """Return the best-scored of the candidates `ids` (read by `load`) for `claim`."""
        return self.explained(claim, self.scored(claim, ids)[:limit])

    def scored(self, claim: Claim, ids: set[int]) -> list[Suggestion]:
        """Return the candidates `ids` (read by `load`) worth suggesting for `claim`, best
        first, without their reasons."""
        candidates = [self.candidates[pk] for pk in ids if pk in self.candidates]
        # Hundreds of candidates are scored and a handful kept: only those are explained.
        suggestions = [self._compared(claim, other, explain=False) for other in candidates]
        suggestions = [s for s in suggestions if s.score >= 1.5]
        suggestions.sort(key=lambda s: (-s.score, s.claim.pk))
        return suggestions

    def explained(self, claim: Claim, suggestions: list[Suggestion]) -> list[Suggestion]:
        """Return the suggestions scored for `claim` again, with their reasons."""
        return [self._compared(claim, s.claim, explain=True) for s in suggestions]

    def _compared(self, claim: Claim, other: Claim, *, explain: bool) -> Suggestion:
        return compare_pair(
            claim,
            other,
            origin=self.origin_of(claim),
            other_origin=self._origin_of_candidate(other),
            topics=(self.own[claim.pk][0], self.topics_of.get(other.pk, set())),
            features=(self.own[claim.pk][1], self.features[other.pk]),
            explain=explain,
        )

    @staticmethod
    def whole(suggestions: list[Suggestion]) -> None:
        """Give the suggestions their claims with every field and their sources, in one query,
        for the pages that show them."""
        pks = {suggestion.claim.pk for suggestion in suggestions}
        if not pks:
            return
        claims = Claim.objects.filter(among("id", pks)).select_related("source")
        by_pk = {claim.pk: claim for claim in claims.defer("source__text", "source__search_key")}
        for suggestion in suggestions:
            suggestion.claim = by_pk[suggestion.claim.pk]


# Lineage.


@dataclass
class Rendition:
    """One claim in the lineage of an origin's figure, and how it departs from the primary."""

    claim: Claim
    primary: Claim | None
    mutations: list[str] = field(default_factory=list)
    suggested_relation: str = ""

    @property
    def is_primary(self) -> bool:
        return self.primary is None or self.primary.pk == self.claim.pk

    @property
    def suggested_relation_label(self):
        """The suggested relation as the reader's language names it."""
        return CrossReference.Relation(self.suggested_relation).label


def mutations_between(primary: Claim, claim: Claim) -> tuple[list[str], str]:
    """Return how a rendition changed the primary figure, and the link it suggests."""
    changes = []
    if claim.unit != primary.unit:
        changes.append(_("unit %(a)s → %(b)s") % {"a": primary.unit, "b": claim.unit})
    if claim.value != primary.value:
        a, b = on_axis(primary), on_axis(claim)
        if claim.unit == primary.unit and same_written_figure(primary, claim):
            changes.append(_("rounded"))
        elif (
            a
            and b
            and a.rate is not None
            and equal_within_rounding(a.value, b.value, converted=True)
        ):
            changes.append(_("converted"))
        else:
            changes.append(_("different value"))
    if _periods(claim) != _periods(primary):
        changes.append(
            _("period %(a)s → %(b)s")
            % {"a": _period_text(_periods(primary)), "b": _period_text(_periods(claim))}
        )
    if not same_scope(primary, claim):
        changes.append(_("scope changed"))
    if not changes or changes == [_("rounded")] or changes == [_("converted")]:
        relation = ""
    elif _("different value") in changes and len(changes) == 1:
        relation = CrossReference.Relation.CONTRADICTS
    else:
        relation = CrossReference.Relation.DIFFERENT_SCOPE
    return changes, relation


# What tracing a lineage reads of each claim citing the origin: its figure, its words and
# its article's date (their order). The claims a page shows are read whole, and their
# mutations worked out from them.
TRACED_FIELDS = ("value", "unit", "search_key", "source__published_on")


@dataclass(frozen=True)
class _TracedClaim:
    """A claim citing an origin, as a trace reads it (TRACED_FIELDS)."""

    pk: int
    value: Decimal | None
    unit: str
    search_key: str
    published: date | None


def lineage(*, origin: Origin, primary: Claim | None = None) -> Lineage:
    """Return every claim citing an origin, oldest first, each against the figure it renders.

    A claim's primary is the earliest claim of the same unit family with a like scope; with
    `primary` given, only the renditions of that figure are returned. A figure attributed to
    the origin that no other rendition states is marked as such.
    """
    return Lineage(origin=origin, primary=primary)


class Lineage(Sequence):
    """An origin's lineage: traced on the few fields it compares, its renditions made whole a
    slice at a time. A page of a lineage reads and draws its own hundred claims, not every
    claim citing the origin (the State Council, in 3,507 of a million: 0.47 s to read them
    whole).

    The trace (which claim renders which primary) is kept in the cache under a digest of
    every value it read, as core.fragments keeps a drawn part: any change to a citing
    claim, or to the primary traced from, makes another key, so a kept trace is never stale.
    """

    def __init__(self, *, origin: Origin, primary: Claim | None = None):
        self._primary = primary
        claims = Claim.objects.filter(origin_link__origin=origin)
        values = list(claims.order_by("pk").values_list("pk", *TRACED_FIELDS))
        key = _trace_key(origin, primary, values)
        kept = cache.get(key) if key else None
        if kept is None:
            traced = sorted(
                (_TracedClaim(*row) for row in values),
                key=lambda claim: (claim.published is None, claim.published, claim.pk),
            )
            kept = _traced(traced, primary)
            if key:
                cache.set(key, kept, settings.HECHA_FRAGMENT_CACHE_SECONDS)
        # Each rendition in order: its claim's id and that of the primary it renders (None
        # for a primary); and the primaries no other claim renders, when there are several.
        self._steps, self._alone = kept

    def __len__(self) -> int:
        return len(self._steps)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._renditions(self._steps[index])
        return self._renditions([self._steps[index]])[0]

    def __iter__(self):
        return iter(self[:])

    def _renditions(self, steps: list[tuple[int, int | None]]) -> list[Rendition]:
        """Return the renditions of `steps`, their claims and primaries read whole in one
        query."""
        if not steps:
            return []
        claims = (
            Claim.objects.filter(among("id", {pk for step in steps for pk in step if pk}))
            .select_related("source")
            # Their articles' texts are not shown.
            .defer("source__text", "source__search_key")
            .prefetch_related("topics")
        )
        whole = {claim.pk: claim for claim in claims}
        if self._primary is not None:
            whole.setdefault(self._primary.pk, self._primary)
        renditions = []
        for pk, match_pk in steps:
            claim, match = whole.get(pk), whole.get(match_pk)
            if claim is None or (match_pk is not None and match is None):
                continue  # retracted since the trace was read
            if match is None:
                rendition = Rendition(claim=claim, primary=None)
                if pk in self._alone:
                    rendition.mutations.append(_("stated by no other rendition of this origin"))
            else:
                changes, relation = mutations_between(match, claim)
                rendition = Rendition(
                    claim=claim, primary=match, mutations=changes, suggested_relation=relation
                )
            renditions.append(rendition)
        return renditions


def _trace_key(origin: Origin, primary: Claim | None, values: list[tuple]) -> str | None:
    """Return the cache key of a trace of these values, or None when nothing is kept."""
    if not settings.HECHA_FRAGMENT_CACHE_SECONDS:
        return None
    traced_from = None
    if primary is not None:
        traced_from = (primary.pk, *(_traced_value(primary, name) for name in TRACED_FIELDS))
    digest = hashlib.blake2b(digest_size=16)
    digest.update(code_version().encode())
    digest.update(repr((origin.pk, traced_from, values)).encode())
    return f"lineage:{digest.hexdigest()}"


def _traced_value(claim: Claim, name: str):
    if name == "source__published_on":
        return claim.source.published_on
    return getattr(claim, name)


def _traced(claims: list[_TracedClaim], primary: Claim | None) -> tuple[list, set[int]]:
    """Return which claim renders which primary, in order, as ids, and the primaries no
    other claim renders (when there are several and no `primary` was given)."""
    steps: list[tuple[int, int | None]] = []
    primaries: list[_TracedClaim] = []
    # The primaries of each unit family, in order: a claim is compared with its own family's
    # alone (thousands of claims citing one origin compared each with every primary before).
    primaries_of: dict[str, list[tuple[_TracedClaim, frozenset[str]]]] = {}
    match_features = text_features(primary) if primary is not None else frozenset()
    for claim in claims:
        if claim.value is None:
            continue
        family, features = family_of(claim.unit), text_features(claim)
        match = primary
        if match is None:
            # The first of the family's primaries whose words it shares.
            for candidate, candidate_features in primaries_of.get(family, ()):
                if _jaccard(features, candidate_features) >= 0.15:
                    match = candidate
                    break
        elif family_of(match.unit) != family or (
            claim.pk != match.pk and _jaccard(match_features, features) < 0.15
        ):
            continue
        if match is None:
            primaries.append(claim)
            primaries_of.setdefault(family, []).append((claim, features))
        steps.append((claim.pk, None if match is None or claim.pk == match.pk else match.pk))
    alone: set[int] = set()
    if primary is None and len(primaries) > 1:
        rendered = {match for _, match in steps if match is not None}
        alone = {claim.pk for claim in primaries if claim.pk not in rendered}
    return steps, alone
