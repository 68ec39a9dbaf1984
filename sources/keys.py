"""Stable keys for new sources, proposed from what an editor has already typed.

A key names a source in exports, imports and seed files, so it is plain ASCII: the last
words of the article's URL when they say something, else the title in pinyin (Hanyu
Pinyin without tones, which readers of both scripts can type), cut at a word boundary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from django.utils.text import slugify

MAX_LENGTH = 60
# A URL's last segment says something when it has a word in it, not only digits or an id.
_WORDY = re.compile(r"[a-z]{3,}")
_FILE_ENDING = re.compile(r"\.(s?html?|php|aspx?)$", re.IGNORECASE)


def _cut(slug: str) -> str:
    if len(slug) <= MAX_LENGTH:
        return slug
    return slug[:MAX_LENGTH].rsplit("-", 1)[0] or slug[:MAX_LENGTH]


def _from_url(url: str) -> str:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if not segments:
        return ""
    slug = slugify(_FILE_ENDING.sub("", unquote(segments[-1])))
    return slug if _WORDY.search(slug) else ""


def _from_title(title: str) -> str:
    # Imported here: loading pypinyin's dictionaries takes a quarter to a third of a second,
    # which every process paid at start-up (each command, each web worker) though only a
    # new source without a wordy URL needs them.
    from pypinyin import lazy_pinyin

    return slugify(" ".join(lazy_pinyin(title)))


def propose_key(*, title: str, url: str = "", taken: Callable[[str], bool]) -> str:
    """Return a key for a new source that `taken` does not already know, or '' if none."""
    base = _cut(_from_url(url) or _from_title(title)) or "source"
    key, number = base, 1
    while taken(key):
        number += 1
        suffix = f"-{number}"
        key = base[: MAX_LENGTH - len(suffix)] + suffix
    return key
