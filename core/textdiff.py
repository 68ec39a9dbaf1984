"""Show how a long text changed, as a wiki does: each change with a little of its context.

Chinese is compared character by character, Latin script and numbers word by word, so a
corrected figure reads as "<del>11.7</del><ins>11.9</ins>", not as two loose digits.

The work is bounded. The common beginning and end are set aside first, so a correction
near the end of a long article costs no more than reading it. What is left is compared
line by line, the lines that differ sentence by sentence, and the sentences that differ
within; a stretch too costly to compare is shown as removed and added, by its ends.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 40
# Roughly how many steps SequenceMatcher may take on one comparison (see _too_costly):
# about a tenth of a second on a slow machine.
WORK_BUDGET = 1_000_000
# A removed or added stretch longer than this is shown by its beginning and its end.
LONG_RUN = 600
RUN_END = 250

# A Latin word or number ("11.7", "9,300", "don't"), a run of white space, or one other
# character: a Chinese character, a punctuation mark.
TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:[.,'’][0-9A-Za-z\u00C0-\u024F]+)*|\s+|.", re.S)
WORDISH = re.compile(r"[0-9A-Za-z\u00C0-\u024F.,'’]")
# A line, or a sentence, with the line breaks after it: blank lines are too alike to
# compare alone.
LINE = re.compile(r"[^\n]*\n*")
SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+\n*|\n+|$)")


@dataclass(frozen=True)
class Part:
    """A stretch of a hunk: unchanged ("same"), removed ("del") or added ("ins")."""

    kind: str
    text: str
    # For a long removed or added stretch: how many characters are left out after `text`,
    # and the stretch's end, shown after them.
    omitted: int = 0
    tail: str = ""


@dataclass(frozen=True)
class Hunk:
    """One place where the text changed, with the unchanged text around it."""

    parts: tuple[Part, ...]
    cut_before: bool  # unchanged text before it is left out
    cut_after: bool


def text_diff(old: str, new: str, *, context: int = CONTEXT) -> list[Hunk]:
    """Return where `new` differs from `old`, each change with `context` characters around it."""
    segments = _cleaned(_compare(old or "", new or ""))
    return _hunks(segments, context)


# A segment is ("same", text) or ("change", removed text, added text).


def _compare(old: str, new: str) -> list[tuple]:
    head = _common_prefix_length(old, new)
    # Not inside a word or number: "11.7" and "11.9" differ as wholes.
    while _joins(old, head) or _joins(new, head):
        head -= 1
    tail = _common_suffix_length(old[head:], new[head:])
    while _joins(old, len(old) - tail) or _joins(new, len(new) - tail):
        tail -= 1
    middle_old, middle_new = old[head : len(old) - tail], new[head : len(new) - tail]
    segments = [("same", old[:head])]
    segments += _compare_units(
        LINE.findall(middle_old), LINE.findall(middle_new), within=_compare_sentences
    )
    segments.append(("same", old[len(old) - tail :]))
    return _merged(segments)


def _compare_sentences(old: str, new: str) -> list[tuple]:
    return _compare_units(SENTENCE.findall(old), SENTENCE.findall(new), within=_compare_tokens)


def _compare_tokens(old: str, new: str) -> list[tuple]:
    return _compare_units(TOKEN.findall(old), TOKEN.findall(new), within=None)


def _compare_units(old: list[str], new: list[str], *, within) -> list[tuple]:
    """Compare two lists of lines, sentences or tokens; `within` compares changed stretches."""
    old, new = [unit for unit in old if unit], [unit for unit in new if unit]
    if not old or not new or _too_costly(old, new):
        return [("change", "".join(old), "".join(new))]
    segments = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        removed, added = "".join(old[old_from:old_to]), "".join(new[new_from:new_to])
        if tag == "equal":
            segments.append(("same", removed))
        elif within is not None and removed and added:
            segments += within(removed, added)
        else:
            segments.append(("change", removed, added))
    return segments


def _too_costly(old: list[str], new: list[str]) -> bool:
    # SequenceMatcher's longest-match search visits, for each unit of `old`, every place
    # the same unit stands in `new`; repeated units (a common character, a blank line)
    # are what make it slow.
    counts = Counter(new)
    return sum(counts[unit] for unit in old) > WORK_BUDGET


def _common_prefix_length(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    # Halving keeps the comparisons to slices, which run in C, on long texts.
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix_length(a: str, b: str) -> int:
    return _common_prefix_length(a[::-1], b[::-1])


def _merged(segments: list[tuple]) -> list[tuple]:
    """Join neighbouring segments of one kind and drop empty ones."""
    merged = []
    for segment in segments:
        if segment[0] == "same" and not segment[1]:
            continue
        if segment[0] == "change" and not segment[1] and not segment[2]:
            continue
        if merged and merged[-1][0] == segment[0]:
            previous = merged.pop()
            if segment[0] == "same":
                segment = ("same", previous[1] + segment[1])
            else:
                segment = ("change", previous[1] + segment[1], previous[2] + segment[2])
        merged.append(segment)
    return merged


def _cleaned(segments: list[tuple]) -> list[tuple]:
    """Fold into the changes around it a short unchanged stretch that splits them.

    Compared character by character, "国家统计局" and "中国信通院" share a "国"; shown as
    such, the change is hard to read. An unchanged stretch no longer than the changes on
    both sides of it is shown as removed and added instead (as diff-match-patch's
    semantic clean-up does).
    """
    cleaned = []
    for segment in segments:
        cleaned.append(segment)
        while len(cleaned) >= 3 and _splits_a_change(*cleaned[-3:]):
            after, same, before = cleaned.pop(), cleaned.pop(), cleaned.pop()
            cleaned.append(
                ("change", before[1] + same[1] + after[1], before[2] + same[1] + after[2])
            )
    return cleaned


def _splits_a_change(before: tuple, same: tuple, after: tuple) -> bool:
    if (before[0], same[0], after[0]) != ("change", "same", "change"):
        return False
    size = len(same[1])
    return size <= max(len(before[1]), len(before[2])) and size <= max(len(after[1]), len(after[2]))


def _hunks(segments: list[tuple], context: int) -> list[Hunk]:
    hunks, parts, cut_before = [], [], False
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment[0] == "change":
            parts += _changed_parts(segment[1], segment[2])
            continue
        text = segment[1]
        if index == 0:
            # Before the first change: only its context.
            cut_before = len(text) > context
            parts.append(Part("same", _end_of(text, context)))
        elif index == last:
            parts.append(Part("same", _start_of(text, context)))
            hunks.append(Hunk(tuple(parts), cut_before, len(text) > context))
            parts = []
        elif len(text) <= 2 * context + 10:
            parts.append(Part("same", text))
        else:
            parts.append(Part("same", _start_of(text, context)))
            hunks.append(Hunk(tuple(parts), cut_before, True))
            parts, cut_before = [Part("same", _end_of(text, context))], True
    if parts and any(part.kind != "same" for part in parts):
        hunks.append(Hunk(tuple(parts), cut_before, False))
    return hunks


def _changed_parts(removed: str, added: str) -> list[Part]:
    return [_run(kind, text) for kind, text in (("del", removed), ("ins", added)) if text]


def _run(kind: str, text: str) -> Part:
    # A line break removed or added would otherwise not show.
    if len(text) > LONG_RUN:
        return Part(
            kind,
            _marked_breaks(text[:RUN_END]),
            omitted=len(text) - 2 * RUN_END,
            tail=_marked_breaks(text[-RUN_END:]),
        )
    return Part(kind, _marked_breaks(text))


def _marked_breaks(text: str) -> str:
    return text.replace("\n", "¶\n")


def _start_of(text: str, size: int) -> str:
    """Return about `size` characters from the start of `text`, not ending inside a word."""
    if len(text) <= size:
        return text
    cut = size
    while cut > size // 2 and _joins(text, cut):
        cut -= 1
    return text[:cut] if cut > size // 2 else text[:size]


def _end_of(text: str, size: int) -> str:
    """Return about `size` characters from the end of `text`, not starting inside a word."""
    if len(text) <= size:
        return text
    cut = len(text) - size
    limit = len(text) - size // 2
    while cut < limit and _joins(text, cut):
        cut += 1
    return text[cut:] if cut < limit else text[-size:]


def _joins(text: str, cut: int) -> bool:
    """Tell whether `cut` falls inside a Latin word or a number of `text`."""
    return 0 < cut < len(text) and bool(WORDISH.match(text[cut - 1]) and WORDISH.match(text[cut]))
