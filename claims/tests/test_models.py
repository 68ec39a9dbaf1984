"""The invariants hold in the database itself, whatever code writes the rows."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from claims.models import Claim, CrossReference, Verdict

QUOTE = "中国人工智能核心产业规模为1751亿元"


@pytest.fixture
def claim_fields(make_source, editor):
    """Return the fields of a correctly anchored claim, to be spoiled one at a time."""
    source = make_source()
    start = source.text.index(QUOTE)
    return {
        "source": source,
        "quote": QUOTE,
        "quote_start": start,
        "quote_end": start + len(QUOTE),
        "value": Decimal("175100000000"),
        "unit": "CNY",
        "created_by": editor,
    }


@pytest.fixture
def pair(make_claim):
    source_claim = make_claim()
    return source_claim, make_claim(source=source_claim.source, quote="860亿美元")


def refused(create, **fields):
    """Return True if the database refuses the row."""
    try:
        with transaction.atomic():
            create(**fields)
    except IntegrityError:
        return True
    return False


def crossref(first, second, relation="supports", note="同一数字"):
    return CrossReference.objects.create(
        from_claim=first, to_claim=second, relation=relation, note=note, created_by=first.created_by
    )


def test_a_correctly_anchored_chinese_quote_is_accepted(claim_fields):
    assert not refused(Claim.objects.create, **claim_fields)


def test_database_refuses_an_end_offset_that_does_not_span_the_quote(claim_fields):
    claim_fields["quote_end"] += 1

    assert refused(Claim.objects.create, **claim_fields)


def test_database_refuses_a_lower_bound_above_the_upper_bound(claim_fields):
    claim_fields.update(value_lower=Decimal("200"), value_upper=Decimal("100"))

    assert refused(Claim.objects.create, **claim_fields)


def test_database_refuses_a_crossref_from_a_claim_to_itself(pair):
    claim, _ = pair

    assert refused(crossref, first=claim, second=claim)


def test_database_refuses_the_same_pair_and_relation_twice(pair):
    first, second = pair
    crossref(first, second)

    assert refused(crossref, first=first, second=second)


def test_database_refuses_the_same_pair_and_relation_in_the_other_direction(pair):
    first, second = pair
    crossref(first, second)

    assert refused(crossref, first=second, second=first)


def test_a_pair_may_carry_a_different_relation(pair):
    first, second = pair
    crossref(first, second, relation="supports")

    assert not refused(crossref, first=second, second=first, relation="different_scope")
    assert CrossReference.objects.count() == 2


def test_database_refuses_an_annotation_on_both_a_claim_and_a_crossref(pair, reviewer):
    first, second = pair
    reference = crossref(first, second)

    both = {"claim": first, "crossref": reference}

    assert refused(Verdict.objects.create, verdict="agree", reviewer=reviewer, **both)


def test_database_refuses_an_annotation_on_nothing(reviewer):
    assert refused(Verdict.objects.create, verdict="agree", reviewer=reviewer)


def test_database_refuses_a_dispute_without_a_note(make_claim, reviewer):
    claim = make_claim()

    dispute = {"claim": claim, "verdict": "dispute", "reviewer": reviewer}

    assert refused(Verdict.objects.create, note="", **dispute)
    assert not refused(Verdict.objects.create, note="数字有误", **dispute)
