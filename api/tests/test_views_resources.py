"""The API as another tool uses it: lists with the pages' filters, records, verdicts, the feed."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.exports import ClaimExport
from claims.models import Claim, Topic, Verdict
from claims.services import (
    claim_restore,
    claim_retract,
    claim_update,
    crossref_create,
    verdict_create,
)

CLAIMS = "/api/v1/claims/"
CHANGES = "/api/v1/claims/changes/"
SOURCES = "/api/v1/sources/"
CROSSREFS = "/api/v1/crossrefs/"
VERDICTS = "/api/v1/verdicts/"


def ids(response):
    return [record["id"] for record in response.json()["results"]]


def walk(client, url, params=None):
    """Follow `next` from the first page to the last; return every page's records."""
    pages = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        pages.append(response.json()["results"])
        if response.json()["next"] is None:
            return pages
        response = client.get(response.json()["next"])


@pytest.fixture
def two_claims(make_claim, make_source, editor, reviewer, other_reviewer):
    """A disputed claim about investment linked to an agreed one about industry size."""
    size = make_claim()
    investment = make_claim(
        source=make_source(title="投资报道"),
        quote="中国在人工智能领域的投资约为860亿美元",
        figure_text="860亿美元",
        value=Decimal("86000000000"),
        unit="USD",
        period_start=2014,
        period_end=2024,
        scope="AI investment",
    )
    verdict_create(claim=size, reviewer=reviewer, verdict="agree")
    verdict_create(claim=investment, reviewer=reviewer, verdict="agree")
    verdict_create(claim=investment, reviewer=other_reviewer, verdict="dispute", note="口径不同")
    crossref_create(
        user=editor, from_claim=investment, to_claim=size, relation="related", note="同一报告"
    )
    return size, investment


# Claims


def test_a_read_token_lists_claims_selected_by_status_and_search(
    api_client_for, viewer, two_claims, make_claim
):
    size, investment = two_claims
    make_claim(quote="同比增长11.9%", figure_text="11.9%", value=None, unit="")  # unreviewed
    client = api_client_for(viewer)

    disputed = client.get(CLAIMS, {"status": "disputed"})
    searched = client.get(CLAIMS, {"q": "投资"})
    agreed_about_size = client.get(CLAIMS, {"status": "agreed", "q": "产业规模"})

    assert ids(disputed) == [str(investment.public_id)]
    assert ids(searched) == [str(investment.public_id)]
    assert ids(agreed_about_size) == [str(size.public_id)]
    record = disputed.json()["results"][0]
    assert record["status"] == "disputed"
    assert record["tally"] == {"agree": 1, "dispute": 1, "needs_context": 0}
    assert record["figure"]["value"] == "86000000000"
    assert "annotations" not in record and "cross_references" not in record


def test_a_search_walks_every_match_in_the_order_they_were_recorded(
    api_client_for, viewer, make_claim, make_source, monkeypatch
):
    # More matches than the pages rank; the last one quotes the word, the others only
    # summarise it, so most relevant first it would come first.
    monkeypatch.setattr("claims.views.claims.RANK_BOUND", 2)
    made = [make_claim(summary="投资") for _ in range(3)]
    made.append(
        make_claim(
            source=make_source(text="据报道，投资规模为1751亿元。"), quote="投资规模为1751亿元"
        )
    )
    client = api_client_for(viewer)

    pages = walk(client, CLAIMS, {"q": "投资", "limit": 2})

    assert [record["id"] for page in pages for record in page] == [
        str(claim.public_id) for claim in made
    ]


def test_the_claim_list_takes_the_pages_topic_source_and_sort_parameters(
    api_client_for, viewer, two_claims
):
    size, investment = two_claims
    Claim.topics.through.objects.create(
        claim=investment, topic=Topic.objects.get_or_create(slug="investment")[0]
    )
    client = api_client_for(viewer)

    by_topic = client.get(CLAIMS, {"topic": "investment"})
    by_source = client.get(CLAIMS, {"source": size.source.key})
    largest_first = client.get(CLAIMS, {"sort": "-value"})

    assert ids(by_topic) == [str(investment.public_id)]
    assert ids(by_source) == [str(size.public_id)]
    assert ids(largest_first) == [str(size.public_id), str(investment.public_id)]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "maybe"}, "status"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"year_from": "2020", "year_to": "2010"}, "year_to"),
        ({"value_min": "lots"}, "value_min"),
        ({"sort": "colour"}, "sort"),
    ],
)
def test_an_invalid_filter_is_refused_with_the_filter_forms_message(
    api_client_for, viewer, two_claims, params, field
):
    response = api_client_for(viewer).get(CLAIMS, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]  # the form's own sentence, not an empty list


def test_claims_of_a_common_relation_are_the_same_read_a_row_at_a_time(
    api_client_for, viewer, two_claims, make_claim, monkeypatch
):
    size, investment = two_claims
    make_claim()  # in no pair
    client = api_client_for(viewer)
    as_the_export_reads = walk(client, CLAIMS, {"relation": "related", "page_size": 1})

    # The planner's estimates as for a relation that one claim in three has: each page
    # probes the pairs for the rows it meets (ClaimFilterSet.page_qs).
    monkeypatch.setattr("claims.filters.table_estimate", lambda model, using: 3)
    monkeypatch.setattr("claims.filters.selection_estimate", lambda queryset: 2)
    probed = walk(client, CLAIMS, {"relation": "related", "page_size": 1})

    assert probed == as_the_export_reads
    assert sorted(record["id"] for page in probed for record in page) == sorted(
        [str(size.public_id), str(investment.public_id)]
    )


def test_a_claim_reads_as_the_export_writes_it_with_every_verdict_and_cross_reference(
    api_client_for, viewer, two_claims
):
    size, investment = two_claims

    record = api_client_for(viewer).get(f"{CLAIMS}{investment.public_id}/").json()

    exported = {c["id"]: c for c in ClaimExport(Claim.objects.all()).document()["claims"]}
    assert record.pop("updated_at").endswith("Z")
    assert record == exported[str(investment.public_id)]
    assert [a["verdict"] for a in record["annotations"]] == ["agree", "dispute"]
    assert record["cross_references"] == [
        {
            "relation": "related",
            "direction": "outgoing",
            "claim": str(size.public_id),
            "note": "同一报告",
            "status": "unreviewed",
            "tally": {"agree": 0, "dispute": 0, "needs_context": 0},
            "annotations": [],
        }
    ]


def test_a_claim_shows_cross_references_to_claims_outside_any_selection(
    api_client_for, viewer, two_claims
):
    size, investment = two_claims

    record = api_client_for(viewer).get(f"{CLAIMS}{size.public_id}/").json()

    assert [(x["direction"], x["claim"]) for x in record["cross_references"]] == [
        ("incoming", str(investment.public_id))
    ]


def test_an_unknown_claim_is_not_found(api_client_for, viewer, db):
    response = api_client_for(viewer).get(f"{CLAIMS}8d1c5a3e-6f0b-4c52-9a57-3e2f1b7c9d40/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_claim_is_not_found_in_the_readers_language(api_client_for, viewer, db):
    response = api_client_for(viewer).get(
        f"{CLAIMS}8d1c5a3e-6f0b-4c52-9a57-3e2f1b7c9d40/", HTTP_ACCEPT_LANGUAGE="zh-hant"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "找不到資源。"}


@pytest.mark.parametrize("debug", [True, False])
def test_an_api_address_that_names_nothing_is_answered_in_json(
    api_client_for, viewer, db, settings, debug
):
    settings.DEBUG = debug

    response = api_client_for(viewer).get(f"{CLAIMS}abc/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_address_that_names_nothing_is_still_answered_with_a_page(client, db):
    response = client.get("/claims/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_root_links_every_part_of_the_api(api_client_for, viewer, db):
    root = api_client_for(viewer).get("/api/v1/").json()

    assert root == {
        "claims": "http://testserver/api/v1/claims/",
        "sources": "http://testserver/api/v1/sources/",
        "crossrefs": "http://testserver/api/v1/crossrefs/",
        "verdicts": "http://testserver/api/v1/verdicts/",
        "changes": "http://testserver/api/v1/claims/changes/",
        "schema": "http://testserver/api/v1/schema/",
        "docs": "http://testserver/api/v1/docs/",
    }
    for url in root.values():
        assert api_client_for(viewer).get(url).status_code == 200, url


def test_the_browsable_api_is_hechas_and_writes_no_inline_style(client, viewer):
    client.force_login(viewer)

    page = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html").content.decode()

    assert "Hecha API" in page
    assert 'href="/"' in page  # back to the site
    assert "Django REST framework" not in page
    # The pages' content security policy refuses inline style: the browser would report it.
    assert "<style" not in page


# Pages


@pytest.fixture
def many_claims(make_source, make_claim):
    """Return claims with equal, different and missing values, over two sources."""
    sources = [make_source(), make_source()]
    made = []
    for number in range(13):
        value = None if number % 4 == 0 else Decimal(number % 3 * 1000 + 1)
        made.append(
            make_claim(
                source=sources[number % 2],
                value=value,
                unit="CNY" if value is not None else "",
                figure_text="",
            )
        )
    return made


@pytest.mark.parametrize("sort", ["", "value", "-value", "date", "-changed", "status"])
def test_pages_of_any_sort_hold_every_claim_once_in_the_sorts_order(
    api_client_for, viewer, many_claims, sort
):
    client = api_client_for(viewer)
    whole = client.get(CLAIMS, {"sort": sort, "limit": 200})

    pages = walk(client, CLAIMS, {"sort": sort, "limit": 3})

    assert [len(page) for page in pages] == [3, 3, 3, 3, 1]
    assert [r["id"] for page in pages for r in page] == ids(whole)
    assert sorted(ids(whole)) == sorted(str(c.public_id) for c in many_claims)


def test_claims_without_a_figure_come_last_whichever_way_values_are_sorted(
    api_client_for, viewer, many_claims
):
    client = api_client_for(viewer)

    for sort in ("value", "-value"):
        values = [
            r["figure"] and r["figure"]["value"]
            for p in walk(client, CLAIMS, {"sort": sort, "limit": 4})
            for r in p
        ]
        stated = [Decimal(v) for v in values if v is not None]
        assert values[len(stated) :] == [None] * (len(values) - len(stated))
        assert stated == sorted(stated, reverse=sort.startswith("-"))


@pytest.mark.parametrize("limit", ["0", "201", "ten", "-1", "9" * 4301])
def test_a_page_size_out_of_bounds_is_refused(api_client_for, viewer, db, limit):
    response = api_client_for(viewer).get(CLAIMS, {"limit": limit})

    assert response.status_code == 400
    assert response.json() == {"limit": ["Give a whole number from 1 to 200."]}


def test_a_cursor_of_another_sort_or_a_made_up_one_is_refused(api_client_for, viewer, many_claims):
    client = api_client_for(viewer)
    next_by_value = client.get(CLAIMS, {"sort": "value", "limit": 2}).json()["next"]
    cursor = next_by_value.split("cursor=")[1].split("&")[0]

    other_sort = client.get(CLAIMS, {"sort": "date", "cursor": cursor})
    made_up = client.get(CLAIMS, {"cursor": "WyJ4Il0"})

    assert other_sort.status_code == made_up.status_code == 400
    assert "cursor" in other_sort.json() and "cursor" in made_up.json()


@pytest.mark.parametrize(
    "url", [CLAIMS, SOURCES, CROSSREFS, VERDICTS, CHANGES], ids=lambda url: url.split("/")[-2]
)
def test_every_list_page_costs_the_same_queries_whatever_its_size(
    api_client_for, viewer, many_claims, editor, reviewer, url, django_assert_num_queries
):
    # Every claim alike: linked both ways, with a verdict, so that any page reads the same.
    for claim, following in zip(many_claims, many_claims[1:] + many_claims[:1], strict=True):
        crossref_create(
            user=editor, from_claim=claim, to_claim=following, relation="related", note="接续"
        )
        verdict_create(claim=claim, reviewer=reviewer, verdict="agree")
    client = api_client_for(viewer)
    client.get(url, {"limit": 1})  # records the token's use and fills per-process caches
    with CaptureQueriesContext(connection) as one_record:
        client.get(url, {"limit": 1})

    with django_assert_num_queries(len(one_record)):
        response = client.get(url, {"limit": 200})

    assert len(response.json()["results"]) == (2 if url == SOURCES else 13)


# Sources, cross-references and verdicts


def test_sources_are_listed_without_their_text_which_a_source_gives(
    api_client_for, viewer, two_claims
):
    size, _investment = two_claims
    client = api_client_for(viewer)

    listed = client.get(SOURCES).json()["results"]
    one = client.get(f"{SOURCES}{size.source.key}/").json()

    assert sorted(record["key"] for record in listed) == sorted(
        [size.source.key, _investment.source.key]
    )
    assert all("text" not in record for record in listed)
    assert one["text"] == size.source.text
    assert one["title"] == size.source.title


def test_cross_references_are_selected_by_the_list_pages_filters(
    api_client_for, viewer, two_claims, make_claim, editor
):
    size, investment = two_claims
    other = make_claim(quote="同比增长11.9%", figure_text="11.9%", value=None, unit="")
    crossref_create(user=editor, from_claim=other, to_claim=size, relation="supports", note="增长")
    client = api_client_for(viewer)

    related = client.get(CROSSREFS, {"relation": "related"}).json()["results"]
    searched = client.get(CROSSREFS, {"q": "增长"}).json()["results"]
    refused = client.get(CROSSREFS, {"relation": "rhymes"})

    assert [(r["from_claim"], r["to_claim"]) for r in related] == [
        (str(investment.public_id), str(size.public_id))
    ]
    assert [r["relation"] for r in searched] == ["supports"]
    assert refused.status_code == 400 and "relation" in refused.json()


def test_verdicts_are_listed_by_claim_and_by_reviewer(api_client_for, viewer, two_claims):
    size, investment = two_claims
    client = api_client_for(viewer)

    on_investment = client.get(VERDICTS, {"claim": str(investment.public_id)}).json()["results"]
    by_otto = client.get(VERDICTS, {"reviewer": "otto"}).json()["results"]
    by_nobody = client.get(VERDICTS, {"reviewer": "nobody"})
    unknown_claim = client.get(VERDICTS, {"claim": "not-an-id"})

    assert [(v["reviewer"], v["verdict"]) for v in on_investment] == [
        ("otto", "dispute"),
        ("rita", "agree"),
    ]
    assert [(v["claim"], v["note"]) for v in by_otto] == [(str(investment.public_id), "口径不同")]
    # A name no account has selects nothing; it is not an error.
    assert by_nobody.status_code == 200 and by_nobody.json()["results"] == []
    assert unknown_claim.status_code == 400 and "claim" in unknown_claim.json()


def test_a_review_token_records_a_verdict_through_the_service(api_client_for, reviewer, two_claims):
    size, _investment = two_claims  # rita already agrees with it
    client = api_client_for(reviewer, scope="review")

    response = client.post(
        VERDICTS,
        {"claim": str(size.public_id), "verdict": "needs_context", "note": "协会数字"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json() | {"id": 0, "at": ""} == {
        "id": 0,
        "claim": str(size.public_id),
        "crossref": None,
        "reviewer": "rita",
        "verdict": "needs_context",
        "note": "协会数字",
        "at": "",
    }
    record = client.get(f"{CLAIMS}{size.public_id}/").json()
    # The earlier verdict stays as history; the latest one counts in the tally.
    assert [(a["reviewer"], a["verdict"]) for a in record["annotations"]] == [
        ("rita", "agree"),
        ("rita", "needs_context"),
    ]
    assert record["status"] == "needs_context"
    assert record["tally"] == {"agree": 0, "dispute": 0, "needs_context": 1}


def test_a_review_token_records_a_verdict_on_a_cross_reference(
    api_client_for, reviewer, two_claims
):
    crossref_id = api_client_for(reviewer).get(CROSSREFS).json()["results"][0]["id"]

    response = api_client_for(reviewer, scope="review").post(
        VERDICTS, {"crossref": crossref_id, "verdict": "agree"}, format="json"
    )

    assert response.status_code == 201
    assert Verdict.objects.get(crossref_id=crossref_id).crossref.review_status == "agreed"


def test_a_dispute_without_a_note_is_refused_with_the_models_message(
    api_client_for, reviewer, two_claims
):
    size, _investment = two_claims

    response = api_client_for(reviewer, scope="review").post(
        VERDICTS, {"claim": str(size.public_id), "verdict": "dispute", "note": "  "}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"note": ["Say why you dispute it."]}
    assert not Verdict.objects.filter(verdict="dispute", claim=size).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"verdict": "agree"}, "non_field_errors"),
        ({"claim": "8d1c5a3e-6f0b-4c52-9a57-3e2f1b7c9d40", "verdict": "agree"}, "claim"),
        ({"claim": "CLAIM", "verdict": "love"}, "verdict"),
    ],
)
def test_a_verdict_without_a_known_target_or_kind_is_refused(
    api_client_for, reviewer, two_claims, body, field
):
    size, _investment = two_claims
    body = {k: str(size.public_id) if v == "CLAIM" else v for k, v in body.items()}
    count = Verdict.objects.count()

    response = api_client_for(reviewer, scope="review").post(VERDICTS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Verdict.objects.count() == count


def test_a_body_nested_past_the_decoders_depth_is_refused_and_records_nothing(
    api_client_for, reviewer, two_claims
):
    count = Verdict.objects.count()

    response = api_client_for(reviewer, scope="review").post(
        VERDICTS, b"[" * 100_000, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert Verdict.objects.count() == count


def test_a_read_token_cannot_record_a_verdict_even_for_a_reviewer(
    api_client_for, reviewer, two_claims
):
    size, _investment = two_claims

    response = api_client_for(reviewer, scope="read").post(
        VERDICTS, {"claim": str(size.public_id), "verdict": "agree"}, format="json"
    )

    assert response.status_code == 403
    assert "This token may only read" in response.json()["detail"]
    assert size.verdicts.count() == 1


def test_a_review_token_of_a_user_no_longer_a_reviewer_cannot_record_a_verdict(
    api_client_for, reviewer, two_claims
):
    size, _investment = two_claims
    client = api_client_for(reviewer, scope="review")
    reviewer.groups.set([Group.objects.get(name="Viewer")])

    response = client.post(VERDICTS, {"claim": str(size.public_id), "verdict": "agree"})

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Recording verdicts needs the Reviewer role or one above it."
    )


def test_a_signed_in_reviewer_records_a_verdict_only_with_the_csrf_token(reviewer, two_claims):
    size, _investment = two_claims
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    body = {"claim": str(size.public_id), "verdict": "agree"}

    without = client.post(VERDICTS, body, format="json")
    page = client.get(VERDICTS, HTTP_ACCEPT="text/html")
    with_token = client.post(
        VERDICTS, body, format="json", HTTP_X_CSRFTOKEN=page.cookies["csrftoken"].value
    )

    assert without.status_code == 403 and "CSRF" in without.json()["detail"]
    assert with_token.status_code == 201


# The changes feed


@pytest.fixture
def changed_claims(many_claims):
    """Return the claims, five of them changed in the same instant, the rest later, in order."""
    start = datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.UTC)
    for number, claim in enumerate(many_claims):
        moment = start + datetime.timedelta(seconds=max(0, number - 4))
        Claim.objects.filter(pk=claim.pk).update(updated_at=moment)
    return many_claims


def read_feed(client, since=""):
    """Read the feed to its end; return the records and the last cursor."""
    records = []
    while True:
        response = client.get(CHANGES, {"since": since, "limit": 3})
        assert response.status_code == 200, response.content
        body = response.json()
        records += body["results"]
        since = body["cursor"]
        if not body["more"]:
            return records, since


def test_the_feed_returns_every_claim_exactly_once_across_pages(
    api_client_for, viewer, changed_claims
):
    records, _cursor = read_feed(api_client_for(viewer))

    assert [r["id"] for r in records] == [str(c.public_id) for c in changed_claims]
    assert records[0]["updated_at"] == records[4]["updated_at"] == "2025-03-01T08:00:00Z"
    assert "annotations" in records[0] and "cross_references" in records[0]


def test_the_feed_at_its_end_returns_nothing_and_keeps_its_cursor(
    api_client_for, viewer, changed_claims
):
    client = api_client_for(viewer)
    _records, cursor = read_feed(client)

    response = client.get(CHANGES, {"since": cursor})

    assert response.json() == {"results": [], "cursor": cursor, "more": False}


def test_a_claim_edited_after_it_was_read_comes_again_after_the_cursor(
    api_client_for, viewer, editor, changed_claims
):
    client = api_client_for(viewer)
    _records, cursor = read_feed(client)
    edited = changed_claims[2]
    claim_update(
        claim=edited,
        user=editor,
        expected_version=edited.version,
        summary="Edited after the feed was read.",
    )

    response = client.get(CHANGES, {"since": cursor})

    assert [(r["id"], r["summary"]) for r in response.json()["results"]] == [
        (str(edited.public_id), "Edited after the feed was read.")
    ]
    assert client.get(CHANGES, {"since": response.json()["cursor"]}).json()["results"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_each_page_of_the_feed_is_read_from_the_index_of_its_order(
    api_client_for, viewer, changed_claims, plan_by_index
):
    client = api_client_for(viewer)
    cursor = client.get(CHANGES, {"limit": 3}).json()["cursor"]

    with CaptureQueriesContext(connection) as queries:
        client.get(CHANGES, {"since": cursor, "limit": 3})

    (page,) = [query["sql"] for query in queries if "cursor_key_0" in query["sql"]]
    plan = plan_by_index(page)
    # The rows after the cursor are found in the index, not filtered out of all of them.
    assert "claim_changed_order_idx" in plan and "Index Cond" in plan, plan


@pytest.mark.parametrize(
    "since, first",
    [("2025-03-01T08:00:03Z", 7), ("2025-03-01T16:00:03+08:00", 7), ("2025-03-01T08:00:03", 7)],
)
def test_the_feed_starts_at_a_time_with_the_claims_changed_then_or_later(
    api_client_for, viewer, changed_claims, since, first
):
    records, _cursor = read_feed(api_client_for(viewer), since)

    assert [r["id"] for r in records] == [str(c.public_id) for c in changed_claims[first:]]


@pytest.mark.parametrize("since", ["yesterday", "WyJ4Il0", "2025-02-30T00:00:00Z"])
def test_the_feed_refuses_what_is_neither_a_cursor_nor_a_time(
    api_client_for, viewer, changed_claims, since
):
    response = api_client_for(viewer).get(CHANGES, {"since": since})

    assert response.status_code == 400
    assert "since" in response.json()


# Retracted records


def test_retracted_records_leave_the_api_lists(api_client_for, viewer, editor, make_claim):
    kept, mistake = make_claim(), make_claim()
    crossref_create(user=editor, from_claim=kept, to_claim=mistake, relation="supports", note="n")
    verdict_create(claim=mistake, reviewer=editor, verdict=Verdict.Kind.AGREE)
    claim_retract(claim=mistake, user=editor, reason="typed in error")
    client = api_client_for(viewer)

    assert ids(client.get(CLAIMS)) == [str(kept.public_id)]
    assert client.get(f"{CLAIMS}{mistake.public_id}/").status_code == 404
    assert ids(client.get(CROSSREFS)) == []
    assert ids(client.get(VERDICTS)) == []


def test_the_feed_reports_a_retraction_so_a_synced_copy_can_remove_it(
    api_client_for, viewer, editor, make_claim
):
    kept, mistake = make_claim(), make_claim()
    client = api_client_for(viewer)
    first, cursor = read_feed(client)
    assert [(r["id"], r["retracted"]) for r in first] == [
        (str(kept.public_id), False),
        (str(mistake.public_id), False),
    ]

    claim_retract(claim=mistake, user=editor, reason="typed in error")
    after_retraction, cursor = read_feed(client, cursor)
    claim_restore(claim=mistake, user=editor)
    after_restore, _cursor = read_feed(client, cursor)

    assert after_retraction == [
        {
            "id": str(mistake.public_id),
            "retracted": True,
            "updated_at": after_retraction[0]["updated_at"],
        }
    ]
    assert [(r["id"], r["retracted"], "quote" in r) for r in after_restore] == [
        (str(mistake.public_id), False, True)
    ]


def test_the_feed_returns_both_claims_of_a_retracted_cross_reference_without_it(
    api_client_for, viewer, editor, make_claim
):
    from claims.services import crossref_retract

    a, b = make_claim(), make_claim()
    crossref = crossref_create(user=editor, from_claim=a, to_claim=b, relation="supports", note="n")
    client = api_client_for(viewer)
    _records, cursor = read_feed(client)

    crossref_retract(crossref=crossref, user=editor, reason="wrong pair")
    records, _cursor = read_feed(client, cursor)

    assert sorted((r["id"], r["cross_references"]) for r in records) == sorted(
        [(str(a.public_id), []), (str(b.public_id), [])]
    )


def test_claims_come_in_the_order_recorded_and_a_claim_added_midway_comes_last(
    api_client_for, viewer, many_claims, make_claim
):
    client = api_client_for(viewer)
    first = client.get(CLAIMS, {"limit": 5})
    added = make_claim(source=many_claims[0].source)

    rest = walk(client, first.json()["next"])

    listed = ids(first) + [r["id"] for page in rest for r in page]
    assert listed == [str(c.public_id) for c in [*many_claims, added]]


def test_verdicts_given_at_the_same_instant_are_each_paged_once_newest_first(
    api_client_for, viewer, reviewer, make_claim
):
    claims = [make_claim() for _ in range(5)]
    for claim in claims:
        verdict_create(claim=claim, reviewer=reviewer, verdict="agree")
    # Imported verdicts keep their times: several can share one.
    same = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)
    Verdict.objects.filter(claim__in=claims[:3]).update(created_at=same)
    client = api_client_for(viewer)

    pages = walk(client, VERDICTS, {"limit": 2})

    listed = [record["id"] for page in pages for record in page]
    expected = list(Verdict.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
    assert [len(page) for page in pages] == [2, 2, 1]
    assert listed == expected
