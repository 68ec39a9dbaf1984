"""Retracting claims, cross-references and sources made in error, and restoring them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.exports import ClaimExport
from claims.models import Assignment, Claim, CrossReference, Verdict
from claims.selectors import overview_counts, queue_counts, verdicts_given_by
from claims.services import (
    claim_restore,
    claim_retract,
    claims_assign,
    crossref_create,
    crossref_restore,
    crossref_retract,
    source_restore,
    source_retract,
    verdict_create,
)
from core.history import history_entries
from core.pagination import Count
from sources.models import Source
from sources.services import source_create

AI_TEXT = "AI投资：据统计，AI领域投资为860亿美元。AI芯片的规模为100亿美元。"


@pytest.fixture
def typed_ai(make_source, editor):
    """The issue's mistake: a quote typed as `AI`, anchored at the first AI of the text."""
    source = make_source(text=AI_TEXT)
    from claims.services import claim_create

    return claim_create(user=editor, source=source, quote="AI")


def test_a_retracted_claim_leaves_lists_counts_and_exports_but_keeps_who_and_why(
    typed_ai, make_claim, editor, reviewer
):
    kept = make_claim()
    verdict_create(claim=typed_ai, reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    verdict_create(claim=kept, reviewer=reviewer, verdict=Verdict.Kind.AGREE)

    claim_retract(claim=typed_ai, user=editor, reason="Typed “AI” by mistake.")

    assert list(Claim.objects.all()) == [kept]
    assert overview_counts()["claim_count"] == Count(1)
    assert [c["id"] for c in ClaimExport(Claim.objects.reviewed()).claims()] == [
        str(kept.public_id)
    ]
    assert [v.claim for v in verdicts_given_by(reviewer)] == [kept]
    retracted = Claim.all_objects.get(pk=typed_ai.pk)
    assert (retracted.retracted_by, retracted.retraction_reason) == (
        editor,
        "Typed “AI” by mistake.",
    )
    (latest, *_earlier) = history_entries(retracted, fields=("retracted_at", "retraction_reason"))
    assert latest.who == editor
    assert [change.name for change in latest.changes] == ["retracted_at", "retraction_reason"]


def test_a_retraction_needs_a_reason_and_changes_nothing_without_one(typed_ai, editor):
    with pytest.raises(ValidationError) as refused:
        claim_retract(claim=typed_ai, user=editor, reason="  ")

    assert "retraction_reason" in refused.value.message_dict
    assert Claim.objects.filter(pk=typed_ai.pk).exists()


def test_only_an_editor_retracts_or_restores(typed_ai, reviewer, editor):
    with pytest.raises(PermissionDenied):
        claim_retract(claim=typed_ai, user=reviewer, reason="wrong")
    claim_retract(claim=typed_ai, user=editor, reason="wrong")
    with pytest.raises(PermissionDenied):
        claim_restore(claim=typed_ai, user=reviewer)


def test_a_restored_claim_is_back_with_its_verdicts_and_cross_references(
    typed_ai, make_claim, editor, reviewer
):
    other = make_claim()
    crossref = crossref_create(
        user=editor, from_claim=typed_ai, to_claim=other, relation="related", note="同一段落"
    )
    verdict_create(claim=typed_ai, reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    claim_retract(claim=typed_ai, user=editor, reason="wrong")
    assert not CrossReference.objects.exists()

    claim_restore(claim=typed_ai, user=editor)

    restored = Claim.objects.get(pk=typed_ai.pk)
    assert (restored.retracted_at, restored.retracted_by, restored.retraction_reason) == (
        None,
        None,
        "",
    )
    assert restored.agree_count == 1
    assert list(CrossReference.objects.all()) == [crossref]


def test_a_claim_waits_for_its_retracted_source_to_be_restored(make_claim, editor):
    claim = make_claim()
    claim_retract(claim=claim, user=editor, reason="wrong article")
    source_retract(source=claim.source, user=editor, reason="wrong article")

    with pytest.raises(ValidationError, match="restore the source first"):
        claim_restore(claim=claim, user=editor)

    source_restore(source=claim.source, user=editor)
    claim_restore(claim=claim, user=editor)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_source_that_a_claim_quotes_cannot_be_retracted(make_claim, editor):
    claim = make_claim()

    with pytest.raises(ValidationError, match="1 claim quotes this source: retract it first"):
        source_retract(source=claim.source, user=editor, reason="duplicate")

    assert Source.objects.filter(pk=claim.source_id).exists()


def test_a_retracted_sources_key_and_url_stay_taken_and_say_so(make_source, editor):
    source = make_source(key="cna-ai", url="https://example.com/cna-ai")
    source_retract(source=source, user=editor, reason="duplicate")

    with pytest.raises(ValidationError) as refused:
        source_create(
            user=editor,
            key="cna-ai",
            url="https://example.com/cna-ai",
            title="t",
            outlet="o",
            script="hans",
            region="cn",
            text="正文",
        )

    assert "restore it" in refused.value.message_dict["key"][0]
    assert "restore it" in refused.value.message_dict["url"][0]
    # A proposed key steps around the retracted one.
    again = source_create(
        user=editor, title="t", outlet="o", script="hans", region="cn", text="正文", key=""
    )
    assert again.key != "cna-ai"


def test_recreating_a_retracted_cross_reference_says_to_restore_it(make_claim, editor):
    a, b = make_claim(), make_claim()
    crossref = crossref_create(user=editor, from_claim=a, to_claim=b, relation="supports", note="n")
    crossref_retract(crossref=crossref, user=editor, reason="wrong pair")

    with pytest.raises(ValidationError, match="restore that cross-reference"):
        crossref_create(user=editor, from_claim=b, to_claim=a, relation="supports", note="again")

    crossref_restore(crossref=crossref, user=editor)
    assert list(CrossReference.objects.all()) == [crossref]


def test_a_cross_reference_waits_for_its_retracted_claim(make_claim, editor):
    a, b = make_claim(), make_claim()
    crossref = crossref_create(user=editor, from_claim=a, to_claim=b, relation="supports", note="n")
    crossref_retract(crossref=crossref, user=editor, reason="wrong pair")
    claim_retract(claim=b, user=editor, reason="wrong claim")

    with pytest.raises(ValidationError, match="restore the claim first"):
        crossref_restore(crossref=crossref, user=editor)


def test_a_retracted_claim_leaves_the_queues(make_claim, editor, reviewer):
    claim = make_claim()
    claims_assign(claims=[claim], reviewer=reviewer, user=editor)
    verdict_create(claim=make_claim(), reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    verdict_create(claim=claim, reviewer=editor, verdict=Verdict.Kind.AGREE)
    claim.refresh_from_db()
    Claim.objects.filter(pk=claim.pk).update(recheck_since=claim.last_verdict_at + timedelta(1))
    assert queue_counts(reviewer) == {"assigned_count": Count(1), "recheck_count": Count(1)}

    claim_retract(claim=claim, user=editor, reason="wrong")

    assert queue_counts(reviewer) == {"assigned_count": Count(0), "recheck_count": Count(0)}
    assert Assignment.objects.filter(claim=claim).exists()  # kept for a restore


def test_a_verdict_on_a_retracted_claim_is_refused(typed_ai, editor, reviewer):
    claim_retract(claim=typed_ai, user=editor, reason="wrong")

    with pytest.raises(ValidationError, match="It was retracted"):
        verdict_create(claim=typed_ai, reviewer=reviewer, verdict=Verdict.Kind.AGREE)

    assert not Verdict.objects.exists()


def test_a_reviewers_record_leaves_out_verdicts_on_whatever_is_retracted_until_restored(
    make_claim, editor, reviewer
):
    from claims.selectors import verdict_counts_of

    first, second, third, fourth = (make_claim() for _ in range(4))
    through_claim = crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="supports", note="同一数字"
    )
    retracted_itself = crossref_create(
        user=editor, from_claim=third, to_claim=fourth, relation="supports", note="同一数字"
    )
    on_claim = verdict_create(claim=first, reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    on_fallen = verdict_create(
        crossref=through_claim, reviewer=reviewer, verdict=Verdict.Kind.AGREE
    )
    on_retracted = verdict_create(
        crossref=retracted_itself, reviewer=reviewer, verdict=Verdict.Kind.DISPUTE, note="不对"
    )
    on_other_claim = verdict_create(claim=fourth, reviewer=reviewer, verdict=Verdict.Kind.AGREE)

    # The cross-reference falls with the claim it points to; the other is retracted itself.
    claim_retract(claim=second, user=editor, reason="wrong")
    crossref_retract(crossref=retracted_itself, user=editor, reason="wrong pair")

    assert set(verdicts_given_by(reviewer)) == {on_claim, on_other_claim}
    assert verdict_counts_of(reviewer)[Verdict.Kind.AGREE] == 2
    assert verdict_counts_of(reviewer)[Verdict.Kind.DISPUTE] == 0

    claim_restore(claim=Claim.all_objects.get(pk=second.pk), user=editor)
    crossref_restore(crossref=CrossReference.all_objects.get(pk=retracted_itself.pk), user=editor)

    assert set(verdicts_given_by(reviewer)) == {on_claim, on_fallen, on_retracted, on_other_claim}
    assert verdict_counts_of(reviewer)[Verdict.Kind.DISPUTE] == 1
