"""The cross-reference list: claims side by side, filtered, and verdicts on the cross-references."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from claims.models import CrossReference, ReviewStatus, Verdict
from claims.services import crossref_create, crossref_retract, source_update, verdict_create
from claims.tests.test_search import counts_run

BOARD = reverse("claims:crossref_list")
INVESTMENT = "中国在人工智能领域的投资约为860亿美元"
BLOCK_TAG = re.compile(
    r"</?(?:td|th|tr|li|p|dt|dd|div|blockquote|h\d|br|caption|label|legend|option)\b[^>]*>"
)


def text_of(response):
    """Return the page as a reader sees it: text without tags, one space between blocks."""
    text = strip_tags(BLOCK_TAG.sub(" ", response.content.decode()))
    return " ".join(html.unescape(text).split())


def pairs(response):
    """Return each pair on the board as (first claim id, second claim id, text of the pair)."""
    shown = []
    for chunk in response.content.decode().split('<article class="pair"')[1:]:
        ids = re.findall(r'<blockquote[^>]*><a href="/claims/(\d+)/">', chunk)
        text = " ".join(html.unescape(strip_tags(BLOCK_TAG.sub(" ", chunk))).split())
        shown.append((int(ids[0]), int(ids[1]), text))
    return shown


def annotate_url(crossref):
    return reverse("claims:crossref_annotate", args=[crossref.pk])


@pytest.fixture
def link(make_claim, editor):
    """Link two new claims, or the given ones, with a relation."""

    def make(
        relation="contradicts",
        *,
        note="两个数字不一致",
        from_claim=None,
        to_claim=None,
        **claim_fields,
    ):
        return crossref_create(
            user=editor,
            from_claim=from_claim or make_claim(**claim_fields),
            to_claim=to_claim or make_claim(**claim_fields),
            relation=relation,
            note=note,
        )

    return make


def test_board_shows_both_quotes_figures_and_sources_of_each_pair(
    reviewer_client, editor, make_source, make_claim
):
    industry = make_claim(
        source=make_source(title="产业规模报道", outlet="新华网", published_on=date(2024, 3, 1)),
        scope="core AI industry",
    )
    investment = make_claim(
        source=make_source(title="投资报道", outlet="明報", script="hant", region="hk"),
        quote=INVESTMENT,
        figure_text="860亿美元",
        value=Decimal("86000000000"),
        unit="USD",
        period_start=2014,
        period_end=2024,
        attributed_to="斯坦福大学",
    )
    crossref_create(
        user=editor,
        from_claim=industry,
        to_claim=investment,
        relation="different_scope",
        note="一个是产业规模，一个是投资",
    )

    response = reviewer_client.get(BOARD)

    assert response.status_code == 200
    assert "1 cross-reference" in text_of(response)
    [(first, second, text)] = pairs(response)
    assert (first, second) == (industry.pk, investment.pk)
    assert "中国人工智能核心产业规模为1751亿元 1751亿元 (175,100,000,000 CNY) 2023" in text
    assert "Scope core AI industry" in text
    assert "产业规模报道 · 新华网 · 2024-03-01" in text
    assert "different scope 一个是产业规模，一个是投资" in text
    assert f"{INVESTMENT} 860亿美元 (86,000,000,000 USD) 2014–2024" in text
    assert "Cited 斯坦福大学" in text
    assert "投资报道 · 明報" in text


@pytest.mark.parametrize("relation", ["contradicts", "same_figure"])
def test_board_filtered_by_relation_shows_only_such_pairs(reviewer_client, link, relation):
    links = {name: link(name) for name in ("contradicts", "same_figure", "supports")}

    response = reviewer_client.get(BOARD, {"relation": relation})

    assert [(a, b) for a, b, _ in pairs(response)] == [
        (links[relation].from_claim_id, links[relation].to_claim_id)
    ]


@pytest.mark.parametrize("status", ["disputed", "agreed", "unreviewed"])
def test_board_filtered_by_status_shows_only_links_in_that_review_status(
    reviewer_client, reviewer, link, status
):
    links = {"disputed": link(), "agreed": link(), "unreviewed": link()}
    verdict_create(
        crossref=links["disputed"], reviewer=reviewer, verdict="dispute", note="两者口径相同"
    )
    verdict_create(crossref=links["agreed"], reviewer=reviewer, verdict="agree")

    response = reviewer_client.get(BOARD, {"status": status})

    assert [a for a, _, _ in pairs(response)] == [links[status].from_claim_id]


def test_board_filtered_by_topic_shows_pairs_with_that_topic_on_either_side(
    reviewer_client, link, make_claim
):
    compute = make_claim(topics=["compute"])
    left = link(from_claim=compute)
    right = link(to_claim=compute, relation="supports")
    link(topics=["policy"])

    response = reviewer_client.get(BOARD, {"topic": "compute"})

    assert {(a, b) for a, b, _ in pairs(response)} == {
        (left.from_claim_id, left.to_claim_id),
        (right.from_claim_id, right.to_claim_id),
    }


def test_board_filtered_by_topic_counts_as_far_as_a_search(
    reviewer_client, link, make_claim, monkeypatch
):
    monkeypatch.setattr("claims.views.crossrefs.RANK_BOUND", 1)
    # Counted, not estimated: the planner's estimate comes from whatever statistics the
    # test database was last analysed with.
    monkeypatch.setattr("core.pagination.selection_estimate", lambda queryset: None)
    compute = make_claim(topics=["compute"])
    link(from_claim=compute)
    link(to_claim=compute, relation="supports")

    response = reviewer_client.get(BOARD, {"topic": "compute"})

    assert len(pairs(response)) == 2
    assert "More than 1" in response.content.decode()
    assert "Counting stops at 1;" in response.content.decode()


def test_board_estimates_a_topic_the_planner_puts_far_past_the_bound(
    reviewer_client, link, make_claim, monkeypatch
):
    link(from_claim=make_claim(topics=["compute"]))
    monkeypatch.setattr("core.pagination.selection_estimate", lambda queryset: 14_000)

    by_topic = reviewer_client.get(BOARD, {"topic": "compute"}).content.decode()
    # A search is counted whatever the estimate: the planner's guess of a word's share is
    # no guide.
    searched = reviewer_client.get(BOARD, {"topic": "compute", "q": "860亿美元"}).content.decode()

    assert "About 14,000" in by_topic
    assert "About" not in searched


@pytest.mark.parametrize("q", ["口径不同", "860亿美元"], ids=["note", "quote"])
def test_board_search_finds_words_in_the_note_or_either_quote(reviewer_client, link, make_claim, q):
    wanted = link(note="统计口径不同", to_claim=make_claim(quote=INVESTMENT))
    link(note="其他")

    response = reviewer_client.get(BOARD, {"q": q})

    assert [(a, b) for a, b, _ in pairs(response)] == [(wanted.from_claim_id, wanted.to_claim_id)]


@pytest.fixture
def saying(make_source, make_claim):
    """Return a factory of claims without a figure whose quote is `quote`, in a source of
    their own."""

    def make(quote):
        source = make_source(title="報導", text=f"{quote}。其他句子。")
        no_figure = {"figure_text": "", "value": None, "unit": "", "scope": ""}
        return make_claim(
            source=source, quote=quote, period_start=None, period_end=None, **no_figure
        )

    return make


@pytest.mark.parametrize("q", ["芯片", "晶片", "壁仞 晶片", "口径"])
def test_board_search_finds_the_same_pairs_whether_few_or_many_claims_hold_the_word(
    reviewer_client, link, saying, q, pair_lookup
):
    # Whichever way the pairs are found (pair_lookup), the same pairs.
    chips = link(from_claim=saying("晶片出口受限"), note="口径")
    named = link(to_claim=saying("壁仞的芯片"))
    link(note="其他")
    wanted = {
        "芯片": [chips, named],
        "晶片": [chips, named],
        "壁仞 晶片": [named],
        "口径": [chips],
    }[q]

    response = reviewer_client.get(BOARD, {"q": q})

    assert sorted((a, b) for a, b, _ in pairs(response)) == sorted(
        (pair.from_claim_id, pair.to_claim_id) for pair in wanted
    )


def test_board_search_counts_its_pairs_by_either_claim_first(
    reviewer_client, link, saying, monkeypatch, counted_in_parts
):
    monkeypatch.setattr("claims.views.crossrefs.RANK_BOUND", 1)

    other = saying("其他數字")
    # One pair from a claim saying the word, two to one: only the second part passes.
    link(from_claim=saying("晶片出口"), to_claim=other, relation="related", note="見")
    for relation in ("supports", "contradicts"):
        link(from_claim=other, to_claim=saying("晶片產能"), relation=relation, note="見")

    with CaptureQueriesContext(connection) as queries:
        searched = reviewer_client.get(BOARD, {"q": "芯片"})
    counts = counts_run(queries)  # before the next request empties the log
    narrowed = reviewer_client.get(BOARD, {"q": "芯片", "relation": "supports"})

    assert len(pairs(searched)) == 3
    assert "More than 1" in searched.content.decode()
    assert counts == 2  # a part short of the bound, then one past it; not the whole
    # The parts are counted among the pairs the other filters select.
    assert len(pairs(narrowed)) == 1
    assert "1 cross-reference" in text_of(narrowed)
    assert "More than" not in narrowed.content.decode()


def test_board_search_leaves_out_a_retracted_pair_whose_note_holds_the_word(
    reviewer_client, link, editor, pair_lookup
):
    standing = link(note="口径不同")
    crossref_retract(crossref=link(note="口径有误"), user=editor, reason="Linked in error.")

    response = reviewer_client.get(BOARD, {"q": "口径"})

    assert [(a, b) for a, b, _ in pairs(response)] == [
        (standing.from_claim_id, standing.to_claim_id)
    ]


@pytest.mark.parametrize(
    "params, error",
    [
        (
            {"relation": "hates"},
            "Select a valid choice. hates is not one of the available choices.",
        ),
        ({"status": "bogus"}, "Select a valid choice. bogus is not one of the available choices."),
        (
            {"topic": "no-such-topic"},
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_an_invalid_board_filter_shows_the_error_and_no_pairs(reviewer_client, link, params, error):
    link()

    response = reviewer_client.get(BOARD, params)

    assert response.status_code == 400
    page = text_of(response)
    assert "Some filters are not valid, so nothing is shown." in page
    assert error in page
    assert pairs(response) == []
    assert "0 cross-references" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "abc"}, "The page number must be a whole number from 1 up."),
        ({"per_page": "7"}, "The page size must be one of 25, 50, 100."),
    ],
)
def test_a_bad_page_of_the_board_is_a_bad_request_that_says_why(
    reviewer_client, link, params, message
):
    link()

    response = reviewer_client.get(BOARD, params)

    assert response.status_code == 400
    assert message in text_of(response)


def test_board_queries_do_not_grow_with_the_number_of_pairs(
    reviewer_client, link, make_source, make_claim, django_assert_num_queries
):
    def add(count):
        for number in range(count):
            link(
                ("contradicts", "supports", "related")[number % 3],
                from_claim=make_claim(source=make_source(), topics=["investment"]),
                to_claim=make_claim(source=make_source(), attributed_to="CSET"),
            )

    add(3)
    reviewer_client.get(BOARD)  # fills the per-process caches before counting
    with CaptureQueriesContext(connection) as queries:
        reviewer_client.get(BOARD, {"per_page": 50})
    add(20)

    with django_assert_num_queries(len(queries)):
        response = reviewer_client.get(BOARD, {"per_page": 50})

    assert len(pairs(response)) == 23
    print(f"cross-reference list: {len(queries)} queries for 3 and for 23 pairs")


# Verdicts on a cross-reference


def test_reviewer_records_a_verdict_on_a_link_and_the_board_shows_the_tally(reviewer_client, link):
    crossref = link()

    response = reviewer_client.post(
        annotate_url(crossref),
        {
            "verdict": "dispute",
            "note": "两者口径相同，并不矛盾",
            "next": "/crossrefs/?relation=contradicts",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/crossrefs/?relation=contradicts"
    page = text_of(response)
    assert "Your verdict “dispute” on the cross-reference is recorded." in page
    assert "disputed ✓0 ✗1 ?0" in pairs(response)[0][2]
    annotation = Verdict.objects.get()
    assert (annotation.crossref, annotation.claim, annotation.note) == (
        crossref,
        None,
        "两者口径相同，并不矛盾",
    )
    crossref.refresh_from_db()
    assert crossref.review_status == ReviewStatus.DISPUTED


def test_a_verdict_on_a_link_from_a_claim_page_leads_back_to_it(reviewer_client, link):
    crossref = link()
    claim_page = crossref.from_claim.get_absolute_url()

    response = reviewer_client.post(
        annotate_url(crossref), {"verdict": "agree", "next": claim_page}
    )

    assert response.status_code == 302
    assert response.url == claim_page


def test_a_verdict_on_a_link_never_redirects_to_another_site(reviewer_client, link):
    crossref = link()

    response = reviewer_client.post(
        annotate_url(crossref), {"verdict": "agree", "next": "https://evil.example/"}
    )

    assert response.url == BOARD


def test_a_dispute_of_a_link_without_a_note_is_refused_and_the_reviewer_told(reviewer_client, link):
    crossref = link()

    response = reviewer_client.post(
        annotate_url(crossref), {"verdict": "dispute", "note": ""}, follow=True
    )

    assert "Say why you dispute it." in text_of(response)
    assert not Verdict.objects.exists()
    crossref.refresh_from_db()
    assert crossref.review_status == ReviewStatus.UNREVIEWED


def test_a_viewer_cannot_record_a_verdict_on_a_link(viewer_client, link):
    crossref = link()

    response = viewer_client.post(annotate_url(crossref), {"verdict": "agree"})

    assert response.status_code == 403
    assert "Your role does not allow this" in text_of(response)
    assert "You are signed in as a Viewer." in text_of(response)
    assert not Verdict.objects.exists()


def test_the_board_offers_verdict_forms_to_reviewers_only(reviewer_client, viewer_client, link):
    crossref = link()
    form_action = f'action="{annotate_url(crossref)}"'

    assert form_action in reviewer_client.get(BOARD).content.decode()
    assert form_action not in viewer_client.get(BOARD).content.decode()


def test_a_verdict_on_a_link_without_a_csrf_token_is_refused(reviewer, link):
    crossref = link()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)

    response = client.post(annotate_url(crossref), {"verdict": "agree"})

    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_an_anonymous_verdict_on_a_link_is_sent_to_log_in(client, link):
    crossref = link()

    response = client.post(annotate_url(crossref), {"verdict": "agree"})

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={annotate_url(crossref)}"
    assert not Verdict.objects.exists()


def test_the_board_sends_anonymous_users_to_log_in(client, db):
    response = client.get(BOARD, {"relation": "contradicts"})

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/crossrefs/%3Frelation%3Dcontradicts"


# Escaping


def test_a_note_with_markup_is_shown_as_text_on_the_board(reviewer_client, link):
    link(note="注意 <img src=x onerror=alert(1)> 这里")

    content = reviewer_client.get(BOARD).content.decode()

    assert "<img src=x" not in content
    assert "注意 &lt;img src=x onerror=alert(1)&gt; 这里" in content


def test_a_pair_whose_claims_both_carry_the_topic_is_listed_once(reviewer_client, link, make_claim):
    # Both claims carry the topic: the pair matches twice in the join, and is shown once.
    shared = make_claim(topics=["compute"])
    link(from_claim=shared, to_claim=make_claim(topics=["compute"]))

    response = reviewer_client.get(BOARD, {"topic": "compute"})

    assert len(pairs(response)) == 1
    assert "1 cross-reference" in text_of(response)
    assert CrossReference.objects.count() == 1


def test_a_claim_whose_quote_was_lost_is_flagged_unanchored_on_the_board(
    viewer_client, make_claim, link, editor
):
    kept = make_claim()
    lost = make_claim(source=kept.source, quote=INVESTMENT)
    link(from_claim=kept, to_claim=lost)
    source = kept.source
    source_update(
        source=source,
        user=editor,
        expected_version=source.version,
        text=source.text.replace("约为860亿美元", "约为九百亿美元"),
    )

    ((first, second, text),) = pairs(viewer_client.get(BOARD))
    assert text.count("unanchored") == 1
    assert text.index("unanchored") > text.index(INVESTMENT)


# A cross-reference's own page


def menu_marked(response):
    """Return the labels of the menu's links that say they lead to the current section."""
    menu = response.content.decode().split('<nav aria-label="Main">')[1].split("</nav>")[0]
    return re.findall(r'aria-current="page">([^<]+)</a>', menu)


@pytest.mark.parametrize("page", ["crossref_detail", "crossref_retract"])
def test_a_cross_reference_page_is_marked_in_the_menu_as_cross_references(
    editor_client, link, page
):
    crossref = link()

    response = editor_client.get(reverse(f"claims:{page}", args=[crossref.pk]))

    assert response.status_code == 200
    assert menu_marked(response) == ["Cross-references"]


def test_the_menu_marks_claims_on_a_claim_page_and_cross_references_on_the_board(
    reviewer_client, link
):
    crossref = link()

    assert menu_marked(reviewer_client.get(crossref.from_claim.get_absolute_url())) == ["Claims"]
    assert menu_marked(reviewer_client.get(BOARD)) == ["Cross-references"]


def verdict_rows(response):
    """Return the rows of the page's verdict history as (reviewer, verdict, note)."""
    table = response.content.decode().split('<section id="verdicts"')[1].split("</table>")[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = [" ".join(html.unescape(strip_tags(cell)).split()) for cell in row.split("<td")[1:]]
        rows.append(tuple(cell.split(">", 1)[1].strip() for cell in cells[1:]))
    return rows


def test_a_cross_reference_page_lists_who_gave_each_verdict_and_why(
    reviewer_client, reviewer, other_reviewer, link
):
    crossref = link()
    verdict_create(reviewer=reviewer, crossref=crossref, verdict="agree", note="口径一致")
    verdict_create(
        reviewer=other_reviewer,
        crossref=crossref,
        verdict="dispute",
        note="范围不同，<b>不矛盾</b>",
    )

    response = reviewer_client.get(reverse("claims:crossref_detail", args=[crossref.pk]))

    assert verdict_rows(response) == [
        ("otto", "dispute", "范围不同，<b>不矛盾</b>"),
        (reviewer.get_username(), "agree", "口径一致"),
    ]
    assert "current verdicts: 1 agree, 1 dispute, 0 need context." in text_of(response)


def test_a_cross_reference_page_without_verdicts_says_so(reviewer_client, link):
    crossref = link()

    response = reviewer_client.get(reverse("claims:crossref_detail", args=[crossref.pk]))

    assert "No verdicts yet." in text_of(response)


def test_a_cross_reference_page_reads_as_many_queries_however_many_verdicts_it_lists(
    reviewer_client, django_user_model, link, django_assert_num_queries
):
    crossref = link()
    url = reverse("claims:crossref_detail", args=[crossref.pk])

    def judge(count, start):
        for number in range(start, start + count):
            reviewer = django_user_model.objects.create_user(f"reviewer{number}")
            verdict_create(reviewer=reviewer, crossref=crossref, verdict="agree", note=str(number))

    judge(1, 0)
    reviewer_client.get(url)  # fills the per-process caches before counting
    with CaptureQueriesContext(connection) as queries:
        reviewer_client.get(url)
    judge(12, 1)

    with django_assert_num_queries(len(queries)):
        response = reviewer_client.get(url)

    assert len(verdict_rows(response)) == 13
