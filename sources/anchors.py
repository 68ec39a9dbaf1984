"""Find a quote in a source's text, in the manner of the W3C TextQuoteSelector.

A claim is anchored by its exact quote, its character offsets, and a little of the text
before and after it. Offsets alone break when a source's text is corrected; the quote and
its context let the claim find its place again, or say honestly that it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

CONTEXT_LENGTH = 32


class QuoteNotFound(ValueError):
    """The quote does not occur in the text where it was looked for."""


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in a text: offsets and the text just around it."""

    start: int
    end: int
    prefix: str
    suffix: str


def occurrences(text: str, quote: str) -> list[int]:
    """Return the start offset of every occurrence of `quote` in `text`, overlaps included."""
    starts, position = [], text.find(quote)
    while quote and position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    return starts


def stands_at(text: str, quote: str, start: int) -> bool:
    """Whether `quote`, not empty, stands in `text` at offset `start`."""
    return bool(quote) and start >= 0 and text[start : start + len(quote)] == quote


def anchor_at(text: str, quote: str, start: int) -> Anchor:
    """Return the anchor of `quote` at `start`, refusing offsets that do not hold the quote."""
    end = start + len(quote)
    if not stands_at(text, quote, start):
        raise QuoteNotFound(_("the text at offset %(start)d is not the quote") % {"start": start})
    return Anchor(
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
    )


def locate_quote(text: str, quote: str, *, start: int | None = None, occurrence: int = 1) -> Anchor:
    """Return the anchor of `quote` in `text`.

    With `start`, the quote must stand exactly there (a reader selected it); otherwise the
    `occurrence`-th appearance is taken, the first by default.
    """
    if not quote:
        raise QuoteNotFound(_("the quote is empty"))
    if start is not None:
        return anchor_at(text, quote, start)
    starts = occurrences(text, quote)
    if not starts:
        raise QuoteNotFound(_("the quote is not in the source's text"))
    if not 1 <= occurrence <= len(starts):
        raise QuoteNotFound(
            _("the quote occurs %(count)d time(s), so occurrence %(occurrence)d does not exist")
            % {"count": len(starts), "occurrence": occurrence}
        )
    return anchor_at(text, quote, starts[occurrence - 1])


def reanchor(text: str, *, quote: str, prefix: str, suffix: str, start: int) -> Anchor | None:
    """Return where a quote stands in a corrected text, or None if it cannot be told.

    The quote itself must still occur. Among its occurrences, those whose surrounding text
    still matches the recorded prefix and suffix win, the nearest to the old offset first;
    a lone occurrence is taken even if its context changed. Several occurrences with none
    in the old context are ambiguous, and the claim is left unanchored rather than moved
    to a guess.
    """
    starts = occurrences(text, quote)
    if not starts:
        return None

    def in_context(position: int) -> bool:
        before = text[max(0, position - len(prefix)) : position]
        after = text[position + len(quote) : position + len(quote) + len(suffix)]
        return before == prefix and after == suffix

    matching = [position for position in starts if in_context(position)]
    if matching:
        return anchor_at(text, quote, min(matching, key=lambda position: abs(position - start)))
    if len(starts) == 1:
        return anchor_at(text, quote, starts[0])
    return None
