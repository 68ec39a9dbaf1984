import datetime

from django.conf import settings

from sources.text import read_article

PAGE = """---
title: "中美在人工智能正面竞争"
author: 自由亚洲电台
date: 2024-10-29
from: https://example.com/ai-competition
---
<!-- saved by the archiver -->
[中美在人工智能正面竞争](https://example.com/ai-competition)
------

<div><p>美国总统拜登签署了备忘录 &amp; 讲话&nbsp;强调对话。</p>
<script>var tracker = "不应出现";</script>
<p>中国能否赶上美国？<br>专家认为&lt;尚需时日&gt;。</p></div>
"""


def test_plain_text_is_kept_as_written_apart_from_line_endings_and_outer_blank_lines():
    raw = "\r\n\r\n据报道，  2023年产业规模为1751亿元。\r\n\r\n\r\n另一份报告  指出。\r\n\r\n"

    article = read_article(raw)

    assert article.text == "据报道，  2023年产业规模为1751亿元。\n\n\n另一份报告  指出。"
    assert article.metadata == {}


def test_front_matter_page_gives_its_metadata():
    article = read_article(PAGE)

    assert article.metadata["title"] == "中美在人工智能正面竞争"
    assert article.metadata["author"] == "自由亚洲电台"
    assert article.metadata["from"] == "https://example.com/ai-competition"
    assert article.metadata["date"] == datetime.date(2024, 10, 29)


def test_front_matter_page_becomes_readable_paragraphs():
    text = read_article(PAGE).text

    assert text.split("\n\n") == [
        "中美在人工智能正面竞争",
        "美国总统拜登签署了备忘录 & 讲话 强调对话。",
        "中国能否赶上美国？",
        "专家认为<尚需时日>。",
    ]


def test_front_matter_page_loses_markup_comments_links_and_scripts():
    text = read_article(PAGE).text

    gone = (
        "<p>",
        "<div",
        "saved by the archiver",
        "](",
        "https://",
        "------",
        "tracker",
        "不应出现",
    )
    for fragment in gone:
        assert fragment not in text
    assert "&amp;" not in text and "&nbsp;" not in text


def test_seed_web_page_yields_text_without_tags_and_metadata_from_front_matter():
    raw = (settings.SEEDS_DIR / "003_925181173936b3c8.txt").read_text(encoding="utf-8")

    article = read_article(raw)

    assert "<" not in article.text
    assert article.metadata["title"] == "中美在人工智能正面竞争 美方希望管控风险"
    assert article.metadata["from"].startswith("https://www.rfa.org/mandarin/")
    assert "拜登签署了一份与人工智能相关的国家安全备忘录" in article.text
