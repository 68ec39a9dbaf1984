"""Review queues: claims assigned to a reviewer, and reviewed claims that changed since."""

from decimal import Decimal

import pytest
from django.urls import reverse

from claims.filters import NEEDS_RECHECK
from claims.models import Assignment, Claim
from claims.services import (
    claim_update,
    claims_assign,
    crossref_create,
    source_update,
    verdict_create,
)

LIST = reverse("claims:claim_list")


def needing_recheck():
    return sorted(Claim.objects.filter(NEEDS_RECHECK).values_list("pk", flat=True))


@pytest.fixture
def reviewed(make_claim, reviewer):
    claim = make_claim()
    verdict_create(reviewer=reviewer, claim=claim, verdict="agree")
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"scope": "AI start-ups only"}, "the scope was edited"),
        ({"period_start": 2022, "period_end": 2022}, "the period was edited"),
        ({"scope": "AI start-ups only", "unit": "USD"}, "the figure was edited"),
    ],
)
def test_a_recheck_says_which_part_of_the_figure_changed(reviewed, editor, changes, reason):
    claim_update(claim=reviewed, user=editor, expected_version=reviewed.version, **changes)

    assert needing_recheck() == [reviewed.pk]
    assert Claim.objects.get(pk=reviewed.pk).recheck_reason == reason


def test_an_edited_figure_sends_a_reviewed_claim_back_until_its_next_verdict(
    reviewed, editor, reviewer
):
    claim_update(
        claim=reviewed, user=editor, expected_version=reviewed.version, value=Decimal("1752e8")
    )

    assert needing_recheck() == [reviewed.pk]
    assert Claim.objects.get(pk=reviewed.pk).recheck_reason == "the figure was edited"

    verdict_create(reviewer=reviewer, claim=reviewed, verdict="agree")

    assert needing_recheck() == []


def test_an_edit_of_the_summary_alone_does_not_ask_for_a_recheck(reviewed, editor):
    claim_update(claim=reviewed, user=editor, expected_version=reviewed.version, summary="Size.")

    assert needing_recheck() == []


def test_a_quote_lost_in_a_corrected_text_asks_for_a_recheck(reviewed, editor):
    source = reviewed.source
    source_update(
        source=source,
        user=editor,
        expected_version=source.version,
        text=source.text.replace("1751亿元", "一千多亿元"),
    )

    assert needing_recheck() == [reviewed.pk]
    assert "no longer in the corrected text" in Claim.objects.get(pk=reviewed.pk).recheck_reason


def test_a_correction_around_the_quote_asks_for_a_recheck(reviewed, editor):
    source = reviewed.source
    source_update(
        source=source,
        user=editor,
        expected_version=source.version,
        text=source.text.replace("据报道，2023年", "据最新统计，2023年"),
    )

    assert needing_recheck() == [reviewed.pk]


def test_a_new_contradicting_cross_reference_asks_for_a_recheck_of_both(
    reviewed, make_claim, editor
):
    other = make_claim(quote="中国在人工智能领域的投资约为860亿美元")
    crossref_create(
        user=editor, from_claim=reviewed, to_claim=other, relation="related", note="相关"
    )
    assert needing_recheck() == []

    crossref_create(
        user=editor, from_claim=other, to_claim=reviewed, relation="contradicts", note="矛盾"
    )

    # Only the reviewed one: an unreviewed claim is in no re-check queue, just unreviewed.
    assert needing_recheck() == [reviewed.pk]


def test_the_list_shows_the_recheck_queue_and_the_overview_counts_it(
    reviewed, editor, reviewer_client, make_claim
):
    make_claim()
    claim_update(claim=reviewed, user=editor, expected_version=reviewed.version, unit="USD")

    response = reviewer_client.get(LIST, {"recheck": "on"})

    assert [claim.pk for claim in response.context["claims"]] == [reviewed.pk]
    home = reviewer_client.get(reverse("home")).content.decode()
    assert 'need a re-check</a> <span class="count">1</span>' in home


def test_a_claim_to_look_at_again_says_on_its_page_what_changed_until_its_next_verdict(
    reviewed, editor, reviewer, reviewer_client, settings
):
    claim_update(claim=reviewed, user=editor, expected_version=reviewed.version, period_end=2024)
    page = reviewer_client.get(reviewed.get_absolute_url()).content.decode()
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    in_chinese = reviewer_client.get(reviewed.get_absolute_url()).content.decode()

    assert "Changed since its last verdict" in page and "the period was edited." in page
    assert f'href="/claims/{reviewed.pk}/history/">change history</a>' in page
    assert "期間經過修改" in in_chinese

    verdict_create(reviewer=reviewer, claim=reviewed, verdict="agree")
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert "Changed since" not in reviewer_client.get(reviewed.get_absolute_url()).content.decode()


def test_an_assignment_waits_in_the_reviewers_queue_until_they_give_a_verdict(
    make_claim, reviewer, editor, reviewer_client
):
    first, second, other = make_claim(), make_claim(), make_claim()

    assert claims_assign(claims=[first, second], reviewer=reviewer, user=editor) == 2
    assert claims_assign(claims=[first, second], reviewer=reviewer, user=editor) == 0

    listed = reviewer_client.get(LIST, {"assigned_to_me": "on"}).context["claims"]
    assert sorted(claim.pk for claim in listed) == sorted([first.pk, second.pk])
    home = reviewer_client.get(reverse("home")).content.decode()
    assert 'Assigned to you</a> <span class="count">2</span>' in home

    verdict_create(reviewer=reviewer, claim=first, verdict="agree")

    listed = reviewer_client.get(LIST, {"assigned_to_me": "on"}).context["claims"]
    assert [claim.pk for claim in listed] == [second.pk]
    assert Assignment.objects.get(claim=first).done_at is not None
    assert other.pk not in [claim.pk for claim in listed]


def test_claims_cannot_be_assigned_to_someone_who_cannot_give_verdicts(make_claim, viewer, editor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cannot give verdicts"):
        claims_assign(claims=[make_claim()], reviewer=viewer, user=editor)
    assert not Assignment.objects.exists()
