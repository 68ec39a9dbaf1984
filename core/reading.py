"""Show article and claim text in the script each reader chose, while storing it as published.

Every page that shows an article's text, a claim's quote or a title goes through this module
(its template tags are in core/templatetags/reading.py), so the choice of script is read,
and text converted, in one place:

- `reading_of(request)` is the script this page is shown in: `?reading=` for one page (the
  "show original" link), else the signed-in user's remembered choice, else the one an
  anonymous visitor made in their session, else as published.
- `convert` converts a text from its own script (`core.chinese.convert_for_reading`) and
  caches short texts, so a list of fifty quotes converts each distinct quote once per process.
- Marks are worked out on the text as published (a claim's offsets, a search's matches) and
  then mapped through the conversion's offset blocks, so they stay on the same words when a
  phrase changes length (U盘 → 隨身碟).

Nothing here changes stored text: what is stored, exported, imported and sent as
ClaimReview is always the text as published.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.chinese import Converted, convert_for_reading, match_spans
from core.models import Reading
from core.selectors import reading_preference

PARAM = "reading"
SESSION_KEY = "reading"
PUBLISHED = Reading.PUBLISHED.value

# Quotes and titles repeat across pages and list rows; passages and whole articles, shown
# one a page, are converted afresh rather than held in memory (at most 4,096 texts of 500
# characters stay cached, a few megabytes).
CACHED_LENGTH = 500


# The language tag of text converted for each choice, for the lang attribute: a font picks
# Traditional or Simplified glyph forms, and a screen reader its voice, by it.
LANGS = {"hant_tw": "zh-Hant-TW", "hant_hk": "zh-Hant-HK", "hans": "zh-Hans"}


def is_reading(value: object) -> bool:
    """Return whether `value` names one of the reading choices."""
    return isinstance(value, str) and value in Reading.values


def requested_reading(request) -> str | None:
    """Return the valid `?reading=` of the request, or None if it has none or a wrong one."""
    value = request.GET.get(PARAM)
    return value if is_reading(value) else None


def chosen_reading(request) -> str:
    """Return the reader's remembered choice, ignoring any `?reading=` of this page."""
    if not hasattr(request, "_hecha_chosen_reading"):
        chosen = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = reading_preference(user)
        session = getattr(request, "session", None)
        if chosen is None and session is not None:
            stored = session.get(SESSION_KEY)
            chosen = stored if is_reading(stored) else None
        request._hecha_chosen_reading = chosen or PUBLISHED
    return request._hecha_chosen_reading


def reading_of(request) -> str:
    """Return the script in which this page shows article and claim text."""
    if request is None:
        return PUBLISHED
    return requested_reading(request) or chosen_reading(request)


def remember_reading(request, reading: str) -> None:
    """Keep an anonymous visitor's choice in their session (users' choices are saved rows)."""
    request.session[SESSION_KEY] = reading
    request._hecha_chosen_reading = reading


@lru_cache(maxsize=4096)
def _cached(text: str, script: str, region: str, target: str) -> Converted:
    return convert_for_reading(text, script=script, region=region, target=target)


def convert(text: str, *, source, target: str) -> Converted:
    """Return `text`, written in the script and region of `source`, converted for `target`."""
    text = "" if text is None else str(text)
    if target == PUBLISHED or not text:
        return Converted(text, False, len(text))
    if len(text) <= CACHED_LENGTH:
        return _cached(text, source.script, source.region, target)
    return convert_for_reading(text, script=source.script, region=source.region, target=target)


def lang_of(source, *, target: str) -> str:
    """Return the language tag of `source`'s text as shown for `target`."""
    if target == PUBLISHED or _already_in(source.script, target):
        return source.lang
    return LANGS[target]


def _already_in(script: str, target: str) -> bool:
    # Text in the target's script is shown as published (core.chinese: no round trips).
    return script == ("hans" if target == "hans" else "hant")


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def map_spans(converted: Converted, spans: Iterable[tuple]) -> list[tuple]:
    """Return spans `(id, start, end)` on the original as the same spans on `converted`."""
    return [(span_id, *converted.map_span(start, end)) for span_id, start, end in spans]


def marked_parts(
    text: str, *, source, target: str, terms: Sequence[str] = ()
) -> list[tuple[str, bool]]:
    """Return `text` converted for `target`, cut into (piece, matched) runs by `terms`.

    The search matches the text as published; its spans are then carried over, so a word
    found is marked in the converted text however the conversion changed its length.
    """
    text = "" if text is None else str(text)
    converted = convert(text, source=source, target=target)
    spans = match_spans(text, list(terms)) if terms else []
    spans = _merge(converted.map_span(start, end) for start, end in spans)
    shown, position, parts = converted.text, 0, []
    for start, end in spans:
        if start > position:
            parts.append((shown[position:start], False))
        parts.append((shown[start:end], True))
        position = end
    if position < len(shown) or not parts:
        parts.append((shown[position:], False))
    return parts


def marked(text: str, *, source, target: str, terms: Sequence[str] = ()) -> SafeString:
    """Return `text` converted for `target` and escaped, the words `terms` found in <mark>."""
    return mark_safe(
        "".join(
            format_html("<mark>{}</mark>", piece) if matched else conditional_escape(piece)
            for piece, matched in marked_parts(text, source=source, target=target, terms=terms)
        )
    )


def passage(
    before: str, quote: str, after: str, *, source, target: str
) -> tuple[str, str, str, bool]:
    """Return a quote's passage converted as one text, cut again around the quote.

    Converting the three pieces together lets a phrase that runs across the quote's edge
    convert as it does in the article; the quote then covers every word it touches. The
    last value says whether anything changed.
    """
    converted = convert(before + quote + after, source=source, target=target)
    start, end = converted.map_span(len(before), len(before) + len(quote))
    shown = converted.text
    return shown[:start], shown[start:end], shown[end:], converted.changed
