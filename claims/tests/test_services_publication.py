import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from claims.models import Claim, Verdict
from claims.services import (
    claim_publish,
    claim_unpublish,
    claim_update,
    publication_refusals,
    verdict_create,
)


@pytest.fixture
def publishable(make_claim, make_source, reviewer):
    """Return a reviewed claim whose source has its URL and publication date."""
    source = make_source(url="https://example.com/ai", published_on=datetime.date(2024, 5, 1))
    claim = make_claim(source=source)
    verdict_create(claim=claim, reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    return claim


def test_an_editor_publishes_a_reviewed_claim_and_history_names_them(publishable, editor):
    claim_publish(claim=publishable, user=editor)

    claim = Claim.objects.get(pk=publishable.pk)
    assert claim.published_at is not None and claim.published_by == editor
    assert list(Claim.objects.published()) == [claim]
    latest = claim.history.latest("history_date")
    assert latest.history_user == editor and latest.published_at == claim.published_at


def test_unpublishing_takes_the_claim_off_the_public_list_and_is_recorded(publishable, editor):
    claim_publish(claim=publishable, user=editor)

    claim_unpublish(claim=publishable, user=editor)

    claim = Claim.objects.get(pk=publishable.pk)
    assert claim.published_at is None and claim.published_by is None
    assert not Claim.objects.published().exists()
    assert [h.published_at is None for h in claim.history.order_by("history_date")] == [
        True,
        False,
        True,
    ]


def test_publishing_an_unreviewed_claim_is_refused_with_a_reason(make_claim, make_source, editor):
    source = make_source(url="https://example.com/ai", published_on=datetime.date(2024, 5, 1))
    claim = make_claim(source=source)

    with pytest.raises(ValidationError, match="only reviewed claims can be published"):
        claim_publish(claim=claim, user=editor)
    assert not Claim.objects.published().exists()


def test_publishing_a_claim_whose_source_lacks_url_and_date_names_both(
    make_claim, reviewer, editor
):
    claim = make_claim()  # the factory's source has neither
    verdict_create(claim=claim, reviewer=reviewer, verdict=Verdict.Kind.AGREE)

    with pytest.raises(ValidationError) as refused:
        claim_publish(claim=claim, user=editor)

    assert refused.value.messages == [
        "Its source lacks its publication date and URL: add them to the source first."
    ]
    assert not Claim.objects.published().exists()


def test_only_an_editor_may_publish_or_unpublish(publishable, reviewer, viewer, editor):
    for user in (reviewer, viewer):
        with pytest.raises(PermissionDenied):
            claim_publish(claim=publishable, user=user)
    claim_publish(claim=publishable, user=editor)
    with pytest.raises(PermissionDenied):
        claim_unpublish(claim=publishable, user=reviewer)
    assert Claim.objects.published().exists()


def edit_figure(claim, editor):
    """Change the claim's figure after its verdict, which sends it back for a re-check."""
    claim = Claim.objects.get(pk=claim.pk)
    claim_update(claim=claim, user=editor, expected_version=claim.version, value=Decimal("1752e8"))
    return Claim.objects.get(pk=claim.pk)


def test_a_claim_changed_since_its_last_verdict_is_not_published_until_rechecked(
    publishable, editor, reviewer
):
    claim = edit_figure(publishable, editor)
    assert claim.needs_recheck

    assert publication_refusals(claim) == [
        "It changed since its last verdict, which may no longer hold: a reviewer must record "
        "a fresh verdict before it can be published."
    ]
    with pytest.raises(ValidationError, match="record a fresh verdict"):
        claim_publish(claim=claim, user=editor)
    assert not Claim.objects.published().exists()

    verdict_create(claim=claim, reviewer=reviewer, verdict=Verdict.Kind.AGREE)

    claim_publish(claim=claim, user=editor)
    assert Claim.objects.published().get() == claim


def test_the_recheck_refusal_reads_in_the_editors_language(publishable, editor):
    claim = edit_figure(publishable, editor)

    with translation.override("zh-hant"):
        (hant,) = publication_refusals(claim)
    with translation.override("zh-hans"):
        (hans,) = publication_refusals(claim)

    assert hant == "自上次判定後已有變更，該判定可能不再成立：須由審核者重新記錄判定後才能公開。"
    assert hans == "自上次判定后已有变更，该判定可能不再成立：须由审核者重新记录判定后才能公开。"


def test_a_published_claim_that_later_needs_a_recheck_stays_published(publishable, editor):
    claim_publish(claim=publishable, user=editor)

    claim = edit_figure(publishable, editor)

    assert claim.needs_recheck and claim.is_published
    assert claim_publish(claim=claim, user=editor).published_at == claim.published_at
    assert Claim.objects.published().get() == claim
