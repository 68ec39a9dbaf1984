import datetime
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Verdict
from claims.services import crossref_create, verdict_create
from claims.tests.test_exports import assert_valid, assert_valid_lines

EXPORT = reverse("claims:claim_export")
CHANGELIST = reverse("admin:claims_claim_changelist")


def download(response):
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def reviewed(make_claim, reviewer):
    def make(verdict=Verdict.Kind.AGREE, note="", **overrides):
        claim = make_claim(**overrides)
        verdict_create(claim=claim, reviewer=reviewer, verdict=verdict, note=note)
        return claim

    return make


def test_export_downloads_exactly_the_claims_the_filters_select(
    reviewer_client, reviewed, make_claim, make_source
):
    hant = make_source(script="hant")
    wanted = reviewed(source=hant, verdict="dispute", note="數字不對")
    reviewed(source=hant)  # agreed
    reviewed(verdict="dispute", note="數字不對")  # another script
    make_claim(source=hant)  # unreviewed

    response = reviewer_client.get(
        EXPORT, {"status": "disputed", "script": "hant", "format": "json"}
    )

    assert response.status_code == 200
    document = json.loads(download(response))
    assert [c["id"] for c in document["claims"]] == [str(wanted.public_id)]
    assert document["filters"] == {"status": "disputed", "script": "hant"}
    assert_valid(document)


def test_export_of_filters_no_source_meets_downloads_whole_and_empty(reviewer_client, reviewed):
    reviewed()  # from a source in Simplified script, not in Hong Kong

    response = reviewer_client.get(EXPORT, {"region": "hk", "script": "hans", "format": "jsonl"})

    assert response.status_code == 200
    lines = assert_valid_lines(download(response))
    assert [line["type"] for line in lines] == ["header", "end"]


def test_export_is_a_streamed_attachment_in_utf8(reviewer_client, reviewed):
    reviewed()

    response = reviewer_client.get(EXPORT)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="hecha-claims-')
    assert response["Content-Disposition"].endswith('.json"')
    body = download(response)
    assert "中国人工智能核心产业规模为1751亿元" in body and "\\u" not in body


def test_export_as_json_lines_gives_one_record_a_line(reviewer_client, reviewed):
    reviewed()

    response = reviewer_client.get(EXPORT, {"format": "jsonl", "sort": "value"})

    assert response["Content-Disposition"].endswith('.jsonl"')
    lines = assert_valid_lines(download(response))
    assert [line["type"] for line in lines] == ["header", "source", "claim", "end"]
    assert lines[0]["filters"] == {}  # sort changes nothing in an export


def test_export_with_invalid_filters_is_a_400_with_the_reasons_not_a_file(
    reviewer_client, reviewed
):
    reviewed()

    response = reviewer_client.get(
        EXPORT, {"status": "maybe", "value_min": "lots", "format": "json"}
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"status", "value_min"}
    assert "maybe" in errors["status"][0]


def test_export_in_an_unknown_format_is_a_400(reviewer_client, reviewed):
    reviewed()

    response = reviewer_client.get(EXPORT, {"format": "xml"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"format"}


def test_export_needs_a_signed_in_user(client, reviewed):
    reviewed()

    response = client.get(EXPORT)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_export_query_count_does_not_grow_with_the_number_of_claims(
    reviewer_client, reviewed, make_source, editor
):
    source = make_source()

    def queries_for(count):
        claims = list(Claim.objects.all())
        while len(claims) < count:
            claims.append(
                reviewed(source=source, quote="1751亿元" if len(claims) % 2 else "860亿美元")
            )
        if len(claims) > 1:
            crossref_create(
                user=editor,
                from_claim=claims[-1],
                to_claim=claims[-2],
                relation="related",
                note="相關",
            )
        with CaptureQueriesContext(connection) as captured:
            body = download(reviewer_client.get(EXPORT))
        assert len(json.loads(body)["claims"]) == count
        return len(captured)

    assert queries_for(5) == queries_for(30)


# Admin action


def test_admin_action_exports_the_selected_reviewed_claims_as_json(
    staff_client, reviewed, make_claim
):
    chosen = reviewed()
    reviewed()  # reviewed but not selected
    unreviewed = make_claim()

    response = staff_client.post(
        CHANGELIST, {"action": "export_as_json", "_selected_action": [chosen.pk, unreviewed.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(download(response))
    assert [c["id"] for c in document["claims"]] == [str(chosen.public_id)]
    assert document["filters"] == {"admin_selection": "2"}
    assert_valid(document)


def test_admin_action_on_unreviewed_claims_says_so_instead_of_an_empty_file(
    staff_client, make_claim
):
    claim = make_claim()

    response = staff_client.post(
        CHANGELIST, {"action": "export_as_json", "_selected_action": [claim.pk]}, follow=True
    )

    assert "None of the selected claims has a verdict yet" in response.content.decode()


def test_claimreview_download_leaves_out_unpublishable_claims_and_counts_them(
    reviewer_client, reviewed, make_source, settings
):
    import datetime

    settings.HECHA_PUBLIC_BASE_URL = "https://hecha.example.org"
    ready = reviewed(
        source=make_source(url="https://example.com/ai", published_on=datetime.date(2024, 5, 1)),
        verdict="dispute",
        note="口径不同",
    )
    reviewed(source=make_source(url=""))  # no URL, no date

    response = reviewer_client.get(EXPORT, {"format": "claimreview", "status": ""})

    assert response["Content-Type"].startswith("application/ld+json")
    assert response["X-Hecha-Not-Publishable"] == "1"
    assert response["Content-Disposition"].endswith('.jsonld"')
    (review,) = json.loads(download(response))["@graph"]
    assert review["identifier"] == str(ready.public_id)
    assert review["url"] == f"https://hecha.example.org/claims/{ready.pk}/"
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["reviewRating"]["ratingExplanation"] == "口径不同"


def test_claimreview_download_without_the_setting_uses_the_address_asked_at(
    reviewer_client, reviewed, make_source, settings
):
    import datetime

    settings.HECHA_PUBLIC_BASE_URL = ""
    claim = reviewed(
        source=make_source(url="https://example.com/ai", published_on=datetime.date(2024, 5, 1))
    )

    response = reviewer_client.get(EXPORT, {"format": "claimreview"})

    (review,) = json.loads(download(response))["@graph"]
    assert review["url"] == f"http://testserver/claims/{claim.pk}/"


def test_claim_list_and_export_page_offer_claimreview(reviewer_client, reviewed, make_source):
    reviewed(source=make_source(key="undated", title="缺日期的報道", url="https://example.com/a"))

    listing = reviewer_client.get(reverse("claims:claim_list"), {"status": "agreed"}).content
    overview = reviewer_client.get(reverse("claims:export_overview")).content.decode()

    assert b"status=agreed&amp;format=claimreview" in listing
    assert f"{EXPORT}?format=claimreview" in overview
    assert "1 reviewed claim is not publishable" in overview
    assert "缺日期的報道</a> lacks its publication date" in overview


def test_the_export_page_says_which_cross_references_wait_for_a_verdict(reviewer_client, db):
    reviewer_client.cookies["django_language"] = "zh-hant"

    page = reviewer_client.get(reverse("claims:export_overview")).content.decode()

    assert "交叉參照只隨其兩端的主張一起匯出" in page


def test_the_export_page_counts_as_far_as_the_lists_count(
    reviewer_client, reviewed, make_source, make_claim, monkeypatch
):
    make_claim()  # unreviewed: neither exported nor counted
    for number in range(2):
        reviewed(
            source=make_source(
                key=f"dated-{number}",
                url=f"https://example.com/{number}",
                published_on=datetime.date(2025, 3, 1),
            )
        )
    undated = make_source(key="undated", title="缺日期的報道", url="https://example.com/u")
    for _ in range(2):
        reviewed(source=undated)
    # Counted, not estimated: the planner's estimate comes from whatever statistics the
    # test database was last analysed with, after the rows earlier tests committed.
    monkeypatch.setattr("core.pagination.selection_estimate", lambda queryset: None)
    exact = reviewer_client.get(reverse("claims:export_overview")).content.decode()
    monkeypatch.setattr("core.pagination.COUNT_BOUND", 3)

    bounded = reviewer_client.get(reverse("claims:export_overview")).content.decode()

    assert "4 claims have been reviewed." in exact
    assert "2 reviewed claims are not publishable" in exact
    # Past the bound the page says where counting stopped, not a wrong number.
    assert "more than 3 claims have been reviewed." in bounded
    assert "2 reviewed claims are not publishable" in bounded


@pytest.mark.parametrize(
    "format, method",
    [("json", "json_bytes"), ("jsonl", "jsonl_bytes"), ("claimreview", "claimreview_chunks")],
)
def test_export_failing_midway_is_logged_and_cut_short_never_a_complete_looking_file(
    reviewer_client, reviewed, make_source, monkeypatch, caplog, format, method
):
    from itertools import islice

    from django.db import OperationalError

    from claims.exports import ClaimExport

    for number in range(3):
        source = make_source(
            url=f"https://example.com/{number}", published_on=datetime.date(2024, 5, 1)
        )
        reviewed(source=source)
    whole = getattr(ClaimExport, method)

    def database_lost_midway(self, *args, **kwargs):
        yield from islice(whole(self, *args, **kwargs), 2)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ClaimExport, method, database_lost_midway)
    response = reviewer_client.get(EXPORT, {"format": format})
    received = []

    # The server sees the error and drops the connection instead of ending the response.
    with pytest.raises(OperationalError):
        for chunk in response.streaming_content:
            received.append(chunk)

    # Nothing that passes for a whole export reaches the client (the export is written to
    # a file before it is sent, so usually nothing at all).
    body = b"".join(received).decode("utf-8")
    if format == "jsonl":
        assert not body or json.loads(body.splitlines()[-1])["type"] != "end"
    else:
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
    (record,) = [r for r in caplog.records if r.name == "claims.views.export"]
    assert record.levelname == "ERROR"
    assert "cut short" in record.getMessage() and "rita" in record.getMessage()


@pytest.mark.django_db(transaction=True)
def test_export_has_finished_reading_when_its_first_bytes_are_sent(reviewer_client, reviewed):
    for _ in range(3):
        reviewed()

    response = reviewer_client.get(EXPORT, {"format": "jsonl"})
    content = iter(response.streaming_content)
    first = next(content)

    # No transaction left open while the client downloads at its own pace.
    assert not connection.in_atomic_block
    lines = (first + b"".join(content)).decode("utf-8").splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["header"] + ["source"] * 3 + [
        "claim"
    ] * 3 + ["end"]


def test_claimreview_reports_the_unpublishable_claims_of_the_selection_only(
    reviewer_client, reviewed, make_claim, make_source
):
    undated = make_source(key="undated", url="https://example.com/u")
    reviewed(source=undated, verdict="dispute", note="數字不對")  # selected
    reviewed(source=undated)  # agreed: not selected
    make_claim(source=undated)  # unreviewed: never exported

    response = reviewer_client.get(EXPORT, {"format": "claimreview", "status": "disputed"})

    assert response["X-Hecha-Not-Publishable"] == "1"


def test_the_export_page_estimates_unpublishable_claims_far_past_the_bound(
    reviewer_client, reviewed, make_source, monkeypatch
):
    reviewed(source=make_source(key="undated", url="https://example.com/u"))
    # As the lists: a selection the planner puts far past the bound is not counted.
    monkeypatch.setattr("core.pagination.selection_estimate", lambda queryset: 81_000)

    overview = reviewer_client.get(reverse("claims:export_overview")).content.decode()

    assert "about 81,000 reviewed claims are not publishable" in overview
    assert "… and about 81,000 in all." in overview
