"""The claim, source, board and fact-check pages in the reader's script; data as published."""

import datetime
import json
import re

import extruct
import pytest
from django.urls import reverse

from claims.models import Verdict
from claims.services import claim_publish, crossref_create, verdict_create
from claims.tests.test_views_claims import count_queries, text_of
from core.services import preferences_set_reading

# U盘 becomes 隨身碟 in Taiwan's vocabulary, one character longer: before, inside and after
# the quote, so a mark placed by the stored offsets would drift if they were not carried over.
TEXT = "我把U盘插进电脑。报告显示U盘的销量达1751亿元。他又买了U盘。"
QUOTE = "报告显示U盘的销量达1751亿元"
SHOWN_QUOTE = "報告顯示隨身碟的銷量達1751億元"
SHOWN_TITLE = "隨身碟市場報告"
LIST = reverse("claims:claim_list")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def article(make_source, make_claim):
    source = make_source(title="U盘市场报告", text=TEXT, script="hans", region="cn")
    claim = make_claim(source=source, quote=QUOTE, figure_text="1751亿元")
    return source, claim


def marked_quotes(response):
    """Return the words marked as claims' quotes in the article text."""
    return re.findall(
        r'class="quote-mark[^"]*"[^>]*><mark>([^<]*)</mark>', response.content.decode()
    )


def test_the_claim_list_shows_quotes_and_titles_in_the_chosen_script(
    reviewer_client, reviewer, article
):
    assert QUOTE in text_of(reviewer_client.get(LIST))

    preferences_set_reading(user=reviewer, reading="hant_tw")
    page = text_of(reviewer_client.get(LIST))

    assert SHOWN_QUOTE in page and SHOWN_TITLE in page
    assert QUOTE not in page
    assert "Article and claim text shown in Traditional (Taiwan); stored as published." in page


def test_outlets_authors_and_cited_origins_are_shown_in_the_chosen_script_too(
    reviewer_client, reviewer, make_source, make_claim
):
    source = make_source(
        title="软件报告", outlet="经济日报", author="记者 张国华", text=TEXT, region="cn"
    )
    claim = make_claim(source=source, quote=QUOTE, attributed_to="中国信息通信研究院")
    preferences_set_reading(user=reviewer, reading="hant_tw")

    pages = {
        "list": text_of(reviewer_client.get(LIST)),
        "claim": text_of(reviewer_client.get(claim.get_absolute_url())),
        "sources": text_of(reviewer_client.get(reverse("sources:source_list"))),
        "source": text_of(reviewer_client.get(source.get_absolute_url())),
    }

    assert "經濟日報" in pages["list"] and "中國資訊通訊研究院" in pages["list"]
    assert "經濟日報" in pages["claim"] and "記者 張國華" in pages["claim"]
    assert "中國資訊通訊研究院" in pages["claim"]
    assert "經濟日報" in pages["sources"] and "記者 張國華" in pages["sources"]
    assert "經濟日報" in pages["source"]
    assert not any("经济日报" in page for page in pages.values())


def test_the_converted_list_costs_the_same_queries_for_few_or_many_claims(
    reviewer_client, reviewer, make_source, make_claim, django_assert_num_queries
):
    preferences_set_reading(user=reviewer, reading="hant_tw")
    for number in range(3):
        make_claim(source=make_source(title=f"U盘报告 {number}", text=TEXT), quote=QUOTE)
    reviewer_client.get(LIST)  # fills the per-process caches before counting
    few = count_queries(reviewer_client, LIST, {"per_page": 50})
    for number in range(20):
        make_claim(source=make_source(title=f"软件报告 {number}", text=TEXT), quote=QUOTE)

    with django_assert_num_queries(few):
        response = reviewer_client.get(LIST, {"per_page": 50})

    assert text_of(response).count(SHOWN_QUOTE) == 23


def test_the_claim_list_marks_the_searched_words_in_the_converted_quote(
    reviewer_client, reviewer, article
):
    preferences_set_reading(user=reviewer, reading="hant_tw")

    html = reviewer_client.get(LIST, {"q": "销量"}).content.decode()

    assert "報告顯示隨身碟的<mark>銷量</mark>達1751億元" in html


def test_the_show_original_link_shows_the_list_as_published_and_keeps_the_filters(
    reviewer_client, reviewer, article
):
    preferences_set_reading(user=reviewer, reading="hant_tw")
    html = reviewer_client.get(LIST, {"status": "unreviewed"}).content.decode()
    [original] = re.findall(r'href="([^"]*)" class="show-original"', html)

    response = reviewer_client.get(original.replace("&amp;", "&"))

    assert "status=unreviewed" in original
    page = text_of(response)
    assert QUOTE in page and SHOWN_QUOTE not in page
    assert "Shown as published. Show in Traditional (Taiwan)" in page


def test_the_source_list_shows_titles_in_the_chosen_script_and_marks_searched_words(
    reviewer_client, reviewer, article
):
    preferences_set_reading(user=reviewer, reading="hant_tw")

    html = reviewer_client.get(reverse("sources:source_list"), {"q": "市场"}).content.decode()

    assert "隨身碟<mark>市場</mark>報告" in html


def test_the_article_marks_the_quote_on_its_converted_words(reviewer_client, reviewer, article):
    source, claim = article
    preferences_set_reading(user=reviewer, reading="hant_tw")

    response = reviewer_client.get(source.get_absolute_url())

    assert marked_quotes(response) == [SHOWN_QUOTE]
    page = text_of(response)
    assert "我把隨身碟插進電腦。報告顯示隨身碟的銷量達1751億元。他又買了隨身碟。" in page
    assert SHOWN_TITLE in page
    # Fonts pick Traditional glyph forms, and screen readers a voice, by the lang attribute.
    assert 'id="article-text" lang="zh-Hant-TW"' in response.content.decode()


def test_the_article_as_published_marks_the_quote_as_stored(editor_client, article):
    source, _ = article

    response = editor_client.get(source.get_absolute_url())

    assert marked_quotes(response) == [QUOTE]
    assert "shown in" not in text_of(response)
    assert 'id="article-text" lang="zh-Hans"' in response.content.decode()


def test_on_a_converted_article_selecting_words_is_offered_on_the_text_as_published(
    editor_client, editor, article
):
    source, _ = article
    preferences_set_reading(user=editor, reading="hans")  # already Simplified: as published
    assert (
        'id="claim-from-selection"' in editor_client.get(source.get_absolute_url()).content.decode()
    )

    preferences_set_reading(user=editor, reading="hant_hk")
    html = editor_client.get(source.get_absolute_url()).content.decode()

    assert 'id="claim-from-selection"' not in html
    assert (
        f'href="{source.get_absolute_url()}?reading=published">the article as published</a>' in html
    )
    published = editor_client.get(source.get_absolute_url(), {"reading": "published"})
    assert 'id="claim-from-selection"' in published.content.decode()


def test_an_article_already_in_the_chosen_script_says_nothing_of_conversion(
    reviewer_client, reviewer, make_source
):
    source = make_source(script="hant", region="hk", text="記憶體裏的數據。", title="記憶體")
    preferences_set_reading(user=reviewer, reading="hant_tw")

    page = text_of(reviewer_client.get(source.get_absolute_url()))

    assert "記憶體裏的數據。" in page  # Hong Kong's 裏, not Taiwan's 裡
    assert "shown in" not in page


def test_the_claim_page_shows_the_passage_converted_with_the_quote_marked(
    reviewer_client, reviewer, article
):
    _, claim = article
    preferences_set_reading(user=reviewer, reading="hant_tw")

    html = reviewer_client.get(claim.get_absolute_url()).content.decode()

    assert (
        "我把隨身碟插進電腦。<mark>報告顯示隨身碟的銷量達1751億元</mark>。他又買了隨身碟。" in html
    )


def test_the_cross_reference_board_shows_both_quotes_converted(
    reviewer_client, reviewer, editor, article, make_claim, make_source
):
    _, claim = article
    other = make_claim(source=make_source(text="软件和数据", title="软件"), quote="软件和数据")
    crossref_create(
        from_claim=claim, to_claim=other, relation="related", note="同一产业", user=editor
    )
    preferences_set_reading(user=reviewer, reading="hant_tw")

    page = text_of(reviewer_client.get(reverse("claims:crossref_list")))

    assert SHOWN_QUOTE in page and "軟體和資料" in page


def test_the_lookup_marks_found_words_in_the_readers_script_and_keeps_the_quote(
    reviewer_client, reviewer, article
):
    preferences_set_reading(user=reviewer, reading="hant_tw")

    [result] = reviewer_client.get(reverse("claims:claim_lookup"), {"q": "销量"}).json()["results"]

    assert result["quote"] == QUOTE
    assert result["quote_parts"] == [
        ["報告顯示隨身碟的", False],
        ["銷量", True],
        ["達1751億元", False],
    ]


@pytest.fixture
def published(make_source, make_claim, reviewer, editor):
    source = make_source(
        title="U盘市场报告",
        text=TEXT,
        url="https://example.com/u-disk",
        published_on=datetime.date(2024, 5, 1),
    )
    claim = make_claim(source=source, quote=QUOTE, figure_text="1751亿元")
    verdict_create(claim=claim, reviewer=reviewer, verdict=Verdict.Kind.DISPUTE, note="口径不同")
    return claim_publish(claim=claim, user=editor)


def test_an_anonymous_reader_chooses_a_script_for_the_fact_checks(client, published):
    client.post(reverse("reading_set"), {"reading": "hant_tw", "next": "/fact-checks/"})

    listing = text_of(client.get(reverse("claims:fact_check_list")))
    html = client.get(published.get_public_url()).content.decode()

    assert SHOWN_QUOTE in listing
    assert f'<blockquote class="quote" lang="zh-Hant-TW">{SHOWN_QUOTE}</blockquote>' in html
    # What search engines read stays as published.
    [review] = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    assert review["claimReviewed"] == QUOTE


def test_the_export_is_the_same_whatever_the_readers_script(reviewer_client, reviewer, published):
    def export(fmt):
        response = reviewer_client.get(reverse("claims:claim_export"), {"format": fmt})
        return json.loads(b"".join(response.streaming_content))

    as_published = {fmt: export(fmt) for fmt in ("json", "claimreview")}
    for choice in ("hant_tw", "hant_hk", "hans"):
        preferences_set_reading(user=reviewer, reading=choice)
        document = export("json")
        document["exported_at"] = as_published["json"]["exported_at"]

        assert document == as_published["json"]
        assert export("claimreview") == as_published["claimreview"]
    [record] = as_published["json"]["claims"]
    assert record["quote"] == QUOTE
