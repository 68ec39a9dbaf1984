"""The layout of the hidden search key stored beside a row's searched text.

A row keeps one key column so that a search is one `LIKE '%term%'` per word on one indexed
column, whatever fields it covers. The key is the `core.chinese.search_key` of each field,
joined by control characters that `search_key` never leaves in a key and that a search
term, cut at white space and folded the same way, can never contain; so no term matches
across two fields, and the separators tell where a match was found:

    lead  LEAD_END  rest FIELD_BREAK rest ...  TAIL_START  tail

`lead` is what the row is mainly about (a claim's quote, a source's title); `tail` is text
borrowed from a related row (the title of a claim's source), so that one column serves a
search that would otherwise be an OR across a join, which no single index serves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.chinese import search_key

LEAD_END = "\x1e"
FIELD_BREAK = "\x1f"
TAIL_START = "\x1d"


def compose_key(
    lead: str,
    rest: Iterable[str] = (),
    tail: str = "",
    *,
    fold: Callable[[str], str] = search_key,
    fold_lead: Callable[[str], str] = search_key,
) -> str:
    """Return the stored key of a row: its lead text, the rest of its fields, borrowed text.

    `fold` folds the rest and the tail, `fold_lead` the lead: search_key, or, for an import
    of many rows whose short fields repeat (a cited origin, a source's title), search_key
    behind a cache.
    """
    return (
        fold_lead(lead)
        + LEAD_END
        + FIELD_BREAK.join(fold(text) for text in rest)
        + TAIL_START
        + fold(tail)
    )
