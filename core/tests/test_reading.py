"""Showing text in the reader's script: marks carried over the conversion, the choice read."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from core import reading
from core.chinese import search_terms
from core.services import preferences_set_reading
from sources.highlight import passage, runs

SIMPLIFIED = SimpleNamespace(script="hans", region="cn")
TAIWAN = SimpleNamespace(script="hant", region="tw")
HONG_KONG = SimpleNamespace(script="hant", region="hk")

# U盘 (two characters) becomes 隨身碟 (three) in Taiwan's vocabulary: once before the
# quote, once inside it and once after it.
TEXT = "我把U盘插进电脑。报告显示U盘的销量达1751亿元。他又买了U盘。"
QUOTE = "报告显示U盘的销量达1751亿元"
SHOWN = "我把隨身碟插進電腦。報告顯示隨身碟的銷量達1751億元。他又買了隨身碟。"
SHOWN_QUOTE = "報告顯示隨身碟的銷量達1751億元"


def quote_span(quote=QUOTE):
    start = TEXT.index(quote)
    return start, start + len(quote)


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("我把U盘", "我把隨身碟"),  # ends on the longer word
        (QUOTE, SHOWN_QUOTE),  # the word inside the quote
        ("他又买了U盘", "他又買了隨身碟"),  # the word after two longer ones
        ("1751亿元", "1751億元"),  # between the changed words, shifted by one
    ],
)
def test_a_quote_stays_on_its_words_when_words_around_and_inside_it_change_length(quote, shown):
    converted = reading.convert(TEXT, source=SIMPLIFIED, target="hant_tw")
    start, end = quote_span(quote)

    [(_, new_start, new_end)] = reading.map_spans(converted, [("q", start, end)])

    assert converted.text == SHOWN
    assert converted.text[new_start:new_end] == shown


def test_the_articles_marked_runs_cut_the_converted_text_around_the_quote():
    converted = reading.convert(TEXT, source=SIMPLIFIED, target="hant_tw")
    start, end = quote_span()

    pieces = runs(converted.text, reading.map_spans(converted, [(7, start, end)]))

    assert [(run.text, run.ids) for run in pieces] == [
        ("我把隨身碟插進電腦。", []),
        (SHOWN_QUOTE, [7]),
        ("。他又買了隨身碟。", []),
    ]


def test_a_passage_keeps_the_quote_marked_on_its_converted_words():
    before, quote, after, _, _ = passage(TEXT, *quote_span())

    shown = reading.passage(before, quote, after, source=SIMPLIFIED, target="hant_tw")

    assert shown == ("我把隨身碟插進電腦。", SHOWN_QUOTE, "。他又買了隨身碟。", True)


def test_a_search_match_after_a_longer_word_is_marked_on_the_same_words():
    html = reading.marked(TEXT, source=SIMPLIFIED, target="hant_tw", terms=search_terms("销量"))

    assert (
        html == "我把隨身碟插進電腦。報告顯示隨身碟的<mark>銷量</mark>達1751億元。他又買了隨身碟。"
    )


def test_a_search_for_the_changed_word_marks_all_of_its_conversion():
    parts = reading.marked_parts(
        "买了U盘。", source=SIMPLIFIED, target="hant_tw", terms=search_terms("U盘")
    )

    assert parts == [("買了", False), ("隨身碟", True), ("。", False)]


def test_marked_text_is_escaped():
    html = reading.marked("<b>软件</b>", source=SIMPLIFIED, target="hant_tw", terms=["软件"])

    assert html == "&lt;b&gt;<mark>軟體</mark>&lt;/b&gt;"


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # Hong Kong's 裏 would come back as Taiwan's 裡 through Simplified, and the reverse.
        ("記憶體裏的數據", HONG_KONG, "hant_tw"),
        ("記憶體裡的資料", TAIWAN, "hant_hk"),
        ("记忆体里的数据", SIMPLIFIED, "hans"),
        ("记忆体里的数据", SIMPLIFIED, "published"),
    ],
)
def test_text_already_in_the_target_script_is_shown_as_published(text, source, target):
    converted = reading.convert(text, source=source, target=target)

    assert (converted.text, converted.changed) == (text, False)


def request_for(user=None, query="", session=None):
    request = RequestFactory().get("/claims/" + query)
    request.user = user or AnonymousUser()
    request.session = session if session is not None else SessionStore()
    return request


def test_without_a_choice_text_is_shown_as_published(db):
    assert reading.reading_of(request_for()) == "published"


def test_a_users_remembered_choice_wins_over_their_session(db, reviewer):
    preferences_set_reading(user=reviewer, reading="hant_hk")
    session = SessionStore()
    session[reading.SESSION_KEY] = "hans"

    assert reading.reading_of(request_for(reviewer, session=session)) == "hant_hk"


def test_an_anonymous_visitors_choice_is_read_from_their_session(db):
    session = SessionStore()
    session[reading.SESSION_KEY] = "hans"

    assert reading.reading_of(request_for(session=session)) == "hans"


def test_the_page_parameter_overrides_the_choice_for_that_page_only(db, reviewer):
    preferences_set_reading(user=reviewer, reading="hant_tw")
    request = request_for(reviewer, "?reading=published")

    assert reading.reading_of(request) == "published"
    assert reading.chosen_reading(request) == "hant_tw"


def test_a_session_value_that_names_no_script_is_ignored(db):
    session = SessionStore()
    session[reading.SESSION_KEY] = "klingon"

    assert reading.reading_of(request_for(session=session)) == "published"


@pytest.mark.parametrize(
    ("script", "target", "lang"),
    [
        ("hans", "hant_tw", "zh-Hant-TW"),
        ("mixed", "hant_hk", "zh-Hant-HK"),
        ("hant", "hans", "zh-Hans"),
        ("hant", "hant_hk", "zh-Hant"),  # already Traditional: shown, and tagged, as published
        ("hans", "published", "zh-Hans"),
    ],
)
def test_the_lang_attribute_follows_the_script_the_text_is_shown_in(script, target, lang):
    source = SimpleNamespace(
        script=script, lang={"hant": "zh-Hant", "hans": "zh-Hans"}.get(script, "zh")
    )

    assert reading.lang_of(source, target=target) == lang
