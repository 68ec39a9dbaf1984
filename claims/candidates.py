"""Propose the sentences of an article that look like claims: those stating a figure or a source.

A sentence ends at 。！？；, their ASCII forms or a line break, but not inside 「」『』“” quotes
unless that would make it longer than MAX_SENTENCE characters; a sentence still longer is cut
at its last comma before the limit. The cited origin is read by these rules, first that
applies:

1. 據/根據/依據 … 統計/報告/數據/調查/研究/顯示/指出 …: the words between, with a title's
   brackets and any "發布的…" tail dropped (據CSET統計 → CSET, 根據國家經濟研究局發布的2024年
   研究報告 → 國家經濟研究局; 據《Tortoise Media》 → Tortoise Media).
2. … 指出/表示/稱/說/認為/顯示 …: the clause's subject before the verb, without leading
   connectives (此外, 而, 但 …), trailing adverbs and "在…上" settings, and without a trailing
   數據/報告/最新; a pronoun (他, 該雜誌, 報告 …) names no origin.
3. according to X: X.

In either, a parenthesised Latin acronym after the name wins (美國喬治城大學安全與新興技術中心
(CSET) → CSET; 國際數據公司（IDC） → IDC), and an organisation before a title wins over the
title (史丹佛大學《2024年AI指數報告》 → 史丹佛大學). The module is pure: no database.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from claims.figures import ParsedFigure, parse_figures, text_period

MAX_SENTENCE = 300
_ENDS = frozenset("。！？；!?;\n")
_OPENING_QUOTES = "「『“"
_CLOSING_QUOTES = "」』”"
_LIST_MARKER = re.compile(
    r"(?:[-•·*»▪■●◆]\s*|[0-9]{1,2}[.、)）]\s*|[（(]?[一二三四五六七八九十]{1,3}[、)）]\s*"
    r"|[（(][0-9]{1,2}[)）]\s*)+"
)
_SOURCE_NOUNS = (
    "統計|统计|報告|报告|數據|数据|調查|调查|研究|估計|估计|預測|预测|預估|预估|分析|測算|测算|"
    "報導|報道|报道|报导|資料|资料|顯示|显示|指出|引述|披露|消息"
)
_ACCORDING = re.compile(
    rf"(?<![數数證证占佔收])(?:根據|根据|依據|依据|據|据)(?!此|了解|悉|說|说|稱|称)"
    rf"(?P<origin>[^，,。；;：:]{{0,40}})(?:的)?(?:{_SOURCE_NOUNS})"
)
_ACCORDING_TITLE = re.compile(r"(?:根據|根据|據|据)《(?P<origin>[^》]{1,30})》")
_VERBS = (
    "指出|表示|聲稱|声称|宣稱|宣称|透露|強調|强调|坦言|直言|警告|認為|认为|提到|說道|说道|說|说|"
    "稱|称|報告顯示|报告显示|數據顯示|数据显示|統計顯示|统计显示|研究顯示|研究显示|調查顯示|调查显示|"
    "顯示|显示|預估|预估|預測|预测|估計|估计|發現|发现|發表|发表|發布|发布|公布"
)
_SAYS = re.compile(rf"(?P<verb>{_VERBS})")
_ENGLISH = re.compile(r"[Aa]ccording to (?P<origin>[A-Z][\w&.\- ]{1,40}?)(?=[,，.。]|$)")
_ACRONYM = re.compile(r"[（(](?P<acronym>[A-Z][A-Za-z0-9&.\-]{1,11})[)）]")
_PARENTHESES = re.compile(r"[（(][^()（）]*[)）]")
_CLAUSE_START = re.compile(r".*[，,：:「」“”『』。；;]", re.DOTALL)
_TITLE_SPAN = re.compile(r"《[^《》]*》")
_LEADING = re.compile(
    r"^(?:此外|另外|另據|另据|同時|同时|其中|因此|然而|不過|不过|對此|对此|首先|其次|最後|最后|"
    r"而且|而|但是|但|另|並|并|也|則|则|就連|就连)+"
)
_TRAILING = re.compile(
    r"(?:在[^，,]{0,20}(?:上|中|時|时|裡|里)|在 ?[0-9]{4} ?年|(?:也|亦|則|则|更|还|還|曾|均|都|已|再|日前|近日|"
    r"最近|稍早|最新|發布|发布|公布|發表|发表|的|分析|研究|數據|数据|報告|报告|統計|统计|調查|调查))+$"
)
_TAIL = re.compile(r"(?:發布|发布|公布|發表|发表|出版|提供|引述|的).*$")
_HEAD_TIME = re.compile(r"^(?:最新|今年|去年|近日|[0-9]{4} ?年)+")
_PRONOUNS = (
    "他",
    "她",
    "它",
    "其",
    "我",
    "你",
    "該",
    "该",
    "此",
    "這",
    "这",
    "那",
    "報告",
    "报告",
    "研究",
    "調查",
    "调查",
    "數據",
    "数据",
    "文章",
    "報道",
    "报道",
    "有人",
    "有分析",
    "有消息",
    # 另一份報告指出: a report, not named.
    "一份",
    "一項",
    "一项",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    quote: str
    figures: tuple[ParsedFigure, ...]
    cited_origin: str
    period_start: int | None
    period_end: int | None


def sentence_hash(sentence: str) -> str:
    """Return the hex digest that names a sentence, whatever its place in the text."""
    return hashlib.sha256(sentence.encode()).hexdigest()


def propose_candidates(text: str, *, region: str | None = None) -> list[Candidate]:
    """Return each sentence of the text that states a figure or cites an origin."""
    if not isinstance(text, str) or not text:
        return []
    figures = parse_figures(text, region=region)
    figure_starts = [f.start for f in figures]
    candidates = []
    for start, end in sentences(text):
        first = bisect.bisect_left(figure_starts, start)
        last = bisect.bisect_left(figure_starts, end)
        found = tuple(f for f in figures[first:last] if f.end <= end)
        quote = text[start:end]
        cites, origin = cited_origin(quote)
        if not found and not cites:
            continue
        if found:
            period = (found[0].period_start, found[0].period_end)
        else:
            period = text_period(quote, region=region)
        candidates.append(Candidate(start, end, quote, found, origin, *period))
    return candidates


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each sentence, trimmed of whitespace and list markers."""
    spans = []
    start = depth = 0
    for index, char in enumerate(text):
        if char in _OPENING_QUOTES:
            depth += 1
        elif char in _CLOSING_QUOTES:
            depth = max(0, depth - 1)
            # 「…。」 ends the sentence with the quote.
            if depth == 0 and index > start and text[index - 1] in _ENDS:
                spans.extend(_pieces(text, start, index + 1))
                start = index + 1
                continue
        if char in _ENDS and (depth == 0 or char == "\n" or index - start > MAX_SENTENCE):
            spans.extend(_pieces(text, start, index + (char != "\n")))
            start = index + 1
            if char == "\n":
                depth = 0
    spans.extend(_pieces(text, start, len(text)))
    return spans


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the trimmed sentence in [start, end), cut at commas when it is too long."""
    while start < end and text[start].isspace():
        start += 1
    marker = _LIST_MARKER.match(text, start, end)
    if marker and marker.end() < end:
        start = marker.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = max(
            text.rfind("，", start, start + MAX_SENTENCE),
            text.rfind(",", start, start + MAX_SENTENCE),
        )
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def cited_origin(sentence: str) -> tuple[bool, str]:
    """Return whether the sentence cites an origin, and the origin's short name ('' if none)."""
    match = _ACCORDING_TITLE.search(sentence)
    if match:
        return True, _canonical(match["origin"])
    match = _ACCORDING.search(sentence)
    if match:
        return True, _canonical(match["origin"])
    match = _ENGLISH.search(sentence)
    if match:
        return True, match["origin"].strip()
    # A title's own punctuation (《人工智慧超級大國：中國、矽谷和新世界秩序》) parts no
    # clause, and a verb inside it (《…報告顯示…》) is no one's saying.
    masked = _TITLE_SPAN.sub(lambda title: "《" + "_" * (len(title[0]) - 2) + "》", sentence)
    for match in _SAYS.finditer(masked):
        before = sentence[: match.start()]
        cut = _CLAUSE_START.match(masked[: match.start()])
        clause = before[cut.end() :] if cut else before
        if not clause.strip():
            continue
        return True, _canonical(clause)
    return False, ""


def _canonical(phrase: str) -> str:
    """Return the short name of a cited origin phrase, or '' when it names none."""
    phrase = phrase.strip()
    acronym = _ACRONYM.search(phrase)
    if acronym and not any(c.isspace() for c in acronym["acronym"]):
        return acronym["acronym"]
    title = phrase.find("《")
    if title > 0:
        phrase = phrase[:title]
    phrase = phrase.replace("《", "").replace("》", "")
    phrase = _PARENTHESES.sub("", phrase)
    phrase = _LEADING.sub("", phrase.strip())
    phrase = _HEAD_TIME.sub("", phrase)
    phrase = _TAIL.sub("", phrase) if not phrase.startswith(_TAIL_KEEP) else phrase
    phrase = _TRAILING.sub("", phrase).strip(" ，,")
    if not phrase or len(phrase) > 30 or phrase.startswith(_PRONOUNS):
        return ""
    return phrase


_TAIL_KEEP = ("的",)
