"""Writes of claims: what a source says, anchored by its exact quote, with its figure."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Required, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from claims.models import Claim, Topic, claim_rules
from claims.search import claim_search_key
from claims.services.topics import topics_from
from core.validation import values_check
from core.versioning import check_version
from sources.anchors import Anchor, QuoteNotFound, locate_quote, reanchor
from sources.models import Source

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
# What a confirmation that the figure differs from its text as written is about.
CONFIRMED_FIGURE_FIELDS = ("figure_text", "value", "value_lower", "value_upper", "hedge", "unit")
CLAIM_EDITABLE_FIELDS = ("quote", "summary", "attributed_to", *FIGURE_FIELDS)
# Free text that is kept without the white space typed around it.
TRIMMED_FIELDS = ("summary", "attributed_to", "figure_text", "scope")


class ClaimChanges(TypedDict, total=False):
    """What claim_update can change; a field left out stays as it is."""

    quote: str
    summary: str
    attributed_to: str
    figure_text: str
    value: Decimal | None
    value_lower: Decimal | None
    value_upper: Decimal | None
    hedge: str
    unit: str
    period_start: int | None
    period_end: int | None
    scope: str


def _anchor_claim(claim: Claim, *, start: int | None = None, occurrence: int = 1) -> None:
    try:
        anchor = locate_quote(claim.source.text, claim.quote, start=start, occurrence=occurrence)
    except QuoteNotFound as error:
        raise ValidationError(
            {
                "quote": _("The quote is not in the text of “%(source)s”: %(reason)s.")
                % {"source": claim.source, "reason": error}
            },
            code="quote_not_found",
        ) from error
    claim.quote_start, claim.quote_end = anchor.start, anchor.end
    claim.quote_prefix, claim.quote_suffix = anchor.prefix, anchor.suffix
    claim.is_anchored = True


class NewClaim(ClaimChanges, total=False):
    """What claim_build and claim_create take besides the acting user (and topics)."""

    source: Required[Source]
    # Where the quote stands: the offset a reader selected, else its occurrence-th place.
    start: int | None
    occurrence: int
    # The acting user confirms that the figure differs from its text as written on
    # purpose (see claims.proposals.figure_disagreements).
    figure_confirmed: bool
    # For imports: the id the claim had where it was exported, and, for a claim flagged
    # unanchored there, the place where its quote last stood.
    public_id: uuid.UUID | None
    lost_anchor: Anchor | None


# The model fields a new claim takes as given; the rest are anchoring and bookkeeping.
_GIVEN_FIELDS = ("summary", "attributed_to", *FIGURE_FIELDS)


def claim_values(*, created_by_id: int | None, **fields) -> dict:
    """Return a new claim's own fields by name as claim_build takes them, trimmed.

    `fields` are claim_build's but the source and the anchoring; a field left out takes
    its default. Not anchored, keyed or checked: claim_build does that, and an import,
    which checks its rows as plain values (claim_check), anchors and keys them itself.
    """
    values = {name: fields[name] if name in fields else _DEFAULTS[name] for name in _GIVEN_FIELDS}
    for name in TRIMMED_FIELDS:
        values[name] = values[name].strip()
    values["quote"] = fields.get("quote", "")
    values["created_by_id"] = created_by_id
    if fields.get("public_id") is not None:
        values["public_id"] = fields["public_id"]
    return values


def claim_anchor(values: dict, anchor: Anchor, *, anchored: bool = True) -> dict:
    """Put a claim's quote at `anchor`; a claim not `anchored` keeps it as its last place."""
    values["quote_start"], values["quote_end"] = anchor.start, anchor.end
    values["quote_prefix"], values["quote_suffix"] = anchor.prefix, anchor.suffix
    values["is_anchored"] = anchored
    return values


def claim_check(values: dict) -> dict:
    """Check a new claim's fields by name: each field's rules and the claim's own.

    What claim_build checks without a query, for imports that check rows as plain values;
    relations are the database's to check. Return the values the fields read differently.
    """
    return values_check(
        Claim, {name: values[name] for name in _CHECKED if name in values}, claim_rules
    )


def _default_of(name: str):
    return Claim._meta.get_field(name).get_default()


_DEFAULTS = {name: _default_of(name) for name in _GIVEN_FIELDS}
# What claim_check checks: the fields given and the anchor. The rest are relations, left to
# the database, or made by the services (the key, the times, the tally).
_CHECKED = (
    "public_id",
    "quote",
    "quote_start",
    "quote_end",
    "quote_prefix",
    "quote_suffix",
    "is_anchored",
    *_GIVEN_FIELDS,
)


def claim_build(*, user: AbstractBaseUser, **fields: Unpack[NewClaim]) -> Claim:
    """Return a new claim anchored in its source's text, checked without a query, unsaved.

    Without `start` the `occurrence`-th appearance of the quote (the first by default) is
    anchored. The checks are the claim's own fields and rules and its quote at its place
    in `source.text`. A claim with a `lost_anchor` keeps that place and stays flagged
    unanchored, as `claims_reanchor` left it.
    """
    source = fields["source"]
    values = claim_values(created_by_id=None, **fields)
    del values["created_by_id"]
    claim = Claim(source=source, source_published_on=source.published_on, created_by=user)
    lost_anchor = fields.get("lost_anchor")
    if lost_anchor is None:
        claim.quote = values["quote"]
        _anchor_claim(claim, start=fields.get("start"), occurrence=fields.get("occurrence", 1))
        anchor = Anchor(claim.quote_start, claim.quote_end, claim.quote_prefix, claim.quote_suffix)
        claim_anchor(values, anchor)
    else:
        claim_anchor(values, lost_anchor, anchored=False)
    values.update(claim_check(values))
    for name, value in values.items():
        setattr(claim, name, value)
    if fields.get("figure_confirmed"):
        claim.figure_confirmed_by, claim.figure_confirmed_at = user, timezone.now()
    claim.search_key = claim_search_key(claim)
    return claim


@transaction.atomic
def claim_create(
    *,
    user: AbstractBaseUser,
    topics: Iterable[Topic | str] = (),
    **fields: Unpack[NewClaim],
) -> Claim:
    """Record a claim a source makes; its quote must stand in the source's text.

    `topics` are Topic objects or slugs; the other arguments are claim_build's.
    """
    claim = claim_build(user=user, **fields)
    # What claim_build left to the database: the public id not taken.
    claim.validate_unique()
    claim.validate_constraints()
    topic_list = topics_from(topics)
    claim._history_user = user
    claim.save()
    claim.topics.set(topic_list)
    _link_cited_origins([claim])
    return claim


def _link_cited_origins(claims: list[Claim]) -> None:
    # Cited origins (CSET, 國務院) are records of the compare app, which builds on this one;
    # linking in the same transaction puts a new claim in its origin's lineage and among its
    # suggestions at once, instead of after the next alias edit.
    from compare.services import claim_origins_link

    claim_origins_link(claims=claims)


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    user: AbstractBaseUser,
    expected_version: int,
    start: int | None = None,
    occurrence: int = 1,
    topics: Iterable[Topic | str] | None = None,
    figure_confirmed: bool = False,
    **changes: Unpack[ClaimChanges],
) -> Claim:
    """Change what a claim says; a changed quote is anchored again in its source.

    `expected_version` is the version the editor started from; if someone saved in
    between, the edit is refused with EditConflict instead of overwriting theirs, and
    without one (None from a form that lacked it) it is refused as well.

    `figure_confirmed` records `user` as confirming that the figure differs from its text as
    written on purpose; a figure changed without it loses an earlier confirmation, which was
    of other numbers.
    """
    unknown = set(changes) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"claim_update() got unexpected fields: {', '.join(sorted(unknown))}")
    claim = Claim.objects.select_for_update().select_related("source").get(pk=claim.pk)
    check_version(claim, expected_version, CLAIM_EDITABLE_FIELDS)
    for name in TRIMMED_FIELDS:
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    changed = {name: value for name, value in changes.items() if getattr(claim, name) != value}
    moved = start is not None and start != claim.quote_start
    topic_list = None if topics is None else topics_from(topics)
    topics_changed = topic_list is not None and {t.pk for t in topic_list} != set(
        claim.topics.values_list("pk", flat=True)
    )
    figure_changed = any(name in CONFIRMED_FIGURE_FIELDS for name in changed)
    confirming = figure_confirmed and (figure_changed or claim.figure_confirmed_at is None)
    if not changed and not moved and not topics_changed and not confirming:
        return claim
    for name, value in changed.items():
        setattr(claim, name, value)
    if confirming:
        claim.figure_confirmed_by, claim.figure_confirmed_at = user, timezone.now()
    elif figure_changed:
        claim.figure_confirmed_by = claim.figure_confirmed_at = None
    if "quote" in changed or moved:
        _anchor_claim(claim, start=start, occurrence=occurrence)
    if "quote" in changed:
        _mark_for_recheck(claim, gettext_noop("the quote was edited"))
    elif figure_changed:
        _mark_for_recheck(claim, gettext_noop("the figure was edited"))
    elif {"period_start", "period_end"} & set(changed):
        # What the figure is of, not the figure: a verdict may still hold, a reviewer says.
        _mark_for_recheck(claim, gettext_noop("the period was edited"))
    elif "scope" in changed:
        _mark_for_recheck(claim, gettext_noop("the scope was edited"))
    claim.search_key = claim_search_key(claim)
    claim.version += 1
    claim.full_clean()
    claim._history_user = user
    claim.save()
    if topics_changed:
        claim.topics.set(topic_list)
    if "attributed_to" in changed:
        _link_cited_origins([claim])
    return claim


@transaction.atomic
def claims_refresh_search_keys(*, source: Source) -> int:
    """Write the search keys of a source's claims again, which hold its title.

    A key is not an edit of the claim: no history entry, no version or changed-at bump.
    Return how many keys changed.
    """
    stale = []
    # Retracted claims too, so that one restored is found by its source's current title.
    claims = Claim.all_objects.filter(source=source).only(
        "pk", "search_key", "quote", "summary", "attributed_to", "figure_text", "scope"
    )
    for claim in claims.iterator(chunk_size=1000):
        claim.source = source
        key = claim_search_key(claim)
        if key != claim.search_key:
            claim.search_key = key
            stale.append(claim)
    Claim.all_objects.bulk_update(stale, ["search_key"], batch_size=1000)
    return len(stale)


def _mark_for_recheck(claim: Claim, reason: str) -> None:
    claim.recheck_since, claim.recheck_reason = timezone.now(), reason


def claims_mark_for_recheck(*, claim_ids: Iterable[int], reason: str) -> None:
    """Put claims back before their reviewers: something they judged has changed."""
    Claim.objects.filter(pk__in=list(claim_ids)).update(
        recheck_since=timezone.now(), recheck_reason=reason
    )


@transaction.atomic
def claims_reanchor(*, source: Source, user: AbstractBaseUser) -> list[Claim]:
    """Find each claim's quote again in its source's corrected text.

    A claim whose quote is gone, or stands in several places none of which is its old
    context, is flagged unanchored, never silently moved. Return the claims that changed.
    """
    changed = []
    # Retracted claims too, so that one restored stands where its quote now is.
    for claim in Claim.all_objects.select_for_update().filter(source=source):
        anchor = reanchor(
            source.text,
            quote=claim.quote,
            prefix=claim.quote_prefix,
            suffix=claim.quote_suffix,
            start=claim.quote_start,
        )
        before = (claim.quote_start, claim.quote_prefix, claim.quote_suffix, claim.is_anchored)
        if anchor is None:
            if claim.is_anchored:
                _mark_for_recheck(
                    claim, gettext_noop("the quote is no longer in the corrected text")
                )
            claim.is_anchored = False
        else:
            if (anchor.prefix, anchor.suffix) != (claim.quote_prefix, claim.quote_suffix):
                _mark_for_recheck(claim, gettext_noop("the text around the quote was corrected"))
            claim.quote_start, claim.quote_end = anchor.start, anchor.end
            claim.quote_prefix, claim.quote_suffix = anchor.prefix, anchor.suffix
            claim.is_anchored = True
        if before != (claim.quote_start, claim.quote_prefix, claim.quote_suffix, claim.is_anchored):
            claim._history_user = user
            claim.save()
            changed.append(claim)
    return changed
