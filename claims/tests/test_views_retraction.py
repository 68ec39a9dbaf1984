"""The Retract and Restore buttons, the Retracted list and a retracted record's page."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from claims.models import Claim, CrossReference, Verdict
from claims.services import (
    claim_publish,
    claim_retract,
    crossref_create,
    crossref_retract,
    source_retract,
    verdict_create,
)
from sources.models import Source

LIST = reverse("claims:claim_list")
RETRACTED = reverse("claims:retracted_list")
BLOCK_TAG = re.compile(r"</?(?:td|th|tr|li|p|div|blockquote|h\d|label)\b[^>]*>")


def text_of(response):
    text = strip_tags(BLOCK_TAG.sub(" ", response.content.decode()))
    return " ".join(html.unescape(text).split())


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_an_editor_retracts_a_claim_with_a_reason_and_it_leaves_the_list_and_the_search(
    editor_client, make_claim
):
    mistake = make_claim(quote="中国人工智能核心产业规模")
    kept = make_claim()
    page = editor_client.get(mistake.get_absolute_url())
    assert reverse("claims:claim_retract", args=[mistake.pk]) in page.content.decode()

    response = editor_client.post(
        reverse("claims:claim_retract", args=[mistake.pk]),
        {"reason": "Quote typed twice."},
        follow=True,
    )

    assert "Retracted: the claim has left the lists" in text_of(response)
    assert "Retracted by eddie" in text_of(response)
    assert "Quote typed twice." in text_of(response)
    listed = editor_client.get(LIST).content.decode()
    searched = editor_client.get(LIST, {"q": "人工智能"}).content.decode()
    for content in (listed, searched):
        assert f"/claims/{kept.pk}/" in content
        assert f"/claims/{mistake.pk}/" not in content


def test_a_retraction_without_a_reason_is_refused_and_the_claim_stays(editor_client, make_claim):
    claim = make_claim()

    response = editor_client.post(reverse("claims:claim_retract", args=[claim.pk]), {"reason": " "})

    assert response.status_code == 400
    assert "Say why it is retracted." in text_of(response)
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reviewer_may_not_retract(client, reviewer, make_claim, method):
    claim = make_claim()
    client.force_login(reviewer)

    response = getattr(client, method)(
        reverse("claims:claim_retract", args=[claim.pk]), {"reason": "no"}
    )

    assert response.status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert "claim_retract" not in client.get(claim.get_absolute_url()).content.decode()


def test_a_retracted_claims_page_is_for_editors_who_restore_it_there(
    client, editor, reviewer, make_claim
):
    claim = make_claim()
    claim_retract(claim=claim, user=editor, reason="Wrong article.")
    client.force_login(reviewer)
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert client.get(reverse("claims:claim_history", args=[claim.pk])).status_code == 404
    assert client.get(RETRACTED).status_code == 403

    client.force_login(editor)
    listed = client.get(RETRACTED)
    assert "Wrong article." in text_of(listed)
    history = client.get(reverse("claims:claim_history", args=[claim.pk]))
    assert "Wrong article." in text_of(history)

    response = client.post(reverse("claims:claim_restore", args=[claim.pk]), follow=True)

    assert "Restored: the claim is back on every page." in text_of(response)
    assert f"/claims/{claim.pk}/" in client.get(LIST).content.decode()
    assert "None." in text_of(client.get(RETRACTED))


def test_a_cross_reference_is_retracted_from_its_page_and_recreating_it_says_to_restore(
    editor_client, editor, make_claim
):
    a, b = make_claim(), make_claim()
    crossref = crossref_create(user=editor, from_claim=a, to_claim=b, relation="supports", note="n")
    claim_page = editor_client.get(a.get_absolute_url()).content.decode()
    assert reverse("claims:crossref_retract", args=[crossref.pk]) in claim_page

    editor_client.post(
        reverse("claims:crossref_retract", args=[crossref.pk]), {"reason": "Not the same figure."}
    )
    assert not CrossReference.objects.exists()
    assert "Not the same figure." in text_of(editor_client.get(crossref.get_absolute_url()))

    response = editor_client.post(
        reverse("claims:claim_crossref_create", args=[b.pk]),
        {"to_claim": a.pk, "relation": "supports", "note": "again"},
    )

    assert response.status_code == 400
    assert "restore that cross-reference from the Retracted page" in text_of(response)


def test_a_source_that_claims_quote_is_not_retracted_and_the_page_says_why(
    editor_client, make_claim
):
    claim = make_claim()

    response = editor_client.post(
        reverse("sources:source_retract", args=[claim.source_id]), {"reason": "duplicate"}
    )

    assert response.status_code == 400
    assert "1 claim quotes this source: retract it first." in text_of(response)
    assert Source.objects.filter(pk=claim.source_id).exists()


def test_a_retracted_source_leaves_the_source_list_until_restored(
    editor_client, editor, make_source
):
    source = make_source(title="重复的文章")
    source_retract(source=source, user=editor, reason="Added twice.")
    assert "重复的文章" not in text_of(editor_client.get(reverse("sources:source_list")))
    assert "Added twice." in text_of(editor_client.get(source.get_absolute_url()))

    editor_client.post(reverse("sources:source_restore", args=[source.pk]))

    assert "重复的文章" in text_of(editor_client.get(reverse("sources:source_list")))


def test_a_retracted_published_claims_public_page_is_gone_with_a_note(
    client, editor, reviewer, make_claim, make_source
):
    source = make_source(url="https://example.com/a", published_on=datetime.date(2024, 5, 1))
    claim = make_claim(source=source)
    verdict_create(claim=claim, reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    claim_publish(claim=claim, user=editor)
    claim_retract(claim=claim, user=editor, reason="wrong")

    response = client.get(claim.get_public_url())

    assert response.status_code == 410
    assert "has withdrawn this fact-check" in text_of(response)
    assert claim.quote not in response.content.decode()
    assert claim.quote not in client.get(reverse("claims:fact_check_list")).content.decode()


def test_a_retracted_cross_reference_leaves_the_board(client, viewer, editor, make_claim):
    a, b = make_claim(), make_claim()
    crossref = crossref_create(
        user=editor, from_claim=a, to_claim=b, relation="supports", note="同一數字"
    )
    crossref_retract(crossref=crossref, user=editor, reason="wrong")
    client.force_login(viewer)

    assert "同一數字" not in text_of(client.get(reverse("claims:crossref_list")))
    assert client.get(crossref.get_absolute_url()).status_code == 404


def test_the_retracted_list_costs_the_same_queries_however_many_rows_it_shows(
    editor_client, editor, make_claim, make_source
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def retract_some(count):
        for _ in range(count):
            a, b = make_claim(), make_claim()
            crossref = crossref_create(
                user=editor, from_claim=a, to_claim=b, relation="related", note="n"
            )
            crossref_retract(crossref=crossref, user=editor, reason="wrong pair")
            claim_retract(claim=a, user=editor, reason="wrong claim")
            source_retract(source=make_source(), user=editor, reason="wrong article")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.get(RETRACTED)
        assert response.status_code == 200
        return len(captured)

    retract_some(1)
    few = queries()
    retract_some(3)

    assert queries() == few
    assert "(4)" in text_of(editor_client.get(RETRACTED))
