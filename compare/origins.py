"""Recognising a cited origin however an article names it."""

from __future__ import annotations

from core.chinese import search_key


def alias_keys_of(*, name: str, aliases: str) -> str:
    """Return the folded keys of an origin's name and aliases, one a line, longest first."""
    names = [name, *aliases.splitlines()]
    keys = {search_key(text.strip()) for text in names if text.strip()}
    return "\n".join(sorted((key for key in keys if key), key=lambda k: (-len(k), k)))


def match_origin(attributed_to: str, origins) -> object | None:
    """Return the origin whose longest alias the cited-origin text names, or None.

    The text is folded like the aliases, so 乔治城大学安全与新兴技术中心 finds the origin whose
    alias is written 喬治城大學安全與新興技術中心; a longer alias wins, so "Tortoise Media"
    beats an alias "Time" inside another name. Short Latin aliases must match a whole word.
    """
    if not attributed_to or not attributed_to.strip():
        return None
    text = search_key(attributed_to)
    best, best_length = None, 0
    for origin in origins:
        for key in origin.alias_keys.splitlines():
            if len(key) <= best_length or key not in text:
                continue
            if key.isascii() and not _whole_word(text, key):
                continue
            best, best_length = origin, len(key)
    return best


def _whole_word(text: str, key: str) -> bool:
    start = text.find(key)
    while start != -1:
        before = text[start - 1] if start else " "
        after_index = start + len(key)
        after = text[after_index] if after_index < len(text) else " "
        if not (before.isascii() and before.isalnum()) and not (
            after.isascii() and after.isalnum()
        ):
            return True
        start = text.find(key, start + 1)
    return False
