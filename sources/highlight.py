"""Split an article's text into runs so that quoted passages can be marked and linked.

Templates render the runs with autoescaping on; nothing here produces HTML, so article
text that contains markup is always shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Run:
    """A stretch of text and the ids of the quotes that cover it (none for plain text)."""

    text: str
    ids: list = field(default_factory=list)
    starts: list = field(default_factory=list)  # ids whose quote begins in this run

    @property
    def first_id(self):
        return self.ids[0] if self.ids else None


def runs(text: str, spans: list[tuple[object, int, int]]) -> list[Run]:
    """Return `text` cut at every span boundary; each span is (id, start, end).

    Spans may overlap or nest, as two claims can quote overlapping words; each run lists
    every span that covers it, in order of their start.
    """
    spans = sorted(
        (span for span in spans if 0 <= span[1] < span[2] <= len(text)),
        key=lambda span: (span[1], -span[2]),
    )
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    result = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [span_id for span_id, s, e in spans if s <= start and end <= e]
        beginning = [span_id for span_id, s, _ in spans if s == start]
        result.append(Run(text=text[start:end], ids=covering, starts=beginning))
    return result


def passage(
    text: str, start: int, end: int, *, margin: int = 400
) -> tuple[str, str, str, bool, bool]:
    """Return the paragraph around text[start:end] as (before, quote, after, cut_before, cut_after).

    The passage runs to the paragraph breaks around the quote, trimmed to `margin`
    characters on each side; the flags say whether part of the paragraph was left out.
    """
    paragraph_start = text.rfind("\n\n", 0, start)
    paragraph_start = 0 if paragraph_start == -1 else paragraph_start + 2
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    left = max(paragraph_start, start - margin)
    right = min(paragraph_end, end + margin)
    return (
        text[left:start],
        text[start:end],
        text[end:right],
        left > paragraph_start,
        right < paragraph_end,
    )
