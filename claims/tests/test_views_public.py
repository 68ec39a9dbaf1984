import datetime
import uuid
from decimal import Decimal

import extruct
import pytest
from django.urls import reverse

from claims.models import Verdict
from claims.services import claim_publish, claim_update, verdict_create


@pytest.fixture
def reviewed_claim(make_claim, make_source, reviewer):
    """Return a maker of disputed claims from a dated, linked Traditional-script article."""

    counter = iter(range(1, 100))

    def make(**overrides):
        number = next(counter)
        source = make_source(
            title="資策會：中國人工智慧投資逾千億美元",
            outlet="中央社",
            script="hant",
            url=f"https://example.com/cna-ai-{number}",
            published_on=datetime.date(2024, 5, 1),
            text="報告指出，中國在人工智慧領域的投資超過1,000億美元。<script>alert(1)</script>",
        )
        fields = {"quote": "中國在人工智慧領域的投資超過1,000億美元", "attributed_to": "資策會"}
        fields.update(overrides)
        claim = make_claim(source=source, **fields)
        verdict_create(
            claim=claim,
            reviewer=reviewer,
            verdict=Verdict.Kind.DISPUTE,
            note="原報告為 860 億美元，</script> 不含硬體",
        )
        return claim

    return make


@pytest.fixture
def published(reviewed_claim, editor):
    return claim_publish(claim=reviewed_claim(), user=editor)


def public_url(claim):
    return reverse("claims:fact_check_detail", args=[claim.public_id])


def test_anyone_reads_a_published_fact_check_without_logging_in(client, published):
    response = client.get(public_url(published))

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<blockquote class="quote" lang="zh-Hant">中國在人工智慧領域的投資超過1,000億美元' in page
    )
    assert 'href="https://example.com/cna-ai-1"' in page and "2024-05-01" in page
    assert "The reviewers dispute this claim." in page
    assert "原報告為 860 億美元，&lt;/script&gt; 不含硬體" in page
    assert "1 of 5" in page


def test_a_fact_check_page_carries_its_claimreview_as_json_ld(client, published, settings):
    settings.HECHA_PUBLIC_BASE_URL = "https://hecha.example.org"
    settings.HECHA_PUBLISHER = "核查台"

    html = client.get(public_url(published)).content.decode()

    (review,) = extruct.extract(
        html, base_url="https://hecha.example.org/", syntaxes=["json-ld"], uniform=True
    )["json-ld"]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"https://hecha.example.org/fact-checks/{published.public_id}/"
    assert review["claimReviewed"] == "中國在人工智慧領域的投資超過1,000億美元"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Disputed",
        "ratingExplanation": "原報告為 860 億美元，</script> 不含硬體",
    }
    assert review["author"] == {"@type": "Organization", "name": "核查台"}
    assert review["itemReviewed"]["appearance"]["url"] == "https://example.com/cna-ai-1"
    assert review["itemReviewed"]["author"]["name"] == "資策會"
    # The note's "</script>" was escaped inside the block, so it did not end it early.
    assert html.count("</script>") == html.count("<script")


def test_an_unpublished_or_unknown_fact_check_is_not_found_for_anyone(
    client, reviewed_claim, viewer, staff
):
    unpublished = reviewed_claim()

    answers = [client.get(public_url(unpublished)).status_code]
    answers.append(client.get(reverse("claims:fact_check_detail", args=[uuid.uuid4()])).status_code)
    for user in (viewer, staff):
        client.force_login(user)
        answers.append(client.get(public_url(unpublished)).status_code)

    assert answers == [404, 404, 404, 404]
    client.logout()
    assert unpublished.quote not in client.get(reverse("claims:fact_check_list")).content.decode()


def test_an_account_without_a_role_still_reads_the_public_pages(
    client, published, django_user_model
):
    client.force_login(django_user_model.objects.create_user(username="nobody"))

    detail = client.get(public_url(published))
    listing = client.get(reverse("claims:fact_check_list"))
    private = client.get(published.get_absolute_url())

    assert detail.status_code == 200 and listing.status_code == 200
    assert published.quote in listing.content.decode()
    assert private.status_code == 403


def test_the_fact_check_index_lists_published_claims_newest_first(client, reviewed_claim, editor):
    first = claim_publish(claim=reviewed_claim(), user=editor)
    second = claim_publish(claim=reviewed_claim(quote="報告指出"), user=editor)
    reviewed_claim(quote="人工智慧")  # reviewed, never published

    page = client.get(reverse("claims:fact_check_list")).content.decode()

    assert page.index(public_url(second)) < page.index(public_url(first))
    assert "人工智慧</a>" not in page


def test_an_editor_publishes_from_the_claim_page_and_the_public_page_appears(
    client, reviewed_claim, editor
):
    claim = reviewed_claim()
    client.force_login(editor)
    assert "Publish as a fact-check" in client.get(claim.get_absolute_url()).content.decode()

    response = client.post(reverse("claims:claim_publish", args=[claim.pk]), follow=True)

    assert "Published: anyone can now read this fact-check." in response.content.decode()
    assert public_url(claim) in response.content.decode()
    client.logout()
    assert client.get(public_url(claim)).status_code == 200


def test_the_claim_page_says_why_a_claim_cannot_be_published(client, make_claim, editor):
    claim = make_claim()  # unreviewed, and its source has no URL or date
    client.force_login(editor)

    page = client.get(claim.get_absolute_url()).content.decode()
    refused = client.post(reverse("claims:claim_publish", args=[claim.pk]), follow=True)

    assert "Publish as a fact-check" not in page
    assert "only reviewed claims can be published" in page
    assert "Not published: It has no verdict yet" in refused.content.decode()
    assert client.get(public_url(claim)).status_code == 404


def test_a_reviewer_cannot_publish(client, reviewed_claim, reviewer):
    claim = reviewed_claim()
    client.force_login(reviewer)

    response = client.post(reverse("claims:claim_publish", args=[claim.pk]))

    assert response.status_code == 403
    assert client.get(public_url(claim)).status_code == 404


def test_an_editor_unpublishes_and_the_public_page_is_gone(client, published, editor):
    client.force_login(editor)

    client.post(reverse("claims:claim_unpublish", args=[published.pk]))

    client.logout()
    assert client.get(public_url(published)).status_code == 404


def test_a_reader_in_taiwan_reads_the_fact_check_in_traditional_chinese(client, published):
    response = client.get(public_url(published), headers={"accept-language": "zh-TW"})

    page = response.content.decode()
    assert '<h2 id="outcome-head">審核者的結論</h2>' in page
    assert '事實查核 <span class="status status-disputed">有異議</span>' in page
    assert "審核者對此主張有異議。" in page
    assert ">2024年5月1日</time>" in page
    # The machine-readable review keeps its ISO dates, whatever the page's language.
    (review,) = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert review["itemReviewed"]["appearance"]["datePublished"] == "2024-05-01"


def test_a_claim_changed_since_its_verdict_cannot_be_published_from_its_page(
    client, reviewed_claim, editor
):
    claim = reviewed_claim()
    claim_update(claim=claim, user=editor, expected_version=claim.version, value=Decimal("86e9"))
    client.force_login(editor)

    page = client.get(claim.get_absolute_url()).content.decode()
    refused = client.post(reverse("claims:claim_publish", args=[claim.pk]), follow=True)

    assert "Publish as a fact-check" not in page
    assert "a reviewer must record a fresh verdict before it can be published" in page
    assert "Not published: It changed since its last verdict" in refused.content.decode()
    client.logout()
    assert client.get(public_url(claim)).status_code == 404


def test_a_published_fact_check_changed_since_its_verdict_says_it_is_being_rechecked(
    client, published, editor, reviewer
):
    assert "re-checking" not in client.get(public_url(published)).content.decode()
    claim_update(
        claim=published, user=editor, expected_version=published.version, value=Decimal("86e9")
    )

    page = client.get(public_url(published)).content.decode()
    hant = client.get(public_url(published), headers={"accept-language": "zh-TW"})

    assert "Our reviewers are re-checking this finding" in page
    assert "審核者正在重新查核這項結論" in hant.content.decode()
    verdict_create(
        claim=published, reviewer=reviewer, verdict=Verdict.Kind.DISPUTE, note="原報告為 860 億美元"
    )
    assert "re-checking" not in client.get(public_url(published)).content.decode()
