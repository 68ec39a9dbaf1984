"""The claim pages as reviewers and editors use them: list, detail, verdicts, links and edits."""

import html
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from claims.models import Claim, CrossReference, ReviewStatus, Topic, Verdict
from claims.roles import EDITOR, REVIEWER
from claims.services import crossref_create, verdict_create
from core.tests.test_pagination import (
    mostly_without_figure as mostly_without_figure,  # noqa: F401  (the fixture)
)

LIST = reverse("claims:claim_list")
EXPORT = reverse("claims:claim_export")
LOOKUP = reverse("claims:claim_lookup")
QUOTE = "中国人工智能核心产业规模为1751亿元"
INVESTMENT = "中国在人工智能领域的投资约为860亿美元"
# The same words twice, so that only the offset a reader selected tells them apart.
REPEATED = "第一次：投资约为860亿美元。中间的话。第二次：投资约为860亿美元。结尾。"
ROW = re.compile(
    r'<li class="claim-row">\s*(?:<input[^>]*>\s*)?<blockquote[^>]*><a href="/claims/(\d+)/">'
)
BLOCK_TAG = re.compile(
    r"</?(?:td|th|tr|li|p|dt|dd|div|blockquote|h\d|br|caption|label|legend|option)\b[^>]*>"
)


def listed(response):
    """Return the ids of the claims the list shows, in the order shown."""
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def text_of(response):
    """Return the page as a reader sees it: text without tags, one space between blocks."""
    text = strip_tags(BLOCK_TAG.sub(" ", response.content.decode()))
    return " ".join(html.unescape(text).split())


def references(response):
    """Return each cross-reference on a claim page as (the other claim's id, the text shown)."""
    chunks = response.content.decode().split('<article class="reference">')[1:]
    chunks[-1:] = [chunk.split('<div class="crossref-add">')[0] for chunk in chunks[-1:]]
    return [
        (
            int(re.search(r'<a href="/claims/(\d+)/">', chunk).group(1)),
            " ".join(html.unescape(strip_tags(BLOCK_TAG.sub(" ", chunk))).split()),
        )
        for chunk in chunks
    ]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def loaded_form(response, form=None):
    """Return what a browser sends back from the page's form (`form`, else the context's
    "form") when the editor changes nothing."""
    data = {}
    for field in form or response.context["form"]:
        value = field.value()
        if value is None:
            value = ""
        elif isinstance(value, list | tuple):
            value = [str(item) for item in value]
        data[field.html_name] = value
    return data


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def other_editor(django_user_model, editor):
    user = django_user_model.objects.create_user(username="edna", password="pw-edna")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


# The claim list


def test_claim_list_shows_how_many_claims_there_are_and_each_quote_figure_and_source(
    reviewer_client, make_source, make_claim
):
    source = make_source(title="人工智能产业报告", outlet="新华网", published_on=date(2024, 3, 1))
    make_claim(source=source, attributed_to="中国信通院")
    make_claim(
        source=source,
        quote=INVESTMENT,
        figure_text="860亿美元",
        value=Decimal("86000000000"),
        unit="USD",
    )

    response = reviewer_client.get(LIST)

    assert response.status_code == 200
    page = text_of(response)
    assert "2 claims" in page
    assert QUOTE in page and INVESTMENT in page
    assert "1751亿元 (175,100,000,000 CNY)" in page
    assert "860亿美元 (86,000,000,000 USD)" in page
    assert "cites 中国信通院" in page
    assert "人工智能产业报告 · 新华网 · 2024-03-01" in page


def test_a_figure_not_written_out_is_shown_with_the_chinese_unit_of_its_script(
    reviewer_client, make_source, make_claim
):
    traditional = make_source(script="hant", region="tw")
    claim = make_claim(
        source=traditional, figure_text="", value=Decimal("9300000000.0000000000"), unit="TWD"
    )

    for url in (LIST, claim.get_absolute_url()):
        page = text_of(reviewer_client.get(url))
        assert "93億 (9,300,000,000 TWD)" in page, url
        assert "0000000000" not in page, url


@pytest.mark.parametrize(
    "q, expected",
    [("860亿美元", "by_quote"), ("semiconductor", "by_summary"), ("半导体", "by_title")],
    ids=["quote", "summary", "source-title"],
)
def test_search_finds_words_in_the_quote_the_summary_or_the_source_title(
    reviewer_client, make_source, make_claim, q, expected
):
    claims = {
        "by_quote": make_claim(quote=INVESTMENT),
        "by_summary": make_claim(summary="Semiconductor sales grew"),
        "by_title": make_claim(source=make_source(title="半导体产业新闻")),
        "neither": make_claim(),
    }

    response = reviewer_client.get(LIST, {"q": q})

    assert listed(response) == [claims[expected].pk]
    assert "1 claim" in text_of(response)


@pytest.mark.parametrize(
    "status, expected",
    [
        ("agreed", "agreed"),
        ("disputed", "disputed"),
        ("needs_context", "needs_context"),
        ("unreviewed", "fresh"),
    ],
)
def test_status_filter_shows_only_claims_in_that_review_status(
    reviewer_client, reviewer, make_claim, status, expected
):
    claims = {
        "agreed": make_claim(),
        "disputed": make_claim(),
        "needs_context": make_claim(),
        "fresh": make_claim(),
    }
    verdict_create(claim=claims["agreed"], reviewer=reviewer, verdict="agree")
    verdict_create(claim=claims["disputed"], reviewer=reviewer, verdict="dispute", note="数字有误")
    verdict_create(claim=claims["needs_context"], reviewer=reviewer, verdict="needs_context")

    response = reviewer_client.get(LIST, {"status": status})

    assert listed(response) == [claims[expected].pk]


def test_topic_filter_takes_the_topic_slug(reviewer_client, make_claim):
    compute = make_claim(topics=["compute", "chips"])
    make_claim(topics=["policy"])
    make_claim()

    response = reviewer_client.get(LIST, {"topic": "compute"})

    assert listed(response) == [compute.pk]


def test_the_standard_topics_are_named_in_the_reader_s_language_and_others_as_named(
    reviewer_client, make_claim, settings
):
    from claims.services import topic_create

    topic_create(slug="robots", name="機器人")
    claim = make_claim(topics=["investment", "chips", "robots"])
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    listed_page = text_of(reviewer_client.get(LIST))
    detail = text_of(reviewer_client.get(claim.get_absolute_url()))
    chooser = reviewer_client.get(LIST).content.decode()

    for page in (listed_page, detail):
        assert "投资" in page and "芯片" in page and "機器人" in page
        assert "Investment" not in page
    assert re.search(r'<option value="chips"[^>]*>芯片</option>', chooser)


@pytest.mark.parametrize(
    "param, value, source_fields",
    [
        ("source", "mingpao-2024-ai", {"key": "mingpao-2024-ai"}),
        ("outlet", "明報", {"outlet": "明報"}),
        ("region", "hk", {"region": "hk"}),
        ("script", "hant", {"script": "hant"}),
    ],
)
def test_source_filters_show_only_claims_from_matching_sources(
    reviewer_client, make_source, make_claim, param, value, source_fields
):
    wanted = make_claim(source=make_source(**source_fields))
    make_claim()  # from a mainland, simplified-script 示例日报 article

    response = reviewer_client.get(LIST, {param: value})

    assert listed(response) == [wanted.pk]


@pytest.mark.parametrize("sources_looked_up", [1_000, 0], ids=["by-ids", "as-conditions"])
def test_source_filters_together_select_the_sources_that_meet_them_all(
    reviewer_client, make_source, make_claim, monkeypatch, sources_looked_up
):
    # However many sources meet them (up to the number looked up by id, or more), the
    # claims listed are the same.
    monkeypatch.setattr("claims.filters.PAIR_SEARCH_CLAIMS", sources_looked_up)
    hong_kong = make_claim(source=make_source(region="hk", script="hant", outlet="明報"))
    make_claim(source=make_source(region="hk", script="hant", outlet="星島"))
    make_claim(source=make_source(region="tw", script="hant", outlet="明報"))
    make_claim()  # from a mainland, simplified-script 示例日报 article

    both = reviewer_client.get(LIST, {"region": "hk", "outlet": "明報"})
    none = reviewer_client.get(LIST, {"region": "hk", "script": "hans"})
    exported = reviewer_client.get(EXPORT, {"region": "hk", "script": "hans", "format": "jsonl"})

    assert listed(both) == [hong_kong.pk]
    assert none.status_code == 200
    assert listed(none) == []
    assert "0 claims" in none.content.decode()
    assert exported.status_code == 200


@pytest.mark.parametrize(
    "param, value, claim_fields",
    [
        (
            "unit",
            "USD",
            {"unit": "USD", "figure_text": "860亿美元", "value": Decimal("86000000000")},
        ),
        ("cited", "CSET", {"attributed_to": "CSET"}),
    ],
)
def test_claim_field_filters_show_only_matching_claims(
    reviewer_client, make_claim, param, value, claim_fields
):
    wanted = make_claim(**claim_fields)
    make_claim(attributed_to="NBER")  # in renminbi

    response = reviewer_client.get(LIST, {param: value})

    assert listed(response) == [wanted.pk]


@pytest.mark.parametrize("has_figure, expected", [("true", "with"), ("false", "without")])
def test_has_figure_filter_separates_claims_with_and_without_a_figure(
    reviewer_client, make_claim, has_figure, expected
):
    claims = {"with": make_claim(), "without": make_claim(figure_text="", value=None, unit="")}

    response = reviewer_client.get(LIST, {"has_figure": has_figure})

    assert listed(response) == [claims[expected].pk]


@pytest.mark.parametrize(
    "years, expected",
    [
        ({"year_from": 2020}, {"decade", "y2023", "from_2018"}),
        ({"year_to": 2014}, {"decade", "early", "until_2012"}),
        ({"year_from": 2016, "year_to": 2016}, {"decade"}),
        (
            {"year_from": 2011, "year_to": 2023},
            {"decade", "y2023", "early", "from_2018", "until_2012"},
        ),
        # Only a period with no start reaches back that far.
        ({"year_from": 1900, "year_to": 1901}, {"until_2012"}),
    ],
    ids=["from", "to", "inside-a-long-period", "range", "range-before-every-start"],
)
def test_year_filters_select_claims_whose_period_overlaps_the_years(
    reviewer_client, make_claim, years, expected
):
    claims = {
        "decade": make_claim(period_start=2014, period_end=2024),
        "y2023": make_claim(period_start=2023, period_end=2023),
        "early": make_claim(period_start=2010, period_end=2012),
        "no_period": make_claim(period_start=None, period_end=None),
        # Open periods, as the pages show them: "from 2018" runs on, "until 2012" reaches back.
        "from_2018": make_claim(period_start=2018, period_end=None),
        "until_2012": make_claim(period_start=None, period_end=2012),
    }

    response = reviewer_client.get(LIST, years)

    assert set(listed(response)) == {claims[name].pk for name in expected}


@pytest.mark.parametrize(
    "bounds, expected",
    [
        ({"value_min": 100}, {"hundred", "thousand"}),
        ({"value_max": 100}, {"ten", "hundred"}),
        ({"value_min": 50, "value_max": 500}, {"hundred"}),
    ],
    ids=["min", "max", "both"],
)
def test_value_filters_select_claims_whose_figure_lies_within_the_bounds(
    reviewer_client, make_claim, bounds, expected
):
    claims = {
        name: make_claim(figure_text=str(value), value=Decimal(value), unit="count")
        for name, value in (("ten", 10), ("hundred", 100), ("thousand", 1000))
    }
    make_claim(figure_text="", value=None, unit="")

    response = reviewer_client.get(LIST, bounds)

    assert set(listed(response)) == {claims[name].pk for name in expected}


def test_unreviewed_by_me_hides_the_claims_i_gave_a_verdict_on(
    reviewer_client, reviewer, other_reviewer, make_claim
):
    mine = make_claim()
    theirs = make_claim()
    fresh = make_claim()
    verdict_create(claim=mine, reviewer=reviewer, verdict="agree")
    verdict_create(claim=theirs, reviewer=other_reviewer, verdict="agree")

    response = reviewer_client.get(LIST, {"unreviewed_by_me": "on"})

    assert set(listed(response)) == {theirs.pk, fresh.pk}


@pytest.mark.parametrize("relation", ["contradicts", "supports"])
def test_relation_filter_shows_claims_on_either_end_of_such_a_cross_reference(
    reviewer_client, editor, make_claim, relation
):
    a, b, c, d, unlinked = (make_claim() for _ in range(5))
    crossref_create(user=editor, from_claim=a, to_claim=b, relation="contradicts", note="数字不同")
    crossref_create(user=editor, from_claim=c, to_claim=d, relation="supports", note="数字相同")
    expected = {"contradicts": {a.pk, b.pk}, "supports": {c.pk, d.pk}}[relation]

    response = reviewer_client.get(LIST, {"relation": relation})

    assert set(listed(response)) == expected


def test_changed_since_shows_only_claims_changed_at_or_after_that_time(reviewer_client, make_claim):
    old = make_claim()
    recent = make_claim()
    Claim.objects.filter(pk=old.pk).update(updated_at=datetime(2020, 1, 1, tzinfo=UTC))
    Claim.objects.filter(pk=recent.pk).update(updated_at=datetime(2024, 6, 1, tzinfo=UTC))

    response = reviewer_client.get(LIST, {"changed_since": "2024-01-01T00:00:00Z"})

    assert listed(response) == [recent.pk]


@pytest.fixture
def three_to_sort(make_source, make_claim, reviewer):
    """Claims a, b, c that every sort key puts in a different order."""
    a = make_claim(source=make_source(published_on=date(2021, 1, 1)), value=Decimal(300))
    b = make_claim(source=make_source(published_on=date(2023, 1, 1)), value=Decimal(100))
    c = make_claim(source=make_source(published_on=date(2022, 1, 1)), value=Decimal(200))
    verdict_create(claim=a, reviewer=reviewer, verdict="agree")
    verdict_create(claim=b, reviewer=reviewer, verdict="dispute", note="不对")
    for claim, month in ((a, 3), (b, 1), (c, 2)):
        Claim.objects.filter(pk=claim.pk).update(updated_at=datetime(2024, month, 1, tzinfo=UTC))
    return {"a": a, "b": b, "c": c}


@pytest.mark.parametrize(
    "sort, order",
    [
        ("date", "acb"),
        ("-date", "bca"),
        ("value", "bca"),
        ("-value", "acb"),
        ("status", "abc"),  # agreed, disputed, unreviewed
        ("-status", "cba"),
        ("changed", "bca"),
        ("-changed", "acb"),
    ],
)
def test_sort_orders_the_list_by_the_chosen_key(reviewer_client, three_to_sort, sort, order):
    response = reviewer_client.get(LIST, {"sort": sort})

    assert listed(response) == [three_to_sort[name].pk for name in order]


@pytest.mark.parametrize(
    "params, warned",
    [
        ({"sort": "value"}, True),
        ({"sort": "-value"}, True),
        ({"sort": "value", "unit": "CNY"}, False),
        ({"sort": "date"}, False),
        ({}, False),
    ],
    ids=str,
)
def test_a_sort_by_value_across_units_says_that_it_compares_bare_numbers(
    reviewer_client, three_to_sort, params, warned
):
    page = text_of(reviewer_client.get(LIST, params))

    assert ("Sorted by value across every unit" in page) is warned


def test_pages_split_the_list_and_say_which_claims_are_shown(
    reviewer_client, make_source, make_claim
):
    source = make_source()
    claims = [make_claim(source=source) for _ in range(30)]

    first = reviewer_client.get(LIST, {"per_page": 25})
    second = reviewer_client.get(LIST, {"per_page": 25, "page": 2})
    whole = reviewer_client.get(LIST, {"per_page": 50})

    assert listed(first) == [claim.pk for claim in claims[:25]]
    assert "30 claims, showing 1–25" in text_of(first)
    assert "Page 1 of 2" in text_of(first)
    assert listed(second) == [claim.pk for claim in claims[25:]]
    assert "30 claims, showing 26–30" in text_of(second)
    assert len(listed(whole)) == 30


def test_pages_sorted_on_a_key_with_ties_neither_repeat_nor_skip_claims(
    reviewer_client, make_source, make_claim
):
    source = make_source()
    claims = [make_claim(source=source) for _ in range(30)]  # all state the same value

    first = listed(reviewer_client.get(LIST, {"sort": "-value", "per_page": 25}))
    second = listed(reviewer_client.get(LIST, {"sort": "-value", "per_page": 25, "page": 2}))

    assert sorted(first + second) == [claim.pk for claim in claims]


def test_next_page_link_keeps_the_filters(reviewer_client, make_source, make_claim):
    hant = make_source(script="hant")
    for _ in range(26):
        make_claim(source=hant)

    response = reviewer_client.get(LIST, {"script": "hant", "per_page": 25})

    # The link carries a cursor after the last row shown (see core.pagination), beside
    # the filters.
    link = re.search(r'href="\?([^"]*)" rel="next"', response.content.decode()).group(1)
    assert link.startswith("script=hant&amp;per_page=25&amp;after=")
    second = reviewer_client.get(LIST + "?" + link.replace("&amp;", "&"))
    assert len(listed(second)) == 1
    assert "26 claims, showing 26–26" in text_of(second)


@pytest.mark.parametrize(
    "params, label",
    [
        ({"status": "bogus"}, "Status"),
        ({"topic": "no-such-topic"}, "Topic"),
        ({"source": "no-such-source"}, "Source"),
        ({"outlet": "无此报纸"}, "Outlet"),
        ({"region": "mars"}, "Region"),
        ({"script": "latin"}, "Script"),
        ({"unit": "BTC"}, "Unit"),
        ({"cited": "nobody-cited-this"}, "Cited origin"),
        ({"has_figure": "yes"}, "States a figure"),
        ({"year_from": "abc"}, "Period from (year)"),
        ({"year_to": "99"}, "Period to (year)"),
        ({"year_from": "2024", "year_to": "2020"}, "Period to (year)"),
        ({"value_min": "lots"}, "Value at least"),
        ({"value_min": "10", "value_max": "1"}, "Value at most"),
        ({"relation": "hates"}, "Has a cross-reference"),
        ({"changed_since": "yesterday"}, "Changed since"),
        ({"sort": "price"}, "Sort by"),
        ({"q": "算力\x00"}, "Search"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_an_invalid_filter_shows_the_error_and_no_claims(
    reviewer_client, make_claim, params, label
):
    make_claim()

    response = reviewer_client.get(LIST, params)

    assert response.status_code == 400
    page = text_of(response)
    assert "Some filters are not valid, so no claims are shown." in page
    errors = re.search(
        r'<div class="form-errors" role="alert">(.*?)</div>', response.content.decode(), re.S
    )
    assert f"<li>{label}: " in errors.group(1)
    assert listed(response) == []
    assert "0 claims" in page


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"value_max": "-1e200000"},
            "Give a value between -99,999,999,999,999,999,999 and 99,999,999,999,999,999,999.",
        ),
        (
            {"changed_since": "9999-12-31T23:59:59-23:00"},
            "Give a date and time between the years 1 and 9999.",
        ),
        (
            {"changed_since": "0001-01-01T00:00:00+05:00"},
            "Give a date and time between the years 1 and 9999.",
        ),
    ],
    ids=["value-beyond-numeric", "time-after-year-9999-in-utc", "time-before-year-1-in-utc"],
)
def test_filter_values_beyond_what_the_database_holds_are_refused_with_a_reason(
    reviewer_client, make_claim, params, message
):
    make_claim()

    response = reviewer_client.get(LIST, params)

    assert response.status_code == 400
    assert listed(response) == []
    assert message in response.content.decode()


def test_a_bad_changed_since_says_the_format_expected(reviewer_client, make_claim):
    make_claim()

    response = reviewer_client.get(LIST, {"changed_since": "1/3/2025"})

    assert response.status_code == 400
    page = text_of(response)
    assert "Enter a valid date/time." not in page
    assert "as 2025-03-01, or a date and time as 2025-03-01 14:30" in page


def test_a_value_too_large_is_refused_once_and_stays_in_its_box(reviewer_client, make_claim):
    make_claim()

    response = reviewer_client.get(LIST, {"value_min": "1e999"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "99,999,999,999,999,999,999" in page
    assert "30 digits" not in page and "1e+50" not in page
    # A number box empties itself of a number it cannot hold; a text box keeps it.
    box = re.search(r'<input [^>]*name="value_min"[^>]*>', page).group(0)
    assert 'value="1e999"' in box and 'type="text"' in box


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "abc"}, "The page number must be a whole number from 1 up."),
        ({"page": "-1"}, "The page number must be a whole number from 1 up."),
        ({"page": "0"}, "There is no page 0; the last page is 1."),
        ({"page": "9"}, "There is no page 9; the last page is 1."),
        ({"per_page": "7"}, "The page size must be one of 25, 50, 100."),
        ({"per_page": "many"}, "The page size must be one of 25, 50, 100."),
        ({"per_page": "9" * 4301}, "The page size must be one of 25, 50, 100."),
        ({"page": "9" * 4301}, "The page number must be a whole number from 1 up."),
    ],
    ids=[
        "page-not-a-number",
        "page-below-one",
        "page-zero",
        "page-past-the-end",
        "per-page-not-offered",
        "per-page-not-a-number",
        "per-page-of-4301-digits",
        "page-of-4301-digits",
    ],
)
def test_a_bad_page_or_page_size_is_a_bad_request_that_says_why(
    reviewer_client, make_claim, params, message
):
    make_claim()

    response = reviewer_client.get(LIST, params)

    assert response.status_code == 400
    assert "That request could not be used" in text_of(response)
    assert message in text_of(response)


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "The page number must be a whole number from 1 up."),
        ("zh-hant", "頁碼必須是 1 以上的整數。"),
        ("zh-hans", "页码必须是 1 以上的整数。"),
    ],
)
def test_a_bad_page_number_is_refused_in_words_for_a_reader(
    reviewer_client, make_claim, settings, language, message
):
    make_claim()
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = reviewer_client.get(LIST, {"page": "-1"})

    assert response.status_code == 400
    assert message in text_of(response)
    assert "page 必" not in text_of(response)


@pytest.fixture
def claims_to_list(make_source, make_claim, reviewer, other_reviewer, editor):
    """Make claims as varied as the list shows them: topics, verdicts, citations and links."""

    def make(count):
        made = []
        for number in range(count):
            source = make_source(published_on=date(2024, 1, 1 + number % 28))
            claim = make_claim(
                source=source, topics=["investment", "industry"], attributed_to=f"机构{number}"
            )
            verdict_create(claim=claim, reviewer=reviewer, verdict="agree")
            verdict_create(claim=claim, reviewer=other_reviewer, verdict="needs_context")
            if made:
                crossref_create(
                    user=editor,
                    from_claim=claim,
                    to_claim=made[-1],
                    relation="supports",
                    note="同一数字",
                )
            made.append(claim)
        return made

    return make


def test_claim_list_queries_do_not_grow_with_the_page_size(
    reviewer_client, claims_to_list, django_assert_num_queries
):
    claims_to_list(5)
    reviewer_client.get(LIST)  # fills the per-process caches (content types) before counting
    few = count_queries(reviewer_client, LIST, {"per_page": 50, "sort": "-date"})
    claims_to_list(25)

    with django_assert_num_queries(few):
        response = reviewer_client.get(LIST, {"per_page": 100, "sort": "-date"})

    assert len(listed(response)) == 30
    print(f"claim list: {few} queries for 5 and for 30 claims")


# The claim page


def test_claim_page_highlights_the_quote_in_its_paragraph_and_links_the_source(
    reviewer_client, make_claim
):
    claim = make_claim()
    source = claim.source

    response = reviewer_client.get(claim.get_absolute_url())

    content = response.content.decode()
    assert f"据报道，2023年<mark>{QUOTE}</mark>，同比增长11.9%。" in content
    assert "另一份报告指出" not in content  # the next paragraph is not part of the passage
    assert (
        f'<a href="/sources/{source.pk}/#claim-{claim.pk}" lang="zh-Hans">{source.title}</a>'
        in content
    )


def test_claim_page_shows_the_figure_period_scope_and_cited_origin(reviewer_client, make_claim):
    claim = make_claim(
        quote=INVESTMENT,
        figure_text="约为860亿美元",
        value=Decimal("86000000000"),
        hedge="approximately",
        unit="USD",
        period_start=2014,
        period_end=2024,
        scope="AI investment in China, 2014–2024",
        attributed_to="斯坦福大学AI指数",
    )

    page = text_of(reviewer_client.get(claim.get_absolute_url()))

    assert "Figure 约为860亿美元 (≈ 86,000,000,000 USD) 2014–2024 Unit" in page
    assert "Hedge approximately" in page
    assert "Unit US dollars" in page
    assert "Period 2014–2024" in page
    assert "Scope AI investment in China, 2014–2024" in page
    assert "Cited origin 斯坦福大学AI指数" in page


def test_claim_page_shows_cross_references_in_both_directions(
    reviewer_client, editor, make_source, make_claim
):
    claim = make_claim()
    rival = make_claim(
        source=make_source(title="另一家的报道", outlet="明報"),
        figure_text="1800亿元",
        value=Decimal("180000000000"),
    )
    backer = make_claim(source=make_source(title="第三篇报道"), quote=INVESTMENT)
    crossref_create(
        user=editor, from_claim=claim, to_claim=rival, relation="contradicts", note="规模数字不同"
    )
    crossref_create(
        user=editor, from_claim=backer, to_claim=claim, relation="supports", note="同一来源"
    )

    response = reviewer_client.get(claim.get_absolute_url())

    shown = dict(references(response))
    assert set(shown) == {rival.pk, backer.pk}
    # The wording of the direction is the template's; the relation itself must be named.
    assert "contradict" in shown[rival.pk].lower()
    assert "规模数字不同" in shown[rival.pk]
    assert f"{QUOTE} 1800亿元 (180,000,000,000 CNY)" in shown[rival.pk]
    assert "另一家的报道 · 明報" in shown[rival.pk]
    assert "support" in shown[backer.pk].lower()
    assert "同一来源" in shown[backer.pk]
    assert INVESTMENT in shown[backer.pk]
    assert "第三篇报道" in shown[backer.pk]


def test_claim_page_lists_every_verdict_and_the_current_tally(
    reviewer_client, reviewer, other_reviewer, make_claim
):
    claim = make_claim()
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree", note="与原文一致")
    verdict_create(
        claim=claim, reviewer=other_reviewer, verdict="dispute", note="官方数字是1800亿元"
    )

    page = text_of(reviewer_client.get(claim.get_absolute_url()))

    assert "rita agree 与原文一致" in page
    assert "otto dispute 官方数字是1800亿元" in page
    assert "disputed ✓1 ✗1 ?0 — current verdicts: 1 agree, 1 dispute, 0 need context." in page


def test_claim_page_offers_the_verdict_form_to_reviewers_only(
    reviewer_client, viewer_client, make_claim
):
    claim = make_claim()
    form_action = f'action="/claims/{claim.pk}/annotate/#verdicts"'

    as_reviewer = reviewer_client.get(claim.get_absolute_url()).content.decode()
    as_viewer = viewer_client.get(claim.get_absolute_url()).content.decode()

    assert form_action in as_reviewer and "Record my verdict" in as_reviewer
    assert form_action not in as_viewer and "Record my verdict" not in as_viewer


def test_claim_page_offers_editing_and_linking_to_editors_only(
    reviewer_client, editor_client, make_claim
):
    claim = make_claim()
    edit_link = f'href="/claims/{claim.pk}/edit/"'
    link_form = f'action="/claims/{claim.pk}/crossrefs/new/#add-crossref"'

    as_editor = editor_client.get(claim.get_absolute_url()).content.decode()
    as_reviewer = reviewer_client.get(claim.get_absolute_url()).content.decode()

    assert (
        edit_link in as_editor and link_form in as_editor and "Add a cross-reference" in as_editor
    )
    assert (
        edit_link not in as_reviewer
        and link_form not in as_reviewer
        and "Add a cross-reference" not in as_reviewer
    )


def test_searching_for_the_other_claim_lists_candidates_but_not_the_claim_itself(
    editor_client, make_source, make_claim
):
    claim = make_claim()
    same_words = make_claim(source=make_source(title="转载"))
    other = make_claim(
        source=make_source(title="投资报道"), quote=INVESTMENT, figure_text="860亿美元"
    )

    response = editor_client.get(claim.get_absolute_url(), {"find": "1751亿"})

    candidates = re.findall(r'data-claim-id="(\d+)"', response.content.decode())
    assert candidates == [str(same_words.pk)]
    assert str(other.pk) not in candidates
    assert "转载" in text_of(response)


def test_searching_for_the_other_claim_says_when_nothing_matches(editor_client, make_claim):
    claim = make_claim()

    response = editor_client.get(claim.get_absolute_url(), {"find": "量子计算"})

    assert "No claims match “量子计算”." in text_of(response)


def test_claim_page_queries_do_not_grow_with_cross_references_and_verdicts(
    editor_client,
    editor,
    make_source,
    make_claim,
    django_user_model,
    django_assert_num_queries,
    settings,
):
    reviewer_group = Group.objects.get(name=REVIEWER)

    def linked_claim(links, verdicts):
        claim = make_claim(topics=["investment"])
        for number in range(links):
            other = make_claim(source=make_source(), topics=["industry"])
            crossref_create(
                user=editor,
                from_claim=claim,
                to_claim=other,
                relation="contradicts",
                note=f"出 {number}",
            )
            crossref_create(
                user=editor,
                from_claim=other,
                to_claim=claim,
                relation="supports",
                note=f"入 {number}",
            )
        for number in range(verdicts):
            user = django_user_model.objects.create_user(username=f"reviewer-{claim.pk}-{number}")
            user.groups.add(reviewer_group)
            verdict_create(
                claim=claim, reviewer=user, verdict="needs_context", note=f"第{number}条"
            )
        return claim

    few, many = linked_claim(1, 1), linked_claim(25, 50)
    editor_client.get(few.get_absolute_url())  # fills the per-process caches before counting
    # Drawn afresh, as for the first reader after a change...
    settings.HECHA_FRAGMENT_CACHE_SECONDS = 0
    drawn = count_queries(editor_client, few.get_absolute_url())
    with django_assert_num_queries(drawn):
        response = editor_client.get(many.get_absolute_url())
    assert len(references(response)) == 50
    assert "0 agree, 0 dispute, 50 need context" in text_of(response)

    # ...and as the next readers are served it, kept drawn.
    settings.HECHA_FRAGMENT_CACHE_SECONDS = 60
    editor_client.get(few.get_absolute_url())
    kept = count_queries(editor_client, few.get_absolute_url())
    editor_client.get(many.get_absolute_url())
    with django_assert_num_queries(kept):
        response = editor_client.get(many.get_absolute_url())
    assert len(references(response)) == 50
    assert "0 agree, 0 dispute, 50 need context" in text_of(response)
    assert kept <= drawn
    print(
        f"claim page: {drawn} queries drawn, {kept} kept, with 2 or 50 cross-references and "
        "1 or 50 verdicts"
    )


def test_claim_page_of_a_missing_claim_is_the_readable_not_found_page(reviewer_client, db):
    response = reviewer_client.get("/claims/999999/")

    assert response.status_code == 404
    assert "There is nothing at this address" in text_of(response)


# Looking up the other claim


def test_lookup_returns_matching_claims_as_json_without_the_excluded_one(
    reviewer_client, make_source, make_claim
):
    claim = make_claim()
    copy = make_claim(source=make_source(title="转载", outlet="明報"))
    make_claim(quote=INVESTMENT, figure_text="860亿美元")

    response = reviewer_client.get(LOOKUP, {"q": "1751亿", "exclude": claim.pk})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": copy.pk,
                "quote": QUOTE,
                "quote_parts": [
                    ["中国人工智能核心产业规模为", False],
                    ["1751亿", True],
                    ["元", False],
                ],
                "source": "转载",
                "outlet": "明報",
                "figure": "1751亿元",
                "url": f"/claims/{copy.pk}/",
            }
        ]
    }
    assert "转载" in response.content.decode()  # readable UTF-8, not \\u escapes


def test_lookup_without_words_returns_no_results(reviewer_client, make_claim):
    make_claim()

    response = reviewer_client.get(LOOKUP, {"q": "  "})

    assert response.json() == {"results": []}


@pytest.mark.parametrize("exclude", ["abc", "-1", "²", "9" * 4301])
def test_lookup_with_an_exclude_that_is_not_a_claim_number_is_a_bad_request(
    reviewer_client, make_claim, exclude
):
    make_claim()

    response = reviewer_client.get(LOOKUP, {"q": "1751", "exclude": exclude})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"exclude": ["Give a claim number."]}}


def test_lookup_for_words_with_a_null_character_finds_nothing(reviewer_client, make_claim):
    make_claim()

    response = reviewer_client.get(LOOKUP, {"q": "1751\x00"})

    # No stored text holds a NUL, so a search for one finds nothing.
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize("name", ["source", "outlet", "cited"])
def test_the_filter_lookups_for_a_null_character_find_nothing(reviewer_client, make_claim, name):
    make_claim(attributed_to="国务院")

    response = reviewer_client.get(reverse(f"claims:{name}_lookup"), {"q": "国\x00"})

    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_a_source_filter_holding_a_null_character_is_refused_with_the_reason(
    reviewer_client, make_claim
):
    make_claim()

    response = reviewer_client.get(LIST, {"source": "gen\x00"})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


def test_searching_the_claim_page_for_a_null_character_finds_nothing(editor_client, make_claim):
    claim = make_claim()

    response = editor_client.get(claim.get_absolute_url(), {"find": "1751\x00"})

    # No stored text holds a NUL, so a search for one finds nothing.
    assert response.status_code == 200
    assert "data-claim-id" not in response.content.decode()


# Recording a verdict


def test_reviewer_records_a_verdict_and_the_tally_changes(reviewer_client, make_claim):
    claim = make_claim()

    response = reviewer_client.post(
        reverse("claims:claim_annotate", args=[claim.pk]),
        {"verdict": "agree", "note": "核对过原文"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/claims/{claim.pk}/#verdicts"
    page = text_of(response)
    assert "Your verdict “agree” is recorded." in page
    assert "current verdicts: 1 agree, 0 dispute, 0 need context." in page
    assert "rita agree 核对过原文" in page
    claim.refresh_from_db()
    assert claim.review_status == ReviewStatus.AGREED


def test_a_dispute_without_a_note_is_refused_and_nothing_is_saved(reviewer_client, make_claim):
    claim = make_claim()

    response = reviewer_client.post(
        reverse("claims:claim_annotate", args=[claim.pk]), {"verdict": "dispute", "note": " "}
    )

    assert response.status_code == 400
    assert "Say why you dispute it." in text_of(response)
    # The form is sent to its own place on the page, where the refusal is drawn.
    page = response.content.decode()
    assert f'action="/claims/{claim.pk}/annotate/#verdicts"' in page
    assert "Say why you dispute it." in page.split('id="verdicts"')[1]
    assert not Verdict.objects.exists()
    claim.refresh_from_db()
    assert claim.review_status == ReviewStatus.UNREVIEWED


def test_a_viewer_cannot_record_a_verdict_and_is_told_why(viewer_client, make_claim):
    claim = make_claim()

    response = viewer_client.post(
        reverse("claims:claim_annotate", args=[claim.pk]), {"verdict": "agree"}
    )

    assert response.status_code == 403
    page = text_of(response)
    assert "Your role does not allow this" in page
    assert "You are signed in as a Viewer." in page
    assert not Verdict.objects.exists()


def test_an_anonymous_verdict_is_sent_to_log_in_and_not_saved(client, make_claim):
    claim = make_claim()
    url = reverse("claims:claim_annotate", args=[claim.pk])

    response = client.post(url, {"verdict": "agree"})

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"
    assert not Verdict.objects.exists()


def test_a_verdict_posted_without_a_csrf_token_is_refused(reviewer, make_claim):
    claim = make_claim()
    url = reverse("claims:claim_annotate", args=[claim.pk])
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)

    response = client.post(url, {"verdict": "agree"})

    assert response.status_code == 403
    assert not Verdict.objects.exists()
    # The same post with the token the claim page hands out goes through.
    client.get(claim.get_absolute_url())
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"verdict": "agree", "csrfmiddlewaretoken": token}).status_code == 302
    assert Verdict.objects.count() == 1


# Adding a cross-reference


def crossref_url(claim):
    return reverse("claims:claim_crossref_create", args=[claim.pk])


def test_editor_links_two_claims_and_both_pages_show_the_link(
    editor_client, make_source, make_claim
):
    claim = make_claim()
    other = make_claim(
        source=make_source(title="另一篇"), figure_text="1800亿元", value=Decimal("180000000000")
    )

    response = editor_client.post(
        crossref_url(claim),
        {"to_claim": other.pk, "relation": "contradicts", "note": "两个规模数字"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/claims/{claim.pk}/#crossrefs"
    assert "Cross-reference added." in text_of(response)
    crossref = CrossReference.objects.get()
    assert (crossref.from_claim, crossref.to_claim, crossref.relation) == (
        claim,
        other,
        "contradicts",
    )
    [(other_id, shown)] = references(response)
    assert other_id == other.pk
    assert "contradict" in shown.lower() and "两个规模数字" in shown and "另一篇" in shown
    [(back_id, shown_back)] = references(editor_client.get(other.get_absolute_url()))
    assert back_id == claim.pk
    assert "contradict" in shown_back.lower() and "两个规模数字" in shown_back


def test_a_reviewer_cannot_link_claims(reviewer_client, make_claim):
    claim, other = make_claim(), make_claim()

    response = reviewer_client.post(
        crossref_url(claim), {"to_claim": other.pk, "relation": "supports", "note": "同"}
    )

    assert response.status_code == 403
    assert "You are signed in as a Reviewer." in text_of(response)
    assert not CrossReference.objects.exists()


def test_a_claim_cannot_be_linked_to_itself(editor_client, make_claim):
    claim = make_claim()

    response = editor_client.post(
        crossref_url(claim), {"to_claim": claim.pk, "relation": "supports", "note": "自己"}
    )

    assert response.status_code == 400
    assert "A claim cannot refer to itself: choose another claim." in text_of(response)
    assert not CrossReference.objects.exists()


@pytest.mark.parametrize("direction", ["same", "reverse"])
def test_a_pair_cannot_carry_the_same_relation_twice_in_either_direction(
    editor_client, editor, make_claim, direction
):
    claim, other = make_claim(), make_claim()
    crossref_create(
        user=editor, from_claim=claim, to_claim=other, relation="supports", note="第一次"
    )
    start, end = (claim, other) if direction == "same" else (other, claim)

    response = editor_client.post(
        crossref_url(start), {"to_claim": end.pk, "relation": "supports", "note": "第二次"}
    )

    assert response.status_code == 400
    assert (
        "These two claims already carry this relation (in one direction or the other)."
        in text_of(response)
    )
    assert CrossReference.objects.count() == 1


def test_a_refused_link_brings_the_editor_to_the_form_and_its_error(
    editor_client, editor, make_claim
):
    claim, other = make_claim(), make_claim()
    crossref_create(
        user=editor, from_claim=claim, to_claim=other, relation="supports", note="第一次"
    )

    response = editor_client.post(
        crossref_url(claim), {"to_claim": other.pk, "relation": "supports", "note": "第二次"}
    )

    # The form is sent to its own place on the page, where the refusal is drawn.
    page = response.content.decode()
    assert f'action="{crossref_url(claim)}#add-crossref"' in page
    form = page.split('id="add-crossref"')[1]
    assert "These two claims already carry this relation" in form


def test_a_link_to_a_claim_that_does_not_exist_is_refused(editor_client, make_claim):
    claim = make_claim()

    response = editor_client.post(
        crossref_url(claim), {"to_claim": 999999, "relation": "supports", "note": "无"}
    )

    assert response.status_code == 400
    assert "No claim has the number 999999: give the number of an existing claim." in text_of(
        response
    )
    assert not CrossReference.objects.exists()


# Editing a claim


def edit_url(claim):
    return reverse("claims:claim_edit", args=[claim.pk])


def test_editor_changes_a_claim_and_the_new_quote_is_anchored_again(
    editor_client, editor, make_claim
):
    claim = make_claim()
    data = loaded_form(editor_client.get(edit_url(claim)))
    data.update(quote="1751亿元", start="", scope="China's core AI industry, by revenue")

    response = editor_client.post(edit_url(claim), data, follow=True)

    assert response.redirect_chain[-1][0] == f"/claims/{claim.pk}/"
    assert "Claim saved." in text_of(response)
    assert (
        "据报道，2023年中国人工智能核心产业规模为<mark>1751亿元</mark>" in response.content.decode()
    )
    claim.refresh_from_db()
    assert claim.quote_start == claim.source.text.index("1751亿元")
    assert claim.scope == "China's core AI industry, by revenue"
    assert claim.version == 2
    assert claim.history.latest().history_user == editor


def test_a_claim_edit_posted_without_its_version_is_refused_and_saves_nothing(
    editor_client, make_claim
):
    claim = make_claim()
    data = loaded_form(editor_client.get(edit_url(claim)))
    data["scope"] = "a scripted overwrite"
    del data["expected_version"]

    response = editor_client.post(edit_url(claim), data)

    assert response.status_code == 400
    assert "This edit does not say which version of the claim it was made from" in text_of(response)
    claim.refresh_from_db()
    assert (claim.scope, claim.version) == ("size of China's core AI industry", 1)


def test_the_second_of_two_editors_is_refused_and_told_what_changed(
    editor, other_editor, make_claim
):
    claim = make_claim()
    first, second = client_for(editor), client_for(other_editor)
    first_copy = loaded_form(first.get(edit_url(claim)))
    second_copy = loaded_form(second.get(edit_url(claim)))

    first_copy["scope"] = "核心产业营收"
    assert first.post(edit_url(claim), first_copy).status_code == 302
    second_copy["scope"] = "人工智能企业总收入"
    response = second.post(edit_url(claim), second_copy)

    assert response.status_code == 400
    page = text_of(response)
    assert (
        "was changed by someone else while you were editing it, so your changes were not saved"
        in page
    )
    assert "scope: now “核心产业营收”" in page
    claim.refresh_from_db()
    assert claim.scope == "核心产业营收"
    assert claim.version == 2


def test_a_reviewer_cannot_edit_a_claim(reviewer_client, make_claim):
    claim = make_claim()

    page = reviewer_client.get(edit_url(claim))
    post = reviewer_client.post(edit_url(claim), {"quote": QUOTE, "scope": "改了"})

    assert page.status_code == 403 and post.status_code == 403
    claim.refresh_from_db()
    assert claim.scope == "size of China's core AI industry"


def test_an_edit_whose_quote_is_not_in_the_article_is_refused(editor_client, make_claim):
    claim = make_claim()
    data = loaded_form(editor_client.get(edit_url(claim)))
    data.update(quote="中国人工智能核心产业规模为9999亿元", start="")

    response = editor_client.post(edit_url(claim), data)

    assert response.status_code == 400
    assert "Not found in the text of" in text_of(response)
    claim.refresh_from_db()
    assert claim.quote == QUOTE and claim.version == 1


# Adding a claim from a source


def create_url(source):
    return reverse("claims:claim_create", args=[source.pk])


def test_editor_adds_a_claim_at_the_offset_selected_in_the_article(editor_client, make_source):
    source = make_source(text=REPEATED)
    second = REPEATED.rindex("投资约为860亿美元")

    page = editor_client.get(create_url(source), {"quote": "投资约为860亿美元", "start": second})
    response = editor_client.post(
        create_url(source),
        {
            "quote": "投资约为860亿美元",
            "start": second,
            "figure_text": "860亿美元",
            "value": "86000000000",
            "unit": "USD",
        },
        follow=True,
    )

    assert "投资约为860亿美元</textarea>" in page.content.decode()  # the selection, ready to save
    assert f'name="start" value="{second}"' in page.content.decode()
    claim = Claim.objects.get()
    assert response.redirect_chain[-1][0] == f"/claims/{claim.pk}/"
    assert "Claim added." in text_of(response)
    assert claim.quote_start == second
    assert "第二次：<mark>投资约为860亿美元</mark>" in response.content.decode()


@pytest.mark.parametrize(
    "quote, start",
    [("投资约为860亿美元", 3), ("投资约为999亿美元", "")],
    ids=["start-does-not-hold-the-quote", "quote-not-in-the-text"],
)
def test_a_claim_whose_quote_is_not_where_it_is_said_to_be_is_refused(
    editor_client, make_source, quote, start
):
    source = make_source(text=REPEATED)

    response = editor_client.post(create_url(source), {"quote": quote, "start": start})

    assert response.status_code == 400
    assert f"Not found in the text of “{source.title}”" in text_of(response)
    assert not Claim.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_add_claims(request, make_source, role):
    source = make_source()
    client = client_for(request.getfixturevalue(role))

    page = client.get(create_url(source))
    post = client.post(create_url(source), {"quote": QUOTE})

    assert page.status_code == 403 and post.status_code == 403
    assert "Your role does not allow this" in text_of(post)
    assert not Claim.objects.exists()


# Change history


def test_claim_history_shows_who_changed_which_field_from_what_to_what(
    editor_client, reviewer_client, make_claim
):
    claim = make_claim(attributed_to="国家统计局")
    data = loaded_form(editor_client.get(edit_url(claim)))
    data["attributed_to"] = "中国信通院"
    assert editor_client.post(edit_url(claim), data).status_code == 302

    page = text_of(reviewer_client.get(reverse("claims:claim_history", args=[claim.pk])))

    assert "eddie Cited origin: 国家统计局 → 中国信通院" in page
    assert "claim-maker Created" in page


def test_claim_history_writes_its_times_as_the_claim_page_does_in_chinese(
    editor_client, reviewer_client, make_claim
):
    claim = make_claim()
    reviewer_client.cookies["django_language"] = "zh-hant"

    history = reviewer_client.get(reverse("claims:claim_history", args=[claim.pk]))
    page = reviewer_client.get(reverse("claims:claim_detail", args=[claim.pk]))

    written = re.search(r'<time datetime="[^"]+">([^<]+)</time>', history.content.decode())
    assert written and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", written[1])
    assert written[1] in page.content.decode()


def test_claim_history_lists_a_new_quote_once_and_not_its_anchoring(
    editor_client, reviewer_client, make_claim
):
    claim = make_claim(quote=QUOTE)
    data = loaded_form(editor_client.get(edit_url(claim)))
    data.update(quote=INVESTMENT, start="")
    assert editor_client.post(edit_url(claim), data).status_code == 302

    response = reviewer_client.get(reverse("claims:claim_history", args=[claim.pk]))

    page = text_of(response)
    assert page.count("Quote:") == 1
    assert "Start offset" not in page
    assert (
        "中国<ins>在</ins>人工智能<del>核心产业规模为1751亿</del><ins>领域的投资约为860亿美</ins>元"
        in response.content.decode()
    )


def test_claim_history_shows_an_edit_of_topics_alone_by_their_names(
    editor_client, reviewer_client, make_claim
):
    claim = make_claim(topics=["investment", "policy"])
    data = loaded_form(editor_client.get(edit_url(claim)))
    data["topics"] = [str(Topic.objects.get(slug=slug).pk) for slug in ("policy", "compute")]
    assert editor_client.post(edit_url(claim), data).status_code == 302

    page = text_of(reviewer_client.get(reverse("claims:claim_history", args=[claim.pk])))

    assert "eddie Topics: added Compute; removed Investment" in page
    assert page.count("eddie") == 1  # the edit's steps are one entry


def test_claim_history_shows_figures_as_people_write_them(
    editor_client, reviewer_client, make_claim
):
    claim = make_claim(value=Decimal("175100000000"), value_upper=None)
    data = loaded_form(editor_client.get(edit_url(claim)))
    # The figure as written still says 1751亿元: the editor confirms the difference.
    data.update(value="180000000000", value_upper="180500000000", confirm_figure="on")
    assert editor_client.post(edit_url(claim), data).status_code == 302

    page = text_of(reviewer_client.get(reverse("claims:claim_history", args=[claim.pk])))

    assert "Value: 175,100,000,000 (1751亿) → 180,000,000,000 (1800亿)" in page
    assert "Upper bound: — → 180,500,000,000 (1805亿)" in page
    assert "0000000000" not in page


# Escaping


def test_notes_with_markup_are_shown_as_text(reviewer_client, reviewer, editor, make_claim):
    claim, other = make_claim(), make_claim()
    payload = "<img src=x onerror=alert(1)>"
    verdict_create(claim=claim, reviewer=reviewer, verdict="dispute", note=f"verdict {payload}")
    crossref_create(
        user=editor, from_claim=claim, to_claim=other, relation="related", note=f"link {payload}"
    )

    content = reviewer_client.get(claim.get_absolute_url()).content.decode()

    assert "<img src=x" not in content
    assert "verdict &lt;img src=x onerror=alert(1)&gt;" in content
    assert "link &lt;img src=x onerror=alert(1)&gt;" in content


def test_a_search_for_markup_is_echoed_as_text(editor_client, make_claim):
    claim = make_claim()

    content = editor_client.get(
        claim.get_absolute_url(), {"find": "<script>alert(1)</script>"}
    ).content.decode()

    assert "<script>alert" not in content
    assert "No claims match “&lt;script&gt;alert(1)&lt;/script&gt;”." in content


# Signing in


def test_adding_a_claim_needs_a_signed_in_user(client, make_source):
    url = create_url(make_source())

    response = client.post(url, {"quote": QUOTE})

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"
    assert not Claim.objects.exists()


def test_bidirectional_controls_in_user_text_are_isolated_from_the_page_around_them(
    reviewer_client, make_source, make_claim, other_reviewer
):
    # U+202E reverses the text after it up to the end of the enclosing isolate; without one,
    # a title could turn "· 2024-01-01 · Hong Kong" around on the page.
    source = make_source(title="報告\u202e名標", author="作者\u202e")
    claim = make_claim(source=source, attributed_to="機構\u202e")
    verdict_create(claim=claim, reviewer=other_reviewer, verdict="dispute", note="口徑\u202e不同")

    detail = reviewer_client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    listed = reviewer_client.get(LIST).content.decode()

    for page, text in [
        # The title is a link marked with its language, which the stylesheet isolates.
        (detail, "報告\u202e名標"),
        (detail, "作者\u202e"),
        (detail, "機構\u202e"),
        (detail, "口徑\u202e不同"),
        (listed, "報告\u202e名標"),
        (listed, "機構\u202e"),
    ]:
        isolated = re.search(
            r'(dir="auto"[^>]*>|<bdi>|lang="zh-Han[st]">)' + re.escape(text) + "<", page
        )
        assert isolated, f"{text!r} is not isolated"


def test_a_much_reviewed_claim_shows_its_newest_verdicts_a_page_at_a_time(
    reviewer_client, make_claim, django_user_model
):
    from claims.models import Verdict

    claim = make_claim()
    reviewers = [django_user_model.objects.create_user(f"reviewer-{n}") for n in range(60)]
    for number, user in enumerate(reviewers):
        verdict_create(reviewer=user, claim=claim, verdict="agree", note=f"第{number}条")

    first = reviewer_client.get(claim.get_absolute_url()).content.decode()
    second = reviewer_client.get(claim.get_absolute_url(), {"verdicts_page": "2"})

    assert "第59条" in first and "第10条" in first and "第9条" not in first
    assert "Verdicts 1–50 of 60" in first
    assert "第9条" in second.content.decode() and "第10条" not in second.content.decode()
    assert Verdict.objects.filter(claim=claim).count() == 60
    bad = reviewer_client.get(claim.get_absolute_url(), {"verdicts_page": "9" * 5000})
    assert bad.status_code == 400


def test_the_claim_page_costs_the_same_queries_for_five_or_sixty_verdicts(
    reviewer_client, make_claim, django_user_model, django_assert_max_num_queries
):
    claim = make_claim()
    users = [django_user_model.objects.create_user(f"reviewer-{n}") for n in range(60)]
    for user in users[:5]:
        verdict_create(reviewer=user, claim=claim, verdict="agree")
    with django_assert_max_num_queries(30) as few:
        reviewer_client.get(claim.get_absolute_url())
    for user in users[5:]:
        verdict_create(reviewer=user, claim=claim, verdict="agree")

    with django_assert_max_num_queries(len(few.captured_queries)):
        reviewer_client.get(claim.get_absolute_url())


# At scale: bounded counts, page links, filters that suggest values


def test_past_the_counting_bound_the_list_says_more_than_it_and_keeps_paging(
    reviewer_client, make_source, make_claim, monkeypatch
):
    from core import pagination

    monkeypatch.setattr(pagination, "COUNT_BOUND", 4)
    source = make_source()
    claims = [make_claim(source=source) for _ in range(6)]

    first = reviewer_client.get(LIST, {"per_page": 25, "status": "unreviewed"})

    page = text_of(first)
    assert "More than 4 claims" in page
    assert "Counting stops at 4; narrow the filters to have the matches counted exactly." in page
    assert listed(first) == [claim.pk for claim in claims]


def test_a_relation_is_estimated_as_claims_among_the_pairs_ends(reviewer_client, monkeypatch):
    asked = []

    def estimate(queryset):
        asked.append(str(queryset.query))
        return 200_000

    monkeypatch.setattr("claims.filters.selection_estimate", estimate)

    page = text_of(reviewer_client.get(LIST, {"relation": "contradicts", "unit": "USD"}))

    assert "About 200,000 claims" in page
    # Asked of the ends' form, which the planner estimates from the pairs' statistics; the
    # EXISTS conditions the page reads by, it guessed at three claims in four.
    (sql,) = asked
    assert "UNION ALL" in sql and "EXISTS" not in sql
    assert '"unit" = USD' in sql


def test_the_whole_list_asks_no_estimate_of_a_selection(reviewer_client, monkeypatch):
    asked = []
    monkeypatch.setattr("claims.filters.selection_estimate", asked.append)

    reviewer_client.get(LIST)
    reviewer_client.get(LIST, {"sort": "value"})
    assert asked == []  # the table's own estimate serves, a query fewer
    reviewer_client.get(LIST, {"unit": "USD"})
    assert len(asked) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner estimates")
def test_a_selection_far_past_the_bound_is_not_counted_and_the_list_says_about(
    reviewer_client, mostly_without_figure
):
    without_figure = text_of(reviewer_client.get(LIST, {"has_figure": "false"}))
    searched = text_of(reviewer_client.get(LIST, {"has_figure": "false", "q": "1751亿元"}))

    assert re.search(r"About \d+ claims, showing 1–25", without_figure)
    assert "The total is the database's estimate" in without_figure
    # A search's matches are counted: the planner's guess of them is rough.
    assert "About" not in searched


def test_walking_the_list_by_next_and_previous_shows_each_claim_once(
    reviewer_client, make_source, make_claim
):
    claims = [make_claim(source=make_source()) for _ in range(60)]
    expected = list(
        Claim.objects.order_by("-source_published_on", "source_id", "quote_start", "pk")
        .filter(pk__in=[c.pk for c in claims])
        .values_list("pk", flat=True)
    )

    def link(response, rel):
        found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
        return found and html.unescape(found.group(1))

    pages = [reviewer_client.get(LIST)]
    while link(pages[-1], "next"):
        pages.append(reviewer_client.get(LIST + "?" + link(pages[-1], "next")))
    back = reviewer_client.get(LIST + "?" + link(pages[-1], "prev"))

    assert [pk for response in pages for pk in listed(response)] == expected
    assert "60 claims, showing 51–60" in text_of(pages[-1])
    assert "Page 3 of 3" in text_of(pages[-1])
    assert listed(back) == listed(pages[1])
    assert "showing 26–50" in text_of(back)


def test_a_numbered_page_past_the_counting_bound_is_refused_with_a_way_on(
    reviewer_client, make_claim, monkeypatch
):
    from core import pagination

    monkeypatch.setattr(pagination, "COUNT_BOUND", 2)
    make_claim()
    make_claim()
    make_claim()

    response = reviewer_client.get(LIST, {"page": "500", "status": "unreviewed"})

    assert response.status_code == 400
    assert "follow Next from a page, or narrow the filters" in text_of(response)


@pytest.mark.parametrize("few", [False, True], ids=["walked newest first", "read at once"])
def test_a_search_matching_more_than_can_be_ranked_ranks_the_newest_and_says_so(
    reviewer_client, make_source, make_claim, monkeypatch, few
):
    monkeypatch.setattr("claims.views.claims.RANK_BOUND", 2)
    # Whether the statistics find the word in few claims (claims.search.few_keys_hold),
    # which reads all its matches through the index rather than walking the newest first.
    monkeypatch.setattr("claims.search.few_keys_hold", lambda *args: few)
    source = make_source()
    older = make_claim(source=source, quote="中国人工智能核心产业")
    newer = [make_claim(source=source, quote=QUOTE) for _ in range(2)]

    response = reviewer_client.get(LIST, {"q": "人工智能"})

    assert sorted(listed(response)) == [claim.pk for claim in newer]
    assert older.pk not in listed(response)
    assert "Most relevant first among the newest 2 matches." in text_of(response)
    sorted_by_date = reviewer_client.get(LIST, {"q": "人工智能", "sort": "date"})
    assert older.pk in listed(sorted_by_date)
    assert "Most relevant first" not in text_of(sorted_by_date)


def test_the_source_filter_lists_no_sources_and_names_the_one_chosen(
    reviewer_client, make_source, make_claim
):
    chosen = make_source(title="被选中的报道")
    make_source(title="另一篇报道")
    make_claim(source=chosen)

    response = reviewer_client.get(LIST, {"source": chosen.key})

    content = response.content.decode()
    assert "另一篇报道" not in content
    assert f'name="source" value="{chosen.key}"' in content
    assert '<small class="lookup-chosen">被选中的报道</small>' in content
    for name in ("source", "outlet", "cited"):
        assert f'<select name="{name}"' not in content


def test_the_source_filter_takes_words_of_a_title_or_outlet_typed_without_choosing(
    reviewer_client, make_source, make_claim
):
    semis = make_source(title="半導體產業報告", outlet="測試日報")
    other = make_source(title="另一篇报道", outlet="新京报")
    wanted = make_claim(source=semis)
    make_claim(source=other)

    for typed in ("半导体", "測試日報", "半導體 報告"):
        response = reviewer_client.get(LIST, {"source": typed})
        assert response.status_code == 200
        assert listed(response) == [wanted.pk]

    refused = reviewer_client.get(LIST, {"source": "沒有這篇"})
    assert refused.status_code == 400
    assert "No source&#x27;s title or outlet holds “沒有這篇”." in refused.content.decode()


def test_the_lookups_suggest_sources_outlets_and_cited_origins_from_what_is_typed(
    reviewer_client, make_source, make_claim
):
    xinhua = make_source(title="算力报道", outlet="新华社", published_on=date(2024, 5, 1))
    make_source(title="另一篇", outlet="新京报")
    make_source(title="第三篇", outlet="明報")
    make_claim(source=xinhua, attributed_to="国务院")
    make_claim(source=xinhua, quote=INVESTMENT, attributed_to="国家统计局")

    def results(name, q):
        return reviewer_client.get(reverse(f"claims:{name}_lookup"), {"q": q}).json()["results"]

    assert results("source", "算力") == [
        {"value": xinhua.key, "label": "算力报道 — 新华社, 2024-05-01"}
    ]
    assert [r["value"] for r in results("outlet", "新")] == ["新京报", "新华社"]
    assert [r["value"] for r in results("cited", "国")] == ["国务院", "国家统计局"]
    assert results("cited", "") == []


def articles_read(queries) -> int:
    """Return how many of the queries read an article's text (Source.text)."""
    return sum('."text"' in query["sql"].split(" FROM ")[0] for query in queries)


def test_a_claim_page_reads_the_article_of_its_own_claim_alone(
    viewer_client, editor, make_claim, make_source, settings
):
    settings.HECHA_FRAGMENT_CACHE_SECONDS = 0  # drawn afresh, every row read
    claim = make_claim()
    for outgoing in (True, True, False):
        other = make_claim(source=make_source())
        ends = (claim, other) if outgoing else (other, claim)
        crossref_create(
            user=editor, from_claim=ends[0], to_claim=ends[1], relation="supports", note="n"
        )

    with CaptureQueriesContext(connection) as context:
        page = viewer_client.get(reverse("claims:claim_detail", args=[claim.pk]))

    assert page.status_code == 200
    assert page.content.decode().count('class="claim-card"') >= 3
    assert articles_read(context.captured_queries) == 1
