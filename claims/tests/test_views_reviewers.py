"""A reviewer's page: every verdict they gave, filterable, in a constant number of queries."""

import html
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from claims.services import crossref_create, verdict_create
from core import pagination


def page_of(username):
    return reverse("claims:reviewer_detail", args=[username])


def rows(response):
    """Return each verdict row as its visible text; none when the page shows no table."""
    content = response.content.decode()
    if "<tbody>" not in content:
        return []
    body = content.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(html.unescape(strip_tags(row)).split()) for row in body.split("<tr>")[1:]]


@pytest.fixture
def lookup(pair_lookup):
    """Each way a search finds verdicts by the words of what they judge (pair_lookup)."""
    return pair_lookup


@pytest.fixture
def record(make_claim, make_source, reviewer, other_reviewer, editor):
    """Rita's verdicts: an agreement, a dispute, and one on a cross-reference; Otto's one."""
    simplified = make_claim()
    traditional = make_claim(
        source=make_source(
            script="hant", region="tw", text="據報導，台灣人工智慧投資達300億新台幣。"
        ),
        quote="台灣人工智慧投資達300億新台幣",
        figure_text="300億新台幣",
        unit="TWD",
    )
    crossref = crossref_create(
        user=editor,
        from_claim=simplified,
        to_claim=traditional,
        relation="different_scope",
        note="地区不同",
    )
    verdict_create(reviewer=reviewer, claim=simplified, verdict="agree")
    verdict_create(reviewer=reviewer, claim=traditional, verdict="dispute", note="年份没有说明")
    verdict_create(reviewer=reviewer, crossref=crossref, verdict="needs_context", note="口径")
    verdict_create(reviewer=other_reviewer, claim=simplified, verdict="dispute", note="别人的")
    return {"simplified": simplified, "traditional": traditional, "crossref": crossref}


def test_a_reviewers_page_lists_every_verdict_they_gave_newest_first(reviewer_client, record):
    response = reviewer_client.get(page_of("rita"))

    listed = rows(response)
    assert len(listed) == 3
    assert "needs context" in listed[0] and "Cross-reference" in listed[0]
    assert "dispute" in listed[1] and "年份没有说明" in listed[1]
    assert "agree" in listed[2]
    assert "别人的" not in response.content.decode()
    assert "3 in all, 1 agree, 1 dispute, 1 needs context" in " ".join(
        strip_tags(response.content.decode()).split()
    )


@pytest.mark.parametrize(
    "params, count, expected",
    [
        ({"verdict": "dispute"}, 1, "年份没有说明"),
        ({"on": "crossref"}, 1, "Cross-reference"),
        ({"q": "人工智能 投资"}, 2, "台灣人工智慧投資"),
        ({"q": "年份"}, 1, "年份没有说明"),
        ({"q": "地區"}, 1, "Cross-reference"),
        ({"q": "壁仞"}, 0, ""),
    ],
    ids=[
        "by-verdict",
        "on-cross-references",
        "search-across-scripts",
        "search-in-notes",
        "search-in-the-pairs-note",
        "search-found-nowhere",
    ],
)
def test_a_reviewers_verdicts_can_be_filtered(
    reviewer_client, record, params, count, expected, lookup
):
    listed = rows(reviewer_client.get(page_of("rita"), params))

    assert len(listed) == count
    assert not count or any(expected in row for row in listed)


def test_dates_the_wrong_way_round_are_refused_with_a_reason(reviewer_client, record):
    response = reviewer_client.get(page_of("rita"), {"since": "2025-02-01", "until": "2025-01-01"})

    assert response.status_code == 400
    assert "The last day is before the first." in response.content.decode()


def test_an_unknown_reviewer_is_not_found(reviewer_client, db):
    assert reviewer_client.get(page_of("nobody")).status_code == 404


def test_a_claims_verdict_table_links_each_reviewer_to_their_record(reviewer_client, record):
    page = reviewer_client.get(record["simplified"].get_absolute_url()).content.decode()

    assert re.search(rf'<a href="{page_of("rita")}">rita</a>', page)
    assert re.search(rf'<a href="{page_of("otto")}">otto</a>', page)


def test_the_page_costs_the_same_queries_for_few_or_many_verdicts(
    reviewer_client, reviewer, editor, make_claim, django_assert_max_num_queries
):
    for _ in range(3):
        verdict_create(reviewer=reviewer, claim=make_claim(), verdict="agree")
    with django_assert_max_num_queries(12) as few:
        reviewer_client.get(page_of("rita"))
    for _ in range(10):
        verdict_create(reviewer=reviewer, claim=make_claim(), verdict="agree")
        pair = crossref_create(
            user=editor,
            from_claim=make_claim(),
            to_claim=make_claim(),
            relation="supports",
            note="n",
        )
        verdict_create(reviewer=reviewer, crossref=pair, verdict="dispute", note="n")

    with django_assert_max_num_queries(len(few.captured_queries)):
        reviewer_client.get(page_of("rita"))


def test_a_long_record_is_counted_up_to_the_bound_and_says_so(
    reviewer_client, record, reviewer, monkeypatch
):
    from core import pagination

    monkeypatch.setattr(pagination, "COUNT_BOUND", 2)

    response = reviewer_client.get(page_of(reviewer.username))

    assert "more than 2 verdicts" in response.content.decode()
    # The three are all listed still, and the lead counts them all.
    assert len(rows(response)) == 3


def test_a_search_of_a_record_counts_as_far_as_the_lists_count_one(
    reviewer_client, record, monkeypatch
):
    monkeypatch.setattr("claims.views.reviewers.RANK_BOUND", 2)

    searched = reviewer_client.get(page_of("rita"), {"q": "人工智能"})
    listed = reviewer_client.get(page_of("rita"))

    # All three of Rita's verdicts judge a claim that holds the word.
    assert len(rows(searched)) == 3
    assert "more than 2 verdicts" in searched.content.decode()
    assert "3 verdicts" in listed.content.decode()


def test_a_search_of_a_record_counts_the_verdicts_on_its_claims_first(
    reviewer_client, record, monkeypatch, counted_in_parts
):
    monkeypatch.setattr("claims.views.reviewers.RANK_BOUND", 2)
    offered = []
    count = pagination.bounded_count

    def spied(queryset, **options):
        offered.append([queryset.filter(part).count() for part in options.get("parts", ())])
        return count(queryset, **options)

    monkeypatch.setattr("claims.views.reviewers.bounded_count", spied)

    searched = reviewer_client.get(page_of("rita"), {"q": "人工智能"})

    assert len(rows(searched)) == 3
    assert "more than 2 verdicts" in searched.content.decode()
    # The part: Rita's verdicts on the claims holding the word, two; the third is on their
    # pair. Not past the bound, so the whole was counted.
    assert offered == [[2]]
