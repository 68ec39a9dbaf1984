from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, CrossReference, ReviewStatus, Verdict
from claims.services import (
    claim_build,
    claim_create,
    claim_update,
    crossref_build,
    crossref_create,
    verdict_build,
    verdict_create,
    verdicts_bulk_create,
)
from claims.services import crossrefs as crossref_services
from core.versioning import EditConflict

AGREE, DISPUTE, NEEDS_CONTEXT = (
    Verdict.Kind.AGREE,
    Verdict.Kind.DISPUTE,
    Verdict.Kind.NEEDS_CONTEXT,
)
REPEATED = "第一次：投资约为860亿美元。中间的话。第二次：投资约为860亿美元。结尾。"


def tally(claim):
    claim.refresh_from_db()
    return claim.review_status, claim.agree_count, claim.dispute_count, claim.needs_context_count


# Anchoring


def test_claim_create_refuses_a_quote_that_is_not_in_the_source(make_source, editor):
    source = make_source()

    with pytest.raises(ValidationError) as caught:
        claim_create(user=editor, source=source, quote="中国人工智能核心产业规模为9999亿元")

    assert "quote" in caught.value.message_dict
    assert not Claim.objects.exists()


def test_claim_create_anchors_the_quote_with_its_offsets_and_neighbouring_text(make_claim):
    claim = make_claim(quote="1751亿元")
    text = claim.source.text

    assert text[claim.quote_start : claim.quote_end] == "1751亿元"
    assert claim.quote_prefix == "据报道，2023年中国人工智能核心产业规模为"
    assert claim.quote_suffix.startswith("，同比增长11.9%。")
    assert text[claim.quote_end :].startswith(claim.quote_suffix)


def test_claim_create_anchors_the_occurrence_the_reader_selected(make_source, editor):
    source = make_source(text=REPEATED)
    second = REPEATED.rindex("投资约为860亿美元")

    claim = claim_create(user=editor, source=source, quote="投资约为860亿美元", start=second)

    assert claim.quote_start == second
    assert claim.quote_prefix.endswith("第二次：")


def test_claim_create_refuses_a_start_where_the_quote_does_not_stand(make_source, editor):
    source = make_source(text=REPEATED)

    with pytest.raises(ValidationError) as caught:
        claim_create(user=editor, source=source, quote="投资约为860亿美元", start=3)

    assert "quote" in caught.value.message_dict
    assert not Claim.objects.exists()


def test_claim_refuses_a_figure_of_sixteen_significant_digits(make_claim):
    with pytest.raises(ValidationError) as caught:
        make_claim(value=Decimal("1751000000000.001"))

    assert "value" in caught.value.message_dict
    assert not Claim.objects.exists()


def test_claim_accepts_a_figure_of_fifteen_significant_digits(make_claim):
    claim = make_claim(value=Decimal("175100000000.001"))

    claim.refresh_from_db()
    assert claim.value == Decimal("175100000000.001")


def test_claim_update_from_an_older_version_is_refused(make_claim, editor):
    claim = make_claim()
    claim_update(claim=claim, user=editor, expected_version=1, summary="First edit.")

    with pytest.raises(EditConflict) as caught:
        claim_update(claim=claim, user=editor, expected_version=1, summary="Stale edit.")

    assert "summary" in caught.value.changed_fields
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("First edit.", 2)


# Verdicts and review status


def test_an_agreement_turns_an_unreviewed_claim_agreed(make_claim, reviewer):
    claim = make_claim()
    assert tally(claim) == (ReviewStatus.UNREVIEWED, 0, 0, 0)

    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE)

    assert tally(claim) == (ReviewStatus.AGREED, 1, 0, 0)


def test_one_dispute_among_agreements_makes_a_claim_disputed(make_claim, reviewer, other_reviewer):
    claim = make_claim()
    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE)

    verdict_create(claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="范围不同")

    assert tally(claim) == (ReviewStatus.DISPUTED, 1, 1, 0)


def test_a_changed_mind_counts_once_and_keeps_the_earlier_verdict(
    make_claim, reviewer, other_reviewer
):
    claim = make_claim()
    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE)
    verdict_create(claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="范围不同")

    verdict_create(claim=claim, reviewer=reviewer, verdict=DISPUTE, note="重新核对后有误")

    assert tally(claim) == (ReviewStatus.DISPUTED, 0, 2, 0)
    assert list(claim.verdicts.order_by("pk").values_list("reviewer__username", "verdict")) == [
        ("rita", AGREE),
        ("otto", DISPUTE),
        ("rita", DISPUTE),
    ]


def test_agreement_mixed_with_needs_context_makes_a_claim_need_context(
    make_claim, reviewer, other_reviewer
):
    claim = make_claim()
    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE)

    verdict_create(claim=claim, reviewer=other_reviewer, verdict=NEEDS_CONTEXT, note="口径?")

    assert tally(claim) == (ReviewStatus.NEEDS_CONTEXT, 1, 0, 1)


def test_claims_filter_by_review_status(make_claim, reviewer):
    agreed, disputed, unreviewed = make_claim(), make_claim(), make_claim()
    verdict_create(claim=agreed, reviewer=reviewer, verdict=AGREE)
    verdict_create(claim=disputed, reviewer=reviewer, verdict=DISPUTE, note="数字有误")

    def having(status):
        return list(Claim.objects.filter(review_status=status))

    assert having(ReviewStatus.AGREED) == [agreed]
    assert having(ReviewStatus.DISPUTED) == [disputed]
    assert having(ReviewStatus.UNREVIEWED) == [unreviewed]
    assert set(Claim.objects.reviewed()) == {agreed, disputed}


def test_a_verdict_on_a_crossref_updates_its_tally_not_the_claims(make_claim, editor, reviewer):
    first = make_claim()
    second = make_claim(source=first.source, quote="860亿美元")
    reference = crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="different_scope", note="范围不同"
    )

    verdict_create(crossref=reference, reviewer=reviewer, verdict=DISPUTE, note="其实矛盾")

    reference.refresh_from_db()
    assert (reference.review_status, reference.dispute_count) == (ReviewStatus.DISPUTED, 1)
    assert tally(first) == (ReviewStatus.UNREVIEWED, 0, 0, 0)


# Cross-references


def test_crossref_create_refuses_a_claim_referring_to_itself(make_claim, editor):
    claim = make_claim()

    with pytest.raises(ValidationError):
        crossref_create(
            user=editor, from_claim=claim, to_claim=claim, relation="supports", note="同一"
        )

    assert not CrossReference.objects.exists()


def test_crossref_create_refuses_the_reverse_of_an_existing_pair_and_relation(make_claim, editor):
    first = make_claim()
    second = make_claim(source=first.source, quote="860亿美元")
    crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="supports", note="一致"
    )

    with pytest.raises(ValidationError) as caught:
        crossref_create(
            user=editor, from_claim=second, to_claim=first, relation="supports", note="反向"
        )

    assert "already carry this relation" in str(caught.value)
    assert CrossReference.objects.count() == 1


def test_a_crossref_whose_rival_committed_after_the_check_gets_the_sequential_refusal(
    make_claim, editor, monkeypatch
):
    first = make_claim()
    second = make_claim(source=first.source, quote="860亿美元")
    crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="supports", note="一致"
    )
    with pytest.raises(ValidationError) as sequential:
        crossref_create(
            user=editor, from_claim=second, to_claim=first, relation="supports", note="反向"
        )
    real = crossref_services.crossref_check_unique
    checks = []
    # The rival's cross-reference commits between this editor's check and insert.
    monkeypatch.setattr(
        crossref_services,
        "crossref_check_unique",
        lambda crossref: checks.append(crossref) if not checks else real(crossref),
    )

    with pytest.raises(ValidationError) as raced:
        crossref_create(
            user=editor, from_claim=second, to_claim=first, relation="supports", note="反向"
        )

    assert raced.value.messages == sequential.value.messages
    assert "already carry this relation" in raced.value.messages[0]
    assert CrossReference.objects.count() == 1


# Saving many at once (imports)


def test_claim_build_checks_a_claim_without_a_query_and_saves_nothing(
    make_source, editor, django_assert_num_queries
):
    source = make_source()

    with django_assert_num_queries(0):
        claim = claim_build(
            user=editor, source=source, quote="1751亿元", start=source.text.index("1751亿元")
        )
        with pytest.raises(ValidationError) as caught:
            claim_build(user=editor, source=source, quote="1751亿元", start=0)
        with pytest.raises(ValidationError) as unitless:
            claim_build(user=editor, source=source, quote="1751亿元", value=Decimal("1751"))

    assert "quote" in caught.value.message_dict and "unit" in unitless.value.message_dict
    assert claim.pk is None and not Claim.objects.exists()


def test_verdicts_bulk_create_tallies_each_claim_from_all_its_verdicts(
    make_claim, reviewer, other_reviewer
):
    claim, untouched = make_claim(), make_claim()
    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE)
    verdict_create(claim=untouched, reviewer=reviewer, verdict=AGREE)

    verdicts_bulk_create(
        verdicts=[
            verdict_build(claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="范围不同"),
            verdict_build(claim=claim, reviewer=reviewer, verdict=NEEDS_CONTEXT, note="再看看"),
        ]
    )

    # rita changed her mind from agree to needs context; otto disputes.
    assert tally(claim) == (ReviewStatus.DISPUTED, 0, 1, 1)
    assert tally(untouched) == (ReviewStatus.AGREED, 1, 0, 0)


def test_verdict_build_refuses_a_dispute_without_a_note(make_claim, reviewer):
    with pytest.raises(ValidationError) as caught:
        verdict_build(claim=make_claim(), reviewer=reviewer, verdict=DISPUTE, note="  ")

    assert "note" in caught.value.message_dict


def test_crossref_build_refuses_a_claim_referring_to_itself(make_claim, editor):
    claim = make_claim()

    with pytest.raises(ValidationError) as caught:
        crossref_build(
            user=editor, from_claim=claim, to_claim=claim, relation="supports", note="同"
        )

    assert "cannot refer to itself" in str(caught.value)


def test_a_note_longer_than_five_thousand_characters_is_refused(make_claim, reviewer, editor):
    claim, other = make_claim(), make_claim()
    long_note = "理由" * 2_501

    with pytest.raises(ValidationError) as refused:
        verdict_create(reviewer=reviewer, claim=claim, verdict=DISPUTE, note=long_note)
    assert "at most 5000 characters" in str(refused.value)
    with pytest.raises(ValidationError):
        crossref_create(
            user=editor, from_claim=claim, to_claim=other, relation="related", note=long_note
        )
    verdict_create(reviewer=reviewer, claim=claim, verdict=DISPUTE, note="理由" * 2_500)
    assert Verdict.objects.count() == 1
