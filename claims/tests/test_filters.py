"""The claim and cross-reference FilterSets, as the list, the export and the API use them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from claims.filters import ClaimFilterSet, CrossReferenceFilterSet, pairs_expected_many
from claims.models import Claim, CrossReference
from claims.services import crossref_create, source_update, verdict_create
from core.pagination import selection_estimate


def selected(data, *, user=None):
    request = RequestFactory().get("/claims/", data)
    if user is not None:
        request.user = user
    filterset = ClaimFilterSet(data, queryset=Claim.objects.all(), request=request)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


def errors_of(data):
    filterset = ClaimFilterSet(data, queryset=Claim.objects.all())
    assert not filterset.is_valid()
    return {name: list(messages) for name, messages in filterset.errors.items()}


@pytest.fixture
def periods(make_claim):
    """Claims for 2014–2024, 2020 alone, from 2022 on, until 2010, and with no period."""
    make = make_claim
    return {
        "2014-2024": make(period_start=2014, period_end=2024),
        "2020": make(period_start=2020, period_end=2020),
        "from-2022": make(period_start=2022, period_end=None),
        "until-2010": make(period_start=None, period_end=2010),
        "none": make(period_start=None, period_end=None),
    }


@pytest.mark.parametrize(
    "years, expected",
    [
        ({"year_from": "2021"}, {"2014-2024", "from-2022"}),
        ({"year_to": "2012"}, {"until-2010"}),
        ({"year_to": "2014"}, {"2014-2024", "until-2010"}),
        ({"year_from": "2019", "year_to": "2020"}, {"2014-2024", "2020"}),
        ({"year_from": "2030"}, {"from-2022"}),
    ],
)
def test_a_year_range_selects_the_claims_whose_period_overlaps_it(periods, years, expected):
    names = {claim.pk: name for name, claim in periods.items()}

    assert {names[pk] for pk in selected(years)} == expected


def test_a_year_range_that_ends_before_it_starts_is_refused(db):
    assert errors_of({"year_from": "2024", "year_to": "2020"}) == {
        "year_to": ["The period ends before it starts."]
    }


def test_a_value_range_is_inclusive_and_leaves_out_claims_without_a_figure(make_claim):
    low = make_claim(value=Decimal("86000000000"))
    high = make_claim(value=Decimal("605000000000"))
    make_claim(figure_text="", value=None, unit="")

    assert sorted(selected({"value_min": "86000000000"})) == sorted([low.pk, high.pk])
    assert selected({"value_max": "86000000000"}) == [low.pk]
    assert errors_of({"value_min": "2", "value_max": "1"}) == {
        "value_max": ["The smallest value is above the largest."]
    }


@pytest.mark.parametrize("value", ["1e999", "-1e200000", "100000000000000000000"])
def test_a_value_beyond_what_figures_hold_is_refused_once_naming_the_largest(db, value):
    largest = "99,999,999,999,999,999,999"

    assert errors_of({"value_min": value}) == {
        "value_min": [f"Give a value between -{largest} and {largest}."]
    }
    assert selected({"value_max": "99999999999999999999"}) == []


def test_not_yet_reviewed_by_me_hides_only_the_claims_this_reviewer_judged(
    make_claim, reviewer, other_reviewer
):
    mine = make_claim()
    theirs = make_claim()
    untouched = make_claim()
    verdict_create(reviewer=reviewer, claim=mine, verdict="agree")
    verdict_create(reviewer=other_reviewer, claim=theirs, verdict="agree")

    assert sorted(selected({"unreviewed_by_me": "on"}, user=reviewer)) == sorted(
        [theirs.pk, untouched.pk]
    )


def test_without_a_signed_in_user_not_yet_reviewed_by_me_is_not_offered(db):
    filterset = ClaimFilterSet({}, queryset=Claim.objects.all())

    assert "unreviewed_by_me" not in filterset.form.fields


def test_sorting_by_value_puts_claims_without_a_figure_last_either_way(make_claim):
    none = make_claim(figure_text="", value=None, unit="")
    small = make_claim(value=Decimal("1"))
    large = make_claim(value=Decimal("2"))

    assert selected({"sort": "value"}) == [small.pk, large.pk, none.pk]
    assert selected({"sort": "-value"}) == [large.pk, small.pk, none.pk]


def test_a_relation_selects_claims_on_either_end(make_claim, editor):
    first, second, alone = make_claim(), make_claim(), make_claim()
    crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="contradicts", note="口径不同"
    )

    assert sorted(selected({"relation": "contradicts"})) == sorted([first.pk, second.pk])
    assert alone.pk not in selected({"relation": "contradicts"})
    assert selected({"relation": "supports"}) == []


def claim_filters(data) -> ClaimFilterSet:
    filterset = ClaimFilterSet(data, queryset=Claim.objects.all())
    assert filterset.is_valid(), filterset.errors
    return filterset


def test_a_relation_is_estimated_over_the_claims_it_selects(make_claim, editor):
    first, second, third = make_claim(unit="USD"), make_claim(), make_claim()
    for to_claim, relation in ((second, "contradicts"), (third, "supports")):
        crossref_create(
            user=editor, from_claim=first, to_claim=to_claim, relation=relation, note="比较"
        )
    make_claim(unit="USD")  # no relation

    for data in ({"relation": "contradicts"}, {"relation": "supports", "unit": "USD"}):
        filterset = claim_filters(data)
        # The same claims, however the estimate's query is written.
        assert sorted(filterset.estimation_qs.values_list("pk", flat=True)) == sorted(
            filterset.qs.values_list("pk", flat=True)
        )
    unrelated = claim_filters({"unit": "USD"})
    assert unrelated.estimation_qs is unrelated.qs


def relation_pages(monkeypatch, data, *, claims: int, estimate: int) -> ClaimFilterSet:
    """Return the filters of `data` as a table of `claims` with `estimate` of them selected."""
    monkeypatch.setattr("claims.filters.table_estimate", lambda model, using: claims)
    filterset = claim_filters(data)
    filterset.__dict__["selection_estimate"] = estimate  # as the planner would say
    return filterset


def test_a_page_of_a_common_relation_probes_each_row_for_the_same_claims(
    make_claim, editor, monkeypatch
):
    claims = [make_claim(unit="USD") for _ in range(6)]
    for first, second in ((claims[0], claims[1]), (claims[2], claims[4])):
        crossref_create(
            user=editor, from_claim=first, to_claim=second, relation="contradicts", note="比较"
        )
    crossref_create(
        user=editor, from_claim=claims[3], to_claim=claims[5], relation="supports", note="比较"
    )

    for data in ({"relation": "contradicts"}, {"relation": "supports", "sort": "-value"}):
        filterset = relation_pages(monkeypatch, data, claims=6, estimate=4)
        probed = str(filterset.page_qs.query)
        # The same claims in the same order, each probed rather than the ends hashed first.
        assert list(filterset.page_qs.values_list("pk", flat=True)) == list(
            filterset.qs.values_list("pk", flat=True)
        )
        assert probed.count("OFFSET 0") == 2
        assert "OFFSET 0" not in str(filterset.qs.query)


def test_the_sources_a_filter_selects_are_read_once_for_the_count_and_the_page(
    make_claim, make_source, editor, monkeypatch
):
    hk = make_source(outlet="香港01")
    first, second = make_claim(source=hk), make_claim(source=hk)
    crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="contradicts", note="比较"
    )
    make_claim()  # another outlet's
    filterset = relation_pages(
        monkeypatch, {"relation": "contradicts", "outlet": "香港01"}, claims=3, estimate=2
    )

    with CaptureQueriesContext(connection) as queries:
        selections = [filterset.qs, filterset.estimation_qs, filterset.page_qs]
    read = [q["sql"] for q in queries if 'FROM "sources_source"' in q["sql"]]

    assert len(read) == 1
    for selection in selections:
        assert sorted(selection.values_list("pk", flat=True)) == sorted([first.pk, second.pk])


def test_a_page_of_a_rare_relation_is_read_as_the_export_reads_it(db, monkeypatch):
    rare = relation_pages(
        monkeypatch, {"relation": "contradicts"}, claims=1_000_000, estimate=1_000
    )
    assert rare.page_qs is rare.qs
    searched = relation_pages(
        monkeypatch, {"relation": "contradicts", "q": "芯片"}, claims=10, estimate=10
    )
    assert searched.page_qs is searched.qs
    unknown = relation_pages(monkeypatch, {"relation": "contradicts"}, claims=None, estimate=None)
    assert unknown.page_qs is unknown.qs


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)
def test_the_planner_estimates_a_relation_near_the_claims_that_have_it(make_claim, editor):
    claims = [make_claim() for _ in range(60)]
    for first, second in zip(claims[0:10], claims[10:20], strict=True):
        crossref_create(
            user=editor, from_claim=first, to_claim=second, relation="contradicts", note="比较"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("ANALYZE claims_crossreference")
    filterset = claim_filters({"relation": "contradicts"})

    # 20 claims have the relation. Read as two EXISTS conditions, the planner took three
    # claims in four (45 of 60); among the pairs' ends, it counts those.
    assert 10 <= selection_estimate(filterset.estimation_qs) <= 40


def test_the_cross_reference_topic_filter_matches_either_claims_topics(make_claim, editor):
    chips = make_claim(topics=["chips"])
    other = make_claim(topics=["investment"])
    third = make_claim(topics=["policy"])
    to_chips = crossref_create(
        user=editor, from_claim=other, to_claim=chips, relation="related", note="相关"
    )
    from_chips = crossref_create(
        user=editor, from_claim=chips, to_claim=third, relation="related", note="相关"
    )
    crossref_create(user=editor, from_claim=other, to_claim=third, relation="related", note="无关")
    filterset = CrossReferenceFilterSet({"topic": "chips"}, queryset=CrossReference.objects.all())

    assert filterset.is_valid()
    assert sorted(filterset.qs, key=lambda c: c.pk) == [to_chips, from_chips]


def test_an_unknown_topic_is_a_form_error_not_an_empty_list(db):
    assert "topic" in errors_of({"topic": "no-such-topic"})


def test_unanchored_claims_can_be_listed_apart_and_keep_their_verdicts(
    make_claim, editor, reviewer
):
    kept = make_claim()
    lost = make_claim(source=kept.source, quote="中国在人工智能领域的投资约为860亿美元")
    verdict_create(reviewer=reviewer, claim=lost, verdict="agree")
    source = kept.source
    source_update(
        source=source,
        user=editor,
        expected_version=source.version,
        text=source.text.replace("约为860亿美元", "约为九百亿美元"),
    )

    assert selected({"anchored": "false"}) == [lost.pk]
    assert selected({"anchored": "true"}) == [kept.pk]
    assert Claim.objects.get(pk=lost.pk).review_status == "agreed"


def test_the_pairs_of_thousands_of_claims_are_expected_many_by_the_tables_sizes(monkeypatch):
    sizes = {Claim: 1_000_000, CrossReference: 200_000}
    monkeypatch.setattr("claims.filters.table_estimate", lambda model, using: sizes[model])
    # 0.4 pairs a claim: a name in 7,648 claims is in some 3,000 pairs, a cited origin in
    # 1,537 claims in some 600.
    assert pairs_expected_many(list(range(7_648)), "default")
    assert not pairs_expected_many(list(range(1_537)), "default")
    sizes[Claim] = None  # no estimate: the pairs are read to find out
    assert not pairs_expected_many(list(range(7_648)), "default")


def test_a_changed_since_that_is_not_a_date_is_refused_with_the_format_expected(db):
    assert errors_of({"changed_since": "yesterday"}) == {
        "changed_since": ["Enter a date as 2025-03-01, or a date and time as 2025-03-01 14:30."]
    }
    assert selected({"changed_since": "2025-03-01"}) == []
    assert selected({"changed_since": "2025-03-01 14:30"}) == []
