"""The source page as each reader finds it right after a change, though its content is kept
drawn.

Every test opens the page first, so that what follows is served from the cache unless the
change reached the page's key.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from claims import selectors
from claims.models import CandidateDismissal, Claim
from claims.services import candidates_dismiss, claim_create, claim_retract, source_update
from claims.tests.test_views_claims import text_of
from core.services import preferences_set_reading
from sources.models import Source

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TEXT = (
    "据新华社报道，中国人工智能核心产业规模为1751亿元。"
    "另据统计，2023年全国U盘销量达3.2亿个。"
    "市场前景仍不明朗。"
)
SALES = "另据统计，2023年全国U盘销量达3.2亿个。"


@pytest.fixture
def article(make_source, make_claim):
    source = make_source(title="人工智能产业报告", text=TEXT)
    make_claim(source=source, quote="中国人工智能核心产业规模为1751亿元")
    return source


def queue(response) -> list[str]:
    """Return the candidate sentences the page's queue shows, in order."""
    return re.findall(
        r'<li id="candidate-\d+" class="candidate">.*?<blockquote[^>]*>(.*?)</blockquote>',
        response.content.decode(),
        re.S,
    )


def marked(response) -> list[str]:
    """Return the quotes marked in the article as claims."""
    return re.findall(
        r'<a class="quote-mark[^"]*"[^>]*><mark>(.*?)</mark>', response.content.decode()
    )


def test_the_page_is_kept_and_its_candidates_proposed_once(viewer_client, article, monkeypatch):
    proposed = []
    propose = selectors.propose_candidates

    def counted(*args, **kwargs):
        proposed.append(args)
        return propose(*args, **kwargs)

    monkeypatch.setattr(selectors, "propose_candidates", counted)
    first = viewer_client.get(article.get_absolute_url())
    second = viewer_client.get(article.get_absolute_url())

    assert text_of(second) == text_of(first)
    assert queue(second) == [SALES]
    assert len(proposed) == 1


def test_a_claim_made_from_a_candidate_shows_at_once(viewer_client, editor_client, article):
    url = article.get_absolute_url()
    assert queue(viewer_client.get(url)) == [SALES]

    start = TEXT.index(SALES)
    response = editor_client.post(
        f"/sources/{article.pk}/candidates/", {"accept": f"{start}:{_hash(SALES)}"}
    )
    assert response.status_code == 302

    page = viewer_client.get(url)
    assert queue(page) == []
    assert SALES in marked(page)
    assert "0 proposed" in text_of(page)


def test_a_dismissal_and_a_retraction_show_at_once(viewer_client, editor, article):
    url = article.get_absolute_url()
    assert "0 dismissed" in text_of(viewer_client.get(url))

    candidates_dismiss(source=article, user=editor, sentences=[SALES])
    page = viewer_client.get(url)
    assert queue(page) == []
    assert "1 dismissed" in text_of(page)

    claim = Claim.objects.get(source=article)
    claim_retract(claim=claim, user=editor, reason="Typed by mistake.")
    assert marked(viewer_client.get(url)) == []


def test_a_correction_of_the_text_shows_at_once_with_its_new_sentences(
    viewer_client, editor, article
):
    url = article.get_absolute_url()
    viewer_client.get(url)
    added = "另有报告称，AI芯片市场规模为100亿美元。"

    source_update(source=article, user=editor, expected_version=article.version, text=TEXT + added)

    assert queue(viewer_client.get(url)) == [SALES, added]


def test_a_change_made_outside_the_services_shows_at_once(viewer_client, editor, article):
    url = article.get_absolute_url()
    claim = Claim.objects.get(source=article)
    # By hand, as an administrator might in the database: no service, no changed timestamp.
    changes = [
        (Source.objects.filter(pk=article.pk), {"outlet": "改过的媒体"}, "改过的媒体"),
        (Source.objects.filter(pk=article.pk), {"title": "改过的标题"}, "<title>改过的标题"),
        (Claim.objects.filter(pk=claim.pk), {"is_anchored": False}, "no longer finds its quote"),
    ]
    candidates_dismiss(source=article, user=editor, sentences=[SALES])
    assert queue(viewer_client.get(url)) == []
    CandidateDismissal.objects.filter(source=article).delete()
    assert queue(viewer_client.get(url)) == [SALES]
    for rows, change, shown in changes:
        assert shown not in seen(viewer_client.get(url))
        rows.update(**change)
        assert shown in seen(viewer_client.get(url)), change


def seen(response) -> str:
    """Return the page's HTML and its text as a reader reads it."""
    return response.content.decode() + text_of(response)


def test_a_viewer_never_sees_the_queue_controls_an_editor_was_shown_first(
    editor_client, viewer_client, article
):
    url = article.get_absolute_url()
    editor_page = editor_client.get(url).content.decode()
    assert "Accept selected" in editor_page
    assert f"/sources/{article.pk}/edit/" in editor_page

    viewer_page = viewer_client.get(url).content.decode()
    assert "Accept selected" not in viewer_page
    assert f"/sources/{article.pk}/edit/" not in viewer_page
    assert queue(viewer_client.get(url)) == [SALES]


def test_every_editor_gets_their_own_csrf_token_on_a_kept_page(editor_client, editor, article):
    url = article.get_absolute_url()
    first_tokens = set(TOKEN.findall(editor_client.get(url).content.decode()))

    client = Client(enforce_csrf_checks=True)
    client.force_login(type(editor).objects.create_user("second-editor", password="x"))
    client.force_login(editor)
    page = client.get(url).content.decode()
    tokens = set(TOKEN.findall(page))
    assert tokens and not tokens & first_tokens
    # The token of the kept page is the reader's own: the browser's post is accepted.
    response = client.post(
        f"/sources/{article.pk}/candidates/",
        {"dismiss": f"{TEXT.index(SALES)}:{_hash(SALES)}", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    assert CandidateDismissal.objects.filter(source=article).count() == 1


def test_switching_the_script_or_the_language_shows_the_page_in_it(
    reviewer, reviewer_client, article
):
    url = article.get_absolute_url()
    assert "全国U盘销量" in text_of(reviewer_client.get(url))

    preferences_set_reading(user=reviewer, reading="hant_tw")
    page = text_of(reviewer_client.get(url))
    assert "全國隨身碟銷量" in page

    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    assert "候選主張" in text_of(reviewer_client.get(url))


def test_a_queue_sent_back_with_its_errors_is_drawn_with_them(editor_client, article):
    url = article.get_absolute_url()
    editor_client.get(url)

    response = editor_client.post(f"/sources/{article.pk}/candidates/", {"bulk": "neither"})

    assert response.status_code == 400
    assert "Choose to accept or to dismiss." in text_of(response)
    assert "Choose to accept or to dismiss." not in text_of(editor_client.get(url))


def _hash(sentence: str) -> str:
    from claims.candidates import sentence_hash

    return sentence_hash(sentence)


def test_a_claim_made_elsewhere_on_the_source_shows_at_once(viewer_client, editor, article):
    url = article.get_absolute_url()
    viewer_client.get(url)

    claim_create(user=editor, source=article, quote="市场前景仍不明朗")

    assert "市场前景仍不明朗" in marked(viewer_client.get(url))
