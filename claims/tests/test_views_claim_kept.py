"""The claim page and the board as each reader finds them right after a change, though their
content is kept drawn.

Every test opens the page first, so that what follows is served from the cache unless the
change reached the page's key.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from claims.models import Claim, CrossReference, Verdict
from claims.services import crossref_create, crossref_retract, verdict_create
from claims.tests.test_views_claims import references, text_of
from core.services import preferences_set_reading
from sources.models import Source

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def linked(editor, make_source, make_claim):
    claim = make_claim()
    other = make_claim(
        source=make_source(title="另一篇报告", text="据悉，报告显示U盘的销量达1751亿元。"),
        quote="报告显示U盘的销量达1751亿元",
        figure_text="1751亿元",
        scope="U盘销量",
    )
    crossref = crossref_create(
        user=editor, from_claim=claim, to_claim=other, relation="contradicts", note="口径不同"
    )
    return claim, other, crossref


def test_a_verdict_shows_at_once_to_a_reader_who_had_the_page_open(
    viewer_client, reviewer_client, linked
):
    claim, _other, _crossref = linked
    assert "No verdicts yet." in text_of(viewer_client.get(claim.get_absolute_url()))

    response = reviewer_client.post(
        f"/claims/{claim.pk}/annotate/", {"verdict": "dispute", "note": "数字对不上"}
    )
    assert response.status_code == 302

    page = text_of(viewer_client.get(claim.get_absolute_url()))
    assert "No verdicts yet." not in page
    assert "数字对不上" in page
    assert "current verdicts: 0 agree, 1 dispute, 0 need context." in page


def test_a_retraction_leaves_the_page_at_once(viewer_client, editor, linked):
    claim, other, crossref = linked
    assert [pk for pk, _text in references(viewer_client.get(claim.get_absolute_url()))] == [
        other.pk
    ]

    crossref_retract(crossref=crossref, user=editor, reason="linked by mistake")
    assert references(viewer_client.get(claim.get_absolute_url())) == []
    assert "No cross-references yet." in text_of(viewer_client.get(claim.get_absolute_url()))


def test_a_change_made_outside_the_services_shows_at_once(viewer_client, reviewer, linked):
    claim, other, _crossref = linked
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree", note="")
    before = text_of(viewer_client.get(claim.get_absolute_url()))
    assert "另一篇报告" in before and "U盘销量" in before and reviewer.username in before

    # By hand, as an administrator might in the database: no service, no changed timestamp,
    # one row at a time, each on a page just served again.
    changes = [
        (Claim.objects.filter(pk=other.pk), {"scope": "U盘零售额"}, "U盘零售额"),
        (Source.objects.filter(pk=other.source_id), {"title": "改过的标题"}, "改过的标题"),
        (
            get_user_model().objects.filter(pk=reviewer.pk),
            {"username": "renamed-reviewer"},
            "renamed-reviewer",
        ),
        (Claim.objects.filter(pk=claim.pk), {"summary": "规模的口径见报告附录"}, "附录"),
    ]
    for rows, change, shown in changes:
        assert shown not in text_of(viewer_client.get(claim.get_absolute_url()))
        rows.update(**change)
        assert shown in text_of(viewer_client.get(claim.get_absolute_url())), change


def test_a_viewer_never_sees_the_controls_an_editor_was_shown_first(
    editor_client, viewer_client, reviewer_client, linked
):
    claim, _other, crossref = linked
    url = claim.get_absolute_url()
    editor_page = editor_client.get(url).content.decode()
    assert f"/claims/{claim.pk}/edit/" in editor_page
    assert f"/crossrefs/{crossref.pk}/retract/" in editor_page
    assert "Add a cross-reference" in editor_page

    viewer_page = viewer_client.get(url).content.decode()
    reviewer_page = reviewer_client.get(url).content.decode()
    for page in (viewer_page, reviewer_page):
        assert f"/claims/{claim.pk}/edit/" not in page
        assert f"/crossrefs/{crossref.pk}/retract/" not in page
        assert "Add a cross-reference" not in page
    assert "Record my verdict" not in viewer_page
    assert "Record my verdict" in reviewer_page


def test_every_reader_gets_their_own_csrf_token_on_a_kept_page(editor_client, reviewer, linked):
    claim, _other, _crossref = linked
    url = claim.get_absolute_url()
    editor_tokens = set(TOKEN.findall(editor_client.get(url).content.decode()))

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    tokens = set(TOKEN.findall(page))
    assert tokens and not tokens & editor_tokens
    # The token of the kept page is the reviewer's own: the browser's post is accepted.
    response = client.post(
        f"/claims/{claim.pk}/annotate/",
        {"verdict": "agree", "note": "", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    assert Verdict.objects.filter(claim=claim, reviewer=reviewer).exists()


def test_switching_the_script_or_the_language_shows_the_page_in_it(
    reviewer, reviewer_client, linked
):
    claim, _other, _crossref = linked
    url = claim.get_absolute_url()
    assert "报告显示U盘的销量达1751亿元" in text_of(reviewer_client.get(url))

    preferences_set_reading(user=reviewer, reading="hant_tw")
    page = text_of(reviewer_client.get(url))
    assert "報告顯示隨身碟的銷量達1751億元" in page
    assert "Article and claim text shown in Traditional (Taiwan)" in page

    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    page = text_of(reviewer_client.get(url))
    assert "尚無判定。" in page and "No verdicts yet." not in page
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "尚无判定。" in text_of(reviewer_client.get(url))


def test_each_reviewer_and_note_shows_on_a_kept_page_as_it_now_stands(
    viewer_client, reviewer, other_reviewer, linked
):
    claim, _other, crossref = linked
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree", note="")
    viewer_client.get(claim.get_absolute_url())
    verdict_create(claim=claim, reviewer=other_reviewer, verdict="agree", note="")
    page = viewer_client.get(claim.get_absolute_url()).content.decode()
    assert f"/reviewers/{reviewer.username}/" in page
    assert f"/reviewers/{other_reviewer.username}/" in page

    CrossReference.objects.filter(pk=crossref.pk).update(note="改过的说明")
    assert "改过的说明" in text_of(viewer_client.get(claim.get_absolute_url()))


# The cross-reference board keeps its cards drawn in the same way.

BOARD = "/crossrefs/"


def test_the_board_shows_a_verdict_a_change_and_a_retraction_at_once(
    viewer_client, editor, reviewer, linked
):
    _claim, other, crossref = linked
    page = text_of(viewer_client.get(BOARD))
    assert "口径不同" in page and "U盘销量" in page and "✗1" not in page

    verdict_create(crossref=crossref, reviewer=reviewer, verdict="dispute", note="不是同一口径")
    assert "口径不同 disputed ✓0 ✗1 ?0" in text_of(viewer_client.get(BOARD))

    Claim.objects.filter(pk=other.pk).update(scope="U盘零售额")
    assert "U盘零售额" in text_of(viewer_client.get(BOARD))

    crossref_retract(crossref=crossref, user=editor, reason="linked by mistake")
    page = text_of(viewer_client.get(BOARD))
    assert "口径不同" not in page and "No cross-references match." in page


def test_the_board_offers_a_verdict_only_to_reviewers_whoever_opened_it_first(
    reviewer_client, viewer_client, linked
):
    _claim, _other, crossref = linked
    form = f'action="/crossrefs/{crossref.pk}/annotate/"'
    assert form in reviewer_client.get(BOARD).content.decode()
    assert form not in viewer_client.get(BOARD).content.decode()
    assert form in reviewer_client.get(BOARD).content.decode()
