"""The layout of the hidden search key stored beside a row's searched text.

A row keeps one key column so that a search is one `LIKE '%term%'` per word on one indexed
column, whatever fields it covers. The key is the `field_key` of each field, joined by
control characters that `search_key` never leaves in a key and that a search term, cut at
white space and folded the same way, can never contain; so no term matches across two
fields, and the separators tell where a match was found:

    lead  LEAD_END  rest FIELD_BREAK rest ...  TAIL_START  tail

A field's key is its `core.chinese.search_key`, and where the alias table rewrote words in
it, LITERAL_START and the field as folded without the table (`core.chinese.keys_of`):
a search for 人工智慧 finds 人工智能 through the first, one for 新創 finds 新創公司 (which
the table makes 初创公司) through the second.

`lead` is what the row is mainly about (a claim's quote, a source's title); `tail` is text
borrowed from a related row (the title of a claim's source), so that one column serves a
search that would otherwise be an OR across a join, which no single index serves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from core.chinese import keys_of

LEAD_END = "\x1e"
FIELD_BREAK = "\x1f"
TAIL_START = "\x1d"
LITERAL_START = "\x1c"


def field_key(text: str) -> str:
    """Return the key one field keeps: its search key, and its literal key where it has one."""
    key, literal = keys_of(text)
    return key if literal is None else key + LITERAL_START + literal


def field_keys(texts: Iterable[str]) -> list[str]:
    """Return the field_key of each text, in order (claims.imports.folding's helper calls it)."""
    return [field_key(text) for text in texts]


def without_literal_keys(key: str) -> str:
    """Return a stored key with each field's literal key left out: its words as searched."""
    return _LITERAL.sub("", key)


def compose_key(
    lead: str,
    rest: Iterable[str] = (),
    tail: str = "",
    *,
    fold: Callable[[str], str] = field_key,
    fold_lead: Callable[[str], str] = field_key,
) -> str:
    """Return the stored key of a row: its lead text, the rest of its fields, borrowed text.

    `fold` folds the rest and the tail, `fold_lead` the lead: field_key, or, for an import
    of many rows whose short fields repeat (a cited origin, a source's title), field_key
    behind a cache.
    """
    return (
        fold_lead(lead)
        + LEAD_END
        + FIELD_BREAK.join(fold(text) for text in rest)
        + TAIL_START
        + fold(tail)
    )


_LITERAL = re.compile(f"{LITERAL_START}[^{LITERAL_START}{LEAD_END}{FIELD_BREAK}{TAIL_START}]*")
