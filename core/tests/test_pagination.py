"""Keyset pages and bounded counts: every row once, in order, however the list is sorted."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import BadRequest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.selectors import claim_list_queryset
from core import pagination
from core.pagination import KeysetPaginator, bounded_count


@pytest.fixture
def varied_claims(make_source, make_claim):
    """Claims with ties, missing figures and undated sources, for every order to page through."""
    sources = [
        make_source(published_on=date(2024, 1, 1)),
        make_source(published_on=date(2024, 1, 1)),
        make_source(published_on=None),
        make_source(published_on=date(2023, 6, 1)),
    ]
    claims = []
    for number in range(23):
        value = None if number % 4 == 0 else Decimal(number % 3 * 100)
        fields = {"value": value, "unit": "CNY" if value is not None else ""}
        if value is None:
            fields.update(figure_text="", period_start=None, period_end=None)
        claims.append(make_claim(source=sources[number % 4], **fields))
    return claims


ORDERS = {
    "default": claim_list_queryset(),
    "value": Claim.objects.order_by(F("value").asc(nulls_last=True), "pk"),
    "-value": Claim.objects.order_by(F("value").desc(nulls_last=True), "-pk"),
    "-date": Claim.objects.order_by(F("source_published_on").desc(nulls_last=True), "-pk"),
    "status": Claim.objects.order_by("review_status", "pk"),
    "-changed": Claim.objects.order_by("-updated_at", "-pk"),
}


def walk(queryset, size, **start):
    """Return the ids of every page, following Next from the first page."""
    paginator = KeysetPaginator(queryset, size)
    page = paginator.page(**start)
    pages = [[claim.pk for claim in page]]
    while page.has_next:
        page = paginator.page(after=page.next_cursor)
        pages.append([claim.pk for claim in page])
    return pages


@pytest.mark.parametrize("order", ORDERS)
def test_following_next_shows_every_claim_once_in_the_lists_order(varied_claims, order):
    queryset = ORDERS[order]
    expected = list(queryset.values_list("pk", flat=True))

    pages = walk(queryset, 5)

    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]


@pytest.mark.parametrize("order", ORDERS)
def test_previous_goes_back_to_the_same_claims(varied_claims, order):
    queryset = ORDERS[order]
    paginator = KeysetPaginator(queryset, 5)
    first = paginator.page()
    second = paginator.page(after=first.next_cursor)
    third = paginator.page(after=second.next_cursor)

    back = paginator.page(before=third.previous_cursor)

    assert [c.pk for c in back] == [c.pk for c in second]
    assert (back.start_index(), back.end_index()) == (6, 10)
    assert back.has_next and back.has_previous


def test_a_claim_added_before_the_cursor_moves_no_claim_to_another_page(
    varied_claims, make_claim, make_source
):
    queryset = Claim.objects.order_by("pk")
    paginator = KeysetPaginator(queryset, 5)
    first = paginator.page()
    expected = [c.pk for c in paginator.page(after=first.next_cursor)]

    Claim.objects.filter(pk=first.object_list[0].pk).delete()  # shifts OFFSET pages by one
    make_claim(source=make_source())  # and a new claim, after every other

    assert [c.pk for c in paginator.page(after=first.next_cursor)] == expected


@pytest.mark.parametrize(
    "cursor", ["not-a-cursor", "W10", "WyJ4IiwgWzFdLCAwXQ"], ids=["garbage", "empty", "other-list"]
)
def test_a_cursor_this_list_did_not_give_is_refused(varied_claims, cursor):
    paginator = KeysetPaginator(Claim.objects.order_by("pk"), 5)

    with pytest.raises(BadRequest, match="not one this list gave"):
        paginator.page(after=cursor)


def test_a_cursor_of_other_filters_is_refused(varied_claims):
    cursor = KeysetPaginator(Claim.objects.order_by("pk"), 5, query="status=agreed").page()
    other = KeysetPaginator(Claim.objects.order_by("pk"), 5, query="status=disputed")

    with pytest.raises(BadRequest):
        other.page(after=cursor.next_cursor)


def test_counting_stops_past_the_bound(varied_claims, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 10)

    assert bounded_count(Claim.objects.all()) == pagination.Count(10, exact=False)
    assert bounded_count(Claim.objects.filter(value__isnull=True)) == pagination.Count(6)


def test_a_part_past_the_bound_is_counted_instead_of_the_whole(varied_claims, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 10)
    without_figure, with_figure = Q(value__isnull=True), Q(value__isnull=False)  # 6 and 17

    with CaptureQueriesContext(connection) as queries:
        counted = bounded_count(Claim.objects.all(), parts=[without_figure, with_figure])

    assert counted == pagination.Count(10, exact=False)
    assert len(queries) == 2  # each part in turn, the whole not at all


def test_a_part_is_counted_among_the_rows_selected(varied_claims, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 10)
    # Every claim of the table, 23: of the six selected, six.
    every_claim = Q(pk__isnull=False)

    counted = bounded_count(Claim.objects.filter(value__isnull=True), parts=[every_claim])

    assert counted == pagination.Count(6)


def test_an_unfiltered_list_takes_the_databases_estimate_when_it_has_one(
    varied_claims, monkeypatch
):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 10)
    monkeypatch.setattr(pagination, "table_estimate", lambda model, using: 1_000_000)

    counted = bounded_count(Claim.objects.all(), filtered=False)

    assert counted == pagination.Count(1_000_000, exact=False, estimate=True)


@pytest.fixture
def mostly_without_figure(make_source, make_claim, monkeypatch):
    """Forty claims without a figure and one with, measured, with a counting bound of 2."""
    monkeypatch.setattr(pagination, "COUNT_BOUND", 2)
    source = make_source()
    for _ in range(40):
        make_claim(source=source, value=None, figure_text="", unit="")
    make_claim(source=source)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner estimates")
def test_a_selection_estimated_far_past_the_bound_takes_the_estimate(mostly_without_figure):
    without_figure = Claim.objects.filter(value__isnull=True)
    with_figure = Claim.objects.filter(value__isnull=False)

    far = bounded_count(without_figure, estimate_selection=True)
    near = bounded_count(with_figure, estimate_selection=True)

    assert far.estimate and not far.exact and 20 <= far.value <= 80
    assert near == pagination.Count(1)  # estimated near the bound: counted
    assert bounded_count(without_figure) == pagination.Count(2, exact=False)  # not asked


def test_a_selection_is_counted_where_the_database_keeps_no_estimate(varied_claims, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 10)
    monkeypatch.setattr(pagination, "selection_estimate", lambda queryset: None)

    assert bounded_count(Claim.objects.all(), estimate_selection=True) == pagination.Count(
        10, exact=False
    )
