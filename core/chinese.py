"""Fold Chinese text for search across scripts and regions, and convert it for reading.

Search keys
    `search_key` turns text into the form stored beside it and matched with ``LIKE '%term%'``:
    control characters become spaces and lone surrogates U+FFFD; each character (with its
    combining marks) is NFKC-normalised and casefolded (ＡＩ → ai, ２０２３ → 2023, ， → ,);
    OpenCC's hk2s turns Traditional characters, Hong Kong variant glyphs included, into
    Simplified ones; the alias table `aliases.tsv` maps regional words and names that OpenCC
    leaves apart to one canonical Simplified form, longest variant first; thousands separators
    (a comma or one space followed by exactly three digits) are dropped, so 1,840 and 1 840
    become 1840 while "2023, 2024" stays two numbers.

    hk2s rather than tw2sp: tw2sp also rewrites words that are already Simplified and its
    output is not a fixed point (程式 → 程序 but 程序 → 进程, 核心 → 内核, 建立 → 创建),
    so a Taiwanese text and a mainland query would not meet. Regional vocabulary lives in the
    alias table instead, where each entry is a whole word with its reason.

    `ALIASES_VERSION` changes whenever the table, these rules, OpenCC or Python's Unicode data
    change: stored keys made under another version must be rebuilt.

Highlighting
    `match_spans` keys the text while recording, for every key character, the stretch of the
    original text it came from. A conversion that keeps the length maps character to
    character; one that changes it (ﬁ → fi, 隨身碟 → U盘, 1,840 → 1840) maps every key
    character it produced to the whole stretch it replaced, so a match is widened to whole
    converted words and never shifted.

Reading
    `convert_for_reading` shows a text as published, in Traditional (Taiwan or Hong Kong
    vocabulary) or in Simplified. Text is converted only from its own script: Simplified
    shown as Traditional goes through s2twp (Taiwan) or s2hk (Hong Kong); Traditional shown
    as Simplified through hk2s for Hong Kong sources and tw2sp for all others; text already
    in the target script is left as written, so one Traditional is never turned into the
    other. A source of mixed script is decided run by run: the text is cut at whitespace and
    punctuation, each run counts characters that only Traditional writes (OpenCC's t2s changes
    them) against those that Simplified writes (s2t changes them) and takes the script with
    more; a run with neither (人工智能, 2023) takes the script of the run before it, or after
    it at the start. Only runs not already in the target script are converted.

    Conversion happens run by run too, and where OpenCC changes a run's length the changed
    stretch is found by comparing with a character-by-character conversion. `Converted`
    maps offsets in the original to offsets in the converted text: outside changed stretches
    exactly; inside one, a span's start moves to the stretch's start and its end to the
    stretch's end, so a highlighted quote always covers its whole converted words.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import opencc

ALIASES_PATH = Path(__file__).resolve().parent / "aliases.tsv"

# Bump when the folding rules below change in a way that changes keys.
# Stored keys change with these rules too: "2" keeps each field's literal key beside it
# (core.search_keys.field_key); "3" drops the spaces Taiwan's style sets between Chinese and
# Latin or digits, joins thousands only within a number, and folds invisible and variant
# punctuation; "4" drops the dot between the parts of a name (伊隆·馬斯克).
KEY_RULES = "4"
KEY_CONFIG = "hk2s"

READING_CHOICES = (
    ("published", "As published"),
    ("hant_tw", "Traditional (Taiwan)"),
    ("hant_hk", "Traditional (Hong Kong)"),
    ("hans", "Simplified"),
)
SCRIPTS = ("hant", "hans", "mixed")
REGIONS = ("hk", "tw", "cn", "other")

# OpenCC configs for reading, by (script of the text, target); region picks the Simplified one.
TO_TRADITIONAL = {"hant_tw": "s2twp", "hant_hk": "s2hk"}
TO_SIMPLIFIED = {"hk": "hk2s", "tw": "tw2sp", "cn": "tw2sp", "other": "tw2sp"}

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Tab, newlines, printable ASCII other than capitals and the basic CJK block never change
# under NFKC and casefolding; everything else is looked at.
_FOLD_CANDIDATES = re.compile(r"[^\t\n\r\x20-\x40\x5b-\x7e\u4e00-\u9fff]+")
# Runs OpenCC converts: no dictionary entry spans whitespace or punctuation, and control
# characters and surrogates must not reach it (NUL ends its input, surrogates cannot be encoded).
_RUN = re.compile(
    r"[^\s\x00-\x1f\x7f-\x9f!-/:-@\[-`{-~\u2000-\u206f\u3000-\u303f\ufe30-\ufe4f"
    r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\ud800-\udfff]+"
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# A thousands group is exactly three digits after one comma or space, in a number that no
# name runs into: iPhone 16 256GB, GPT-4 128K and Llama 3 405B are two numbers each, and a
# group a Latin unit follows (256GB) is a number of its own.
_THOUSANDS = re.compile(
    r"(?<![0-9.a-z])(?<![a-z][ \-])[0-9]{1,3}(?:(?:,[0-9]{3})+|(?: [0-9]{3}(?![a-z]))+)(?![0-9])"
)
# The space Taiwan's style sets between Chinese and Latin letters or digits (台灣 AI 晶片,
# 新台幣 100 億元), which a search for AI晶片 or 100億 must not meet.
_CJK_SPACING = re.compile(r"(?<=[\u3400-\u9fff]) (?=[a-z0-9])|(?<=[a-z0-9%]) (?=[\u3400-\u9fff])")
# The dot between the parts of a name, written or left out alike (伊隆·馬斯克, 伊隆馬斯克).
_NAME_DOT = re.compile(r"(?<=[\u3400-\u9fff])·(?=[\u3400-\u9fff])")
# Characters NFKC leaves that a reader does not tell apart from plainer ones: zero-width
# spaces and joiners (gone), hyphens that do not break, and the middle dots of names.
_PLAIN_FORMS = str.maketrans(
    {
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u2010": "-",
        "\u2011": "-",
        "\u2027": "·",
        "\u30fb": "·",
        "\uff65": "·",
        "\u2022": "·",
    }
)

# (start, end) in the input, (start, end) in the output of a stretch whose length changed.
Block = tuple[int, int, int, int]


def _opencc_version() -> str:
    return getattr(opencc, "__version__", "unknown")


def aliases_version(path: Path = ALIASES_PATH) -> str:
    """Return a digest of everything stored keys depend on: table, rules, OpenCC, Unicode."""
    parts = [
        path.read_bytes(),
        KEY_RULES.encode(),
        KEY_CONFIG.encode(),
        _opencc_version().encode(),
        unicodedata.unidata_version.encode(),
    ]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


ALIASES_VERSION = aliases_version()


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


_char_caches: dict[str, dict[str, str]] = {}


def _convert_char(config: str, char: str) -> str:
    cache = _char_caches.setdefault(config, {})
    converted = cache.get(char)
    if converted is None:
        converted = cache[char] = _converter(config).convert(char)
    return converted


def _rewrite(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[Block]]:
    """Return `text` with sorted, disjoint edits applied, and the blocks whose length changed."""
    if not edits:
        return text, []
    parts, blocks = [], []
    pos = out = 0
    for start, end, replacement in edits:
        parts.append(text[pos:start])
        out += start - pos
        if len(replacement) != end - start:
            blocks.append((start, end, out, out + len(replacement)))
        parts.append(replacement)
        out += len(replacement)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), blocks


# Folding: NFKC and casefold.


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold())
    return folded.translate(_PLAIN_FORMS)


def _fold_width_and_case(text: str) -> tuple[str, list[Block]]:
    text = _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", text))
    edits = []
    for match in _FOLD_CANDIDATES.finditer(text):
        start, end = match.span()
        # A combining mark composes with the plain letter before it (e + ◌́ → é).
        if start and unicodedata.combining(text[start]):
            start -= 1
        i = start
        while i < end:
            j = i + 1
            while j < end and unicodedata.combining(text[j]):
                j += 1
            cluster = text[i:j]
            folded = _fold_cluster(cluster)
            if folded != cluster:
                edits.append((i, j, folded))
            i = j
    return _rewrite(text, edits)


# OpenCC conversion with the stretches that changed length.


def _run_edits(start: int, source: str, converted: str, config: str) -> list:
    """Return the edits turning one run into its conversion, as small as can be found."""
    if converted == source:
        return []
    if len(converted) == len(source):
        return [(start, start + len(source), converted)]
    by_char = [_convert_char(config, char) for char in source]
    if any(len(piece) != 1 for piece in by_char):
        return [(start, start + len(source), converted)]
    matcher = difflib.SequenceMatcher(None, "".join(by_char), converted, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal" and i1 == i2:
            # Nothing in the source to pin an insertion to: treat the run as one block.
            return [(start, start + len(source), converted)]
        if source[i1:i2] != converted[j1:j2]:
            edits.append((start + i1, start + i2, converted[j1:j2]))
    return edits


def _conversion_edits(text: str, runs: list[tuple[int, int]], config: str) -> list:
    if not runs:
        return []
    converter = _converter(config)
    sources = [text[start:end] for start, end in runs]
    # One call for all runs: no dictionary entry spans a newline, and no run contains one.
    converted = converter.convert("\n".join(sources)).split("\n")
    if len(converted) != len(sources):
        converted = [converter.convert(source) for source in sources]
    edits = []
    for (start, _), source, result in zip(runs, sources, converted, strict=True):
        edits.extend(_run_edits(start, source, result, config))
    return edits


def _runs(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _RUN.finditer(text)]


# Aliases.


@dataclass(frozen=True)
class Alias:
    """One line of the alias table: a variant, its canonical form and why."""

    variant: str
    canonical: str
    reason: str
    line: int

    @property
    def protects(self) -> bool:
        """Return whether the entry only shields a longer word from shorter aliases."""
        return self.variant == self.canonical


def load_aliases(path: Path = ALIASES_PATH) -> list[Alias]:
    """Return the entries of the alias table, in file order."""
    aliases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(part.strip() == part and part for part in fields):
            raise ValueError(f"{path.name}:{number}: expected variant, canonical and reason")
        variant, canonical, reason = fields
        if any(char.isspace() for char in variant + canonical):
            raise ValueError(f"{path.name}:{number}: a variant or canonical form has a space")
        aliases.append(Alias(variant, canonical, reason, number))
    return aliases


def base_key(text: str) -> str:
    """Return `text` folded for width, case and script, names' dots gone, before aliases and
    numbers."""
    folded, _ = _fold_width_and_case(text)
    converted, _ = _rewrite(folded, _conversion_edits(folded, _runs(folded), KEY_CONFIG))
    return _NAME_DOT.sub("", converted)


@lru_cache(maxsize=1)
def _alias_table() -> tuple[re.Pattern, dict[str, str]]:
    table: dict[str, str] = {}
    for alias in load_aliases():
        variant, canonical = base_key(alias.variant), base_key(alias.canonical)
        if table.setdefault(variant, canonical) != canonical:
            raise ValueError(f"{ALIASES_PATH.name}:{alias.line}: {alias.variant} mapped twice")
    return variants_pattern(table), table


def variants_pattern(variants: Iterable[str]) -> re.Pattern:
    """Return the pattern that finds, at each place, the longest of `variants` there.

    A Latin name matches only as a whole word (amd, not amdahl), which digits end as a
    search word's edge does (tsmc2024 is tsmc and 2024). The variants are laid out as a
    tree of their characters, a longer variant tried before the shorter one it begins
    with, and the variants' first characters halved into groups chosen by a character
    class: one list of every variant, longest first, made `re` try each of them at every
    place that could begin one (26 µs a sentence, against 5 µs).
    """
    tree: dict = {}
    for variant in variants:
        node = tree
        for char in variant:
            node = node.setdefault(char, {})
        node[_VARIANT_END] = True

    def rest(node: dict, last: str) -> str:
        branches = [re.escape(char) + rest(node[char], char) for char in sorted(node) if char]
        if _VARIANT_END in node:
            branches.append("(?![a-z])" if "a" <= last <= "z" else "")
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    def starting_with(firsts: str) -> str:
        if len(firsts) > _FIRSTS_AT_ONCE:
            half = len(firsts) // 2
            return (
                f"(?:(?=[{re.escape(firsts[:half])}]){starting_with(firsts[:half])}"
                f"|{starting_with(firsts[half:])})"
            )
        branches = [
            (_LETTER_BEFORE if "a" <= first <= "z" else "")
            + re.escape(first)
            + rest(tree[first], first)
            for first in firsts
        ]
        return f"(?:{'|'.join(branches)})"

    firsts = "".join(sorted(tree))
    # Checked ahead, the first characters let the matcher pass over any other place at once.
    return re.compile(f"(?=[{re.escape(firsts)}]){starting_with(firsts)}" if firsts else "(?!)")


_VARIANT_END = ""
# How many first characters a group tries one by one rather than halving again.
_FIRSTS_AT_ONCE = 16


def _alias_edits(text: str) -> list:
    pattern, table = _alias_table()
    return [
        (match.start(), match.end(), table[match.group()])
        for match in pattern.finditer(text)
        if table[match.group()] != match.group()
    ]


def _number_edits(text: str, *, spacing: bool = True) -> list:
    edits = []
    for match in _THOUSANDS.finditer(text):
        for offset, char in enumerate(match.group()):
            if not char.isdigit():
                edits.append((match.start() + offset, match.start() + offset + 1, ""))
    if spacing:
        edits += [(match.start(), match.end(), "") for match in _CJK_SPACING.finditer(text)]
    return sorted(edits)


# Search keys.


def _converted_stages(text: str) -> list[tuple[str, list[Block]]]:
    """Return the first stages of a key, each (its text, the blocks it changed): `text`
    folded for width and case, then converted to Simplified."""
    folded = _fold_width_and_case(text)
    text = folded[0]
    return [folded, _rewrite(text, _conversion_edits(text, _runs(text), KEY_CONFIG))]


def _last_stages(
    converted: str, *, aliases: bool = True, spacing: bool = True
) -> list[tuple[str, list[Block]]]:
    """Return the last stages of a key from the converted text: names' dots dropped, the
    alias table's, unless `aliases` is false, then the numbers' and spacing's (`spacing`:
    between Chinese and Latin or digits, as a text's key drops it and a query, whose words
    it parts, keeps it)."""
    named = _rewrite(converted, [(m.start(), m.end(), "") for m in _NAME_DOT.finditer(converted)])
    stages = [named]
    if aliases:
        stages.append(_rewrite(named[0], _alias_edits(named[0])))
    text = stages[-1][0]
    return [*stages, _rewrite(text, _number_edits(text, spacing=spacing))]


def search_key(text: str) -> str:
    """Return the normalised form of `text` that search terms are matched against."""
    return _last_stages(_converted_stages(text)[-1][0])[-1][0]


def keys_of(text: str) -> tuple[str, str | None]:
    """Return the `search_key` of `text` and its literal key: `text` folded the same way
    but for the alias table, or None where the table changes nothing in it.

    The table rewrites words whole, and with them what a reader might look for inside or
    beside them: 新創公司 becomes 初创公司, so 新創 is no longer there to be found, and
    輕微影響 holds 微影 (lithography) across two words. A stored key keeps the literal key
    beside the other (core.search_keys.field_key), so that every word written is found.
    """
    converted = _converted_stages(text)[-1][0]
    (named, _), (aliased, _), (key, _) = _last_stages(converted)
    if aliased == named:
        return key, None
    return key, _last_stages(converted, aliases=False)[-1][0]


def _compose(lo: list[int], hi: list[int], blocks: list[Block]) -> tuple[list, list]:
    new_lo: list[int] = []
    new_hi: list[int] = []
    pos = 0
    for start, end, out_start, out_end in blocks:
        new_lo.extend(lo[pos:start])
        new_hi.extend(hi[pos:start])
        if start < end:
            first, last = lo[start], hi[end - 1]
        else:
            first = last = hi[start - 1] if start else (lo[0] if lo else 0)
        new_lo.extend([first] * (out_end - out_start))
        new_hi.extend([last] * (out_end - out_start))
        pos = end
    new_lo.extend(lo[pos:])
    new_hi.extend(hi[pos:])
    return new_lo, new_hi


def _aligned(text: str, stages, lo=None, hi=None) -> tuple[str, list[int], list[int]]:
    """Return the text after `stages` and, per character, the start and end in the original
    it came from; `lo` and `hi` are those of `text` itself, if it is not the original."""
    lo = list(range(len(text))) if lo is None else lo
    hi = list(range(1, len(text) + 1)) if hi is None else hi
    key = text
    for stage_key, blocks in stages:
        key = stage_key
        if blocks:
            lo, hi = _compose(lo, hi, blocks)
    return key, lo, hi


def aligned_key(text: str, *, aliases: bool = True) -> tuple[str, list[int], list[int]]:
    """Return the key of `text` and, per key character, the start and end it came from;
    without `aliases`, the literal key `keys_of` gives (whether or not the table changes it)."""
    converted, lo, hi = _aligned(text, _converted_stages(text))
    return _aligned(converted, _last_stages(converted, aliases=aliases), lo, hi)


def search_terms(query: str) -> list[str]:
    """Return the distinct keys of the whitespace-separated words of `query`, in order."""
    # Keying the whole query first keeps a number written with spaces ("1 840") one term;
    # its spaces between Chinese and Latin part its words (100億 AI晶片 is two).
    key = _last_stages(_converted_stages(query)[-1][0], spacing=False)[-1][0]
    return list(dict.fromkeys(key.split()))


# A search word that begins or ends with a Latin letter or a digit matches only whole there:
# a Latin word does not go on into letters (AI finds AI芯片 and 中國AI, not the ai of Taiwan
# or said; GPU finds GPUs, its plural, but Intel not intelligence), a number not into digits
# (100億 is not the end of 2100億, H20 not the start of H200). A Chinese word has no such
# edge to keep. Written for Python's `re` and PostgreSQL's regular expressions alike: both
# read look-arounds and a backslash before a sign.
_LETTER_BEFORE = "(?<![a-z])"
_LETTER_AFTER = "s?(?![a-z])"
# A word of one or two letters takes no plural: IT is not the start of its, nor US of USS.
_SHORT_LETTER_AFTER = "(?![a-z])"
_DIGIT_BEFORE = r"(?<![0-9])(?<![0-9]\.)"
_DIGIT_AFTER = r"(?![0-9])(?!\.[0-9])"
# A name that ends in a digit does not go on into a letter either: GPT-4 is not GPT-4o.
_NAME_DIGIT_AFTER = _DIGIT_AFTER + "(?![a-z])"


# The same edges as SQLite GLOB patterns, one of which an occurrence matches with what is
# before it and after it: "" where the key begins or ends there. SQLite reads a regular
# expression by calling back into Python for every row, which, on a connection that a test
# server's threads share, can deadlock against another thread holding the interpreter; its
# GLOB is its own.
_LETTER_BEFORE_GLOBS = ("", "*[^a-z]")
_LETTER_AFTER_GLOBS = ("", "[^a-z]*", "s", "s[^a-z]*")
_SHORT_LETTER_AFTER_GLOBS = ("", "[^a-z]*")
_DIGIT_BEFORE_GLOBS = ("", "*[^0-9.]", ".", "*[^0-9].")
_DIGIT_AFTER_GLOBS = ("", "[^0-9.]*", ".", ".[^0-9]*")
_NAME_DIGIT_AFTER_GLOBS = ("", "[^0-9.a-z]*", ".", ".[^0-9]*")


def _edge(char: str, letter, digit):
    return letter if "a" <= char <= "z" else digit if "0" <= char <= "9" else None


def _is_name(term: str) -> bool:
    """Whether the term holds a Latin letter: a model's or a chip's name (GPT-4, H20)."""
    return any("a" <= char <= "z" for char in term)


def word_pattern(term: str) -> str | None:
    """Return the regular expression a key must also match to hold the search word `term`
    whole, or None where holding it anywhere is enough (a Chinese word)."""
    before = _edge(term[:1], _LETTER_BEFORE, _DIGIT_BEFORE)
    short = len(term) < 3
    digit_after = _NAME_DIGIT_AFTER if _is_name(term) else _DIGIT_AFTER
    after = _edge(term[-1:], _SHORT_LETTER_AFTER if short else _LETTER_AFTER, digit_after)
    if before is None and after is None:
        return None
    return (before or "") + re.escape(term) + (after or "")


def word_globs(term: str) -> list[str] | None:
    """Return word_pattern as SQLite GLOB patterns, a key holding `term` whole when it
    matches one of them; None where holding it anywhere is enough."""
    before = _edge(term[:1], _LETTER_BEFORE_GLOBS, _DIGIT_BEFORE_GLOBS)
    short = len(term) < 3
    letter_after = _SHORT_LETTER_AFTER_GLOBS if short else _LETTER_AFTER_GLOBS
    digit_after = _NAME_DIGIT_AFTER_GLOBS if _is_name(term) else _DIGIT_AFTER_GLOBS
    after = _edge(term[-1:], letter_after, digit_after)
    if before is None and after is None:
        return None
    # A sign GLOB reads is matched as itself inside brackets.
    escaped = "".join(f"[{char}]" if char in "*?[" else char for char in term)
    # "" where the key begins or ends at the word, "*" where no edge is kept.
    heads = ("*",) if before is None else before
    tails = ("*",) if after is None else after
    return [head + escaped + tail for head in heads for tail in tails]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Return the merged, sorted (start, end) offsets in `text` where any key term matches."""
    terms = [term for term in dict.fromkeys(terms) if term]
    if not terms or not text:
        return []
    spans = []
    converted, converted_lo, converted_hi = _aligned(text, _converted_stages(text))
    # In the key with the aliases and in the one without, as a stored key holds both.
    for aliases in (True, False):
        stages = _last_stages(converted, aliases=aliases)
        key, lo, hi = _aligned(converted, stages, converted_lo, converted_hi)
        for term in terms:
            edge = word_pattern(term)
            word = re.compile(edge) if edge else None
            found = key.find(term)
            while found != -1:
                whole = word.match(key, found) if word else None
                if word is None or whole:
                    end = whole.end() if whole else found + len(term)
                    spans.append((lo[found], hi[end - 1]))
                found = key.find(term, found + 1)
    return _merge(spans)


# Reading.


@dataclass(frozen=True)
class Converted:
    """A text converted for reading, with offsets of the original mapped onto it."""

    text: str
    changed: bool
    source_length: int
    blocks: tuple[Block, ...] = field(default=(), repr=False)
    _starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_starts", [block[0] for block in self.blocks])

    def map_offset(self, offset: int) -> int:
        """Return where `offset` in the original falls in the converted text.

        An offset inside a stretch whose length changed maps to the stretch's start.
        """
        offset = min(max(offset, 0), self.source_length)
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        start, end, out_start, out_end = self.blocks[index]
        if offset < end:
            return out_start
        return out_end + offset - end

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the converted span covering the converted form of text[start:end]."""
        new_start = self.map_offset(start)
        end = min(max(end, 0), self.source_length)
        index = bisect.bisect_left(self._starts, end) - 1
        if index >= 0 and end < self.blocks[index][1]:
            new_end = self.blocks[index][3]
        else:
            new_end = self.map_offset(end)
        return new_start, max(new_start, new_end)


def _run_script(run: str) -> str | None:
    traditional = simplified = 0
    for char in _CJK.findall(run):
        if _convert_char("t2s", char) != char:
            traditional += 1
        if _convert_char("s2t", char) != char:
            simplified += 1
    if traditional and traditional >= simplified:
        return "hant"
    if simplified:
        return "hans"
    return None


def _run_scripts(text: str, runs: list[tuple[int, int]]) -> list[str | None]:
    scripts = [_run_script(text[start:end]) for start, end in runs]
    known = next((script for script in scripts if script), None)
    for index, script in enumerate(scripts):
        if script:
            known = script
        else:
            scripts[index] = known
    return scripts


def _reading_config(script: str | None, region: str, target: str) -> str | None:
    if target == "published" or script is None:
        return None
    if target == "hans":
        return None if script == "hans" else TO_SIMPLIFIED[region]
    return None if script == "hant" else TO_TRADITIONAL[target]


def convert_for_reading(text: str, *, script: str, region: str, target: str) -> Converted:
    """Return `text` converted from its own script for a reader who chose `target`."""
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}")
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}")
    if target not in dict(READING_CHOICES):
        raise ValueError(f"unknown reading target {target!r}")
    runs = _runs(text)
    if script == "mixed":
        scripts = _run_scripts(text, runs)
    else:
        scripts = [script] * len(runs)
    by_config: dict[str, list[tuple[int, int]]] = {}
    for run, run_script in zip(runs, scripts, strict=True):
        config = _reading_config(run_script, region, target)
        if config:
            by_config.setdefault(config, []).append(run)
    edits = []
    for config, config_runs in by_config.items():
        edits.extend(_conversion_edits(text, config_runs, config))
    edits.sort()
    converted, blocks = _rewrite(text, edits)
    return Converted(converted, converted != text, len(text), tuple(blocks))
