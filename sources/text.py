"""Turn an article file as saved from the web into the readable text Hecha stores.

Articles arrive either as plain text or as a Markdown/HTML page with YAML front matter
(the way static-site archives save them). Claims are anchored by character offsets into
the stored text, so the conversion must be deterministic: the same file always yields
the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKDOWN_RULE = re.compile(r"^\s*(-{3,}|={3,}|\*{3,})\s*$")
HTML_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")

# Elements after which a reader sees a new paragraph.
BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is never part of the article a reader sees.
HIDDEN_TAGS = frozenset("script style noscript template head title svg".split())


class FrontMatterError(ValueError):
    """The file starts a YAML front matter block that cannot be read."""


@dataclass
class Article:
    """The readable text of an article file and the metadata its front matter gives."""

    text: str
    metadata: dict = field(default_factory=dict)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self.hidden_depth += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the text a reader sees in an HTML fragment, one paragraph per block element."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return normalize_paragraphs("".join(extractor.parts))


def normalize_paragraphs(text: str) -> str:
    """Collapse runs of spaces inside lines and blank lines between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def split_front_matter(raw: str) -> tuple[dict, str]:
    """Return the YAML front matter of a page as a dict, and the body that follows it."""
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        metadata = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise FrontMatterError(f"the front matter is not valid YAML: {error}") from error
    if not isinstance(metadata, dict):
        raise FrontMatterError("the front matter is not a mapping of field names to values")
    return metadata, raw[match.end() :]


def read_article(raw: str) -> Article:
    """Return the readable text and front matter metadata of an article file's contents.

    A file with front matter is a saved web page: Markdown links become their text, rules
    and HTML comments go, and HTML becomes paragraphs of plain text. A plain text file is
    kept as written, apart from line endings and surrounding blank lines, so that quotes
    copied from it are found again.
    """
    raw = raw.lstrip("\ufeff")
    metadata, body = split_front_matter(raw)
    if not metadata and not HTML_TAG.search(body):
        return Article(text=body.replace("\r\n", "\n").replace("\r", "\n").strip())
    body = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    body = "\n".join("" if MARKDOWN_RULE.match(line) else line for line in body.splitlines())
    body = MARKDOWN_LINK.sub(lambda m: m.group(1), body)
    text = html_to_text(body)
    return Article(text=text, metadata=metadata)
