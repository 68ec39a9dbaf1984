import datetime
import errno
import json
import os
import pathlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from claims import exports
from claims.exports import SCHEMA_PATH, ClaimExport, claims_export
from claims.filters import ClaimFilterSet
from claims.models import Claim, Verdict
from claims.services import crossref_create, source_update, verdict_create

AGREE, DISPUTE, NEEDS_CONTEXT = (
    Verdict.Kind.AGREE,
    Verdict.Kind.DISPUTE,
    Verdict.Kind.NEEDS_CONTEXT,
)
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
LINE_SCHEMA = {"$ref": "#/$defs/jsonl_line", "$defs": SCHEMA["$defs"]}


def assert_valid(document):
    """Fail with every schema error of a JSON document."""
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in Draft202012Validator(SCHEMA).iter_errors(document)
    ]
    assert errors == []


def assert_valid_lines(text):
    validator = Draft202012Validator(LINE_SCHEMA)
    lines = [json.loads(line) for line in text.splitlines()]
    for line in lines:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(line)]
        assert errors == []
    return lines


def export_json(queryset=None, **kwargs):
    """Return the streamed JSON document as text, after checking it against the schema."""
    queryset = Claim.objects.reviewed() if queryset is None else queryset
    text = "".join(ClaimExport(queryset, **kwargs).json_chunks())
    assert_valid(json.loads(text))
    return text


def run_export(*args):
    out, err = StringIO(), StringIO()
    call_command("export_claims", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def reviewed(make_claim, reviewer):
    """Return a factory of claims that carry one verdict each."""

    def make(verdict=AGREE, note="", **overrides):
        claim = make_claim(**overrides)
        verdict_create(claim=claim, reviewer=reviewer, verdict=verdict, note=note)
        return claim

    return make


def test_export_lists_only_reviewed_claims(make_claim, reviewed):
    kept = reviewed()
    make_claim()  # unreviewed: must not appear

    document = claims_export(Claim.objects.reviewed())

    assert [c["id"] for c in document["claims"]] == [str(kept.public_id)]
    assert_valid(document)


def test_export_writes_chinese_text_as_utf8_text_not_escapes(reviewed):
    reviewed(summary="核心產業 🚀")

    text = export_json()

    assert "中国人工智能核心产业规模为1751亿元" in text
    assert "核心產業 🚀" in text
    assert "\\u" not in text


def test_export_writes_decimals_as_plain_strings_without_exponent_or_trailing_zeros(reviewed):
    reviewed(
        quote="1751亿元",
        value=Decimal("175100000000.0000"),
        value_lower=Decimal("0.0000000001"),
        value_upper=Decimal("999999999999999000"),
    )
    reviewed(
        quote="11.9%",
        figure_text="11.9%",
        value=Decimal("11.90"),
        unit="percent",
        period_start=None,
        period_end=None,
    )

    figures = [c["figure"] for c in claims_export(Claim.objects.reviewed())["claims"]]

    assert [(f["value"], f["lower"], f["upper"]) for f in figures] == [
        ("175100000000", "0.0000000001", "999999999999999000"),
        ("11.9", None, None),
    ]


def test_export_gives_a_claim_without_figure_a_null_figure_and_empty_optional_fields(reviewed):
    reviewed(
        quote="中国人工智能",
        figure_text="",
        value=None,
        unit="",
        period_start=None,
        period_end=None,
        scope="",
    )

    (claim,) = claims_export(Claim.objects.reviewed())["claims"]

    assert claim["figure"] is None
    assert (claim["summary"], claim["attributed_to"], claim["topics"]) == ("", "", [])


def test_export_carries_each_source_once_with_its_full_text_and_claims_refer_to_it(
    reviewed, make_source
):
    source = make_source(
        key="xinhua-2024",
        url="https://example.com/a",
        author="記者",
        published_on=datetime.date(2024, 5, 1),
    )
    reviewed(source=source, quote="1751亿元")
    reviewed(source=source, quote="860亿美元")

    document = claims_export(Claim.objects.reviewed())

    assert document["sources"] == [
        {
            "key": "xinhua-2024",
            "title": source.title,
            "outlet": "示例日报",
            "author": "記者",
            "published": "2024-05-01",
            "url": "https://example.com/a",
            "script": "hans",
            "region": "cn",
            "text": source.text,
        }
    ]
    assert [c["source"] for c in document["claims"]] == ["xinhua-2024", "xinhua-2024"]


def test_export_carries_the_quote_anchor_topics_status_and_tally(
    make_claim, reviewer, other_reviewer
):
    claim = make_claim(
        quote="1751亿元", topics=["industry", "investment"], attributed_to="深圳市人工智能行业协会"
    )
    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE)
    verdict_create(claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="口徑不同")

    (record,) = claims_export(Claim.objects.reviewed())["claims"]

    text = claim.source.text
    assert (
        record["quote"] == "1751亿元" == text[record["anchor"]["start"] : record["anchor"]["end"]]
    )
    assert (
        record["anchor"]["prefix"] == claim.quote_prefix
        and record["anchor"]["suffix"] == claim.quote_suffix
    )
    assert record["anchored"] is True
    assert record["topics"] == ["industry", "investment"]
    assert record["attributed_to"] == "深圳市人工智能行业协会"
    assert record["status"] == "disputed"
    assert record["tally"] == {"agree": 1, "dispute": 1, "needs_context": 0}


def test_export_lists_every_verdict_in_time_order_with_reviewer_note_and_time(
    make_claim, reviewer, other_reviewer
):
    claim = make_claim()
    at = datetime.datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=datetime.UTC)
    verdict_create(
        claim=claim, reviewer=reviewer, verdict=AGREE, created_at=at + datetime.timedelta(hours=1)
    )
    verdict_create(
        claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="數字有誤", created_at=at
    )
    verdict_create(
        claim=claim, reviewer=reviewer, verdict=NEEDS_CONTEXT, note="要看口徑", created_at=at
    )

    (record,) = claims_export(Claim.objects.reviewed())["claims"]

    assert record["annotations"] == [
        {
            "reviewer": "otto",
            "verdict": "dispute",
            "note": "數字有誤",
            "at": "2025-03-01T08:00:00.123456Z",
        },
        {
            "reviewer": "rita",
            "verdict": "needs_context",
            "note": "要看口徑",
            "at": "2025-03-01T08:00:00.123456Z",
        },
        {"reviewer": "rita", "verdict": "agree", "note": "", "at": "2025-03-01T09:00:00.123456Z"},
    ]


def test_export_lists_a_cross_reference_under_both_claims_with_its_verdicts(
    reviewed, editor, reviewer, make_source
):
    source = make_source()
    first, second = (
        reviewed(source=source, quote="1751亿元"),
        reviewed(source=source, quote="860亿美元"),
    )
    crossref = crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="different_scope", note="口徑不同"
    )
    verdict_create(crossref=crossref, reviewer=reviewer, verdict=AGREE)

    document = claims_export(Claim.objects.reviewed())

    by_id = {c["id"]: c["cross_references"] for c in document["claims"]}
    common = {
        "relation": "different_scope",
        "note": "口徑不同",
        "status": "agreed",
        "tally": {"agree": 1, "dispute": 0, "needs_context": 0},
    }
    (outgoing,) = by_id[str(first.public_id)]
    (incoming,) = by_id[str(second.public_id)]
    assert outgoing == {
        **outgoing,
        **common,
        "direction": "outgoing",
        "claim": str(second.public_id),
    }
    assert incoming == {
        **incoming,
        **common,
        "direction": "incoming",
        "claim": str(first.public_id),
    }
    assert outgoing["annotations"][0]["reviewer"] == "rita"
    assert document["counts"] == {
        "sources": 1,
        "claims": 2,
        "annotations": 3,
        "cross_references": 1,
    }


def test_export_leaves_out_cross_references_to_claims_it_does_not_carry(
    reviewed, make_claim, editor
):
    kept = reviewed(quote="1751亿元")
    unreviewed = make_claim(quote="860亿美元")
    crossref_create(
        user=editor, from_claim=kept, to_claim=unreviewed, relation="related", note="同一報告"
    )

    (record,) = claims_export(Claim.objects.reviewed())["claims"]

    assert record["cross_references"] == []


@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_export_leaves_out_retracted_cross_references_and_those_of_a_retracted_claim(
    reviewed, editor, reviewer, format
):
    from claims.services import claim_retract, crossref_retract

    first, second, third, gone = (reviewed() for _ in range(4))
    crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="supports", note="同一數字"
    )
    withdrawn = crossref_create(
        user=editor, from_claim=first, to_claim=third, relation="related", note="同一報告"
    )
    crossref_create(
        user=editor, from_claim=gone, to_claim=first, relation="contradicts", note="數字不同"
    )
    verdict_create(crossref=withdrawn, reviewer=reviewer, verdict=AGREE)
    crossref_retract(crossref=withdrawn, user=editor, reason="Linked by mistake.")
    claim_retract(claim=gone, user=editor, reason="Typed by mistake.")

    text = exported(Claim.objects.reviewed(), format)

    if format == "json":
        document = json.loads(text)
        claims, counts = document["claims"], document["counts"]
    else:
        lines = [json.loads(line) for line in text.splitlines()]
        claims = [line for line in lines if line["type"] == "claim"]
        counts = lines[-1]["counts"]
    listed = {claim["id"]: [ref["claim"] for ref in claim["cross_references"]] for claim in claims}
    assert listed == {
        str(first.public_id): [str(second.public_id)],
        str(second.public_id): [str(first.public_id)],
        str(third.public_id): [],
    }
    assert counts["cross_references"] == 1
    assert counts["annotations"] == 3  # the claims' own; not the retracted reference's


def test_export_orders_sources_and_claims_by_key_bytes_then_position(reviewed, make_source):
    # PostgreSQL's locale would sort "a-2" after "a_1" and "a1"; the export must not depend on it.
    keys = ["a_1", "a-2", "a1", "B"]
    for key in keys:
        source = make_source(key=key)
        reviewed(source=source, quote="860亿美元")
        reviewed(source=source, quote="1751亿元")

    document = claims_export(Claim.objects.reviewed())

    assert [s["key"] for s in document["sources"]] == sorted(keys) == ["B", "a-2", "a1", "a_1"]
    positions = [(c["source"], c["anchor"]["start"]) for c in document["claims"]]
    assert positions == sorted(positions)


def test_export_keeps_an_unanchored_claim_with_its_last_anchor(reviewed, editor):
    claim = reviewed(quote="1751亿元")
    source = claim.source
    source_update(
        source=source,
        user=editor,
        expected_version=source.version,
        text=source.text.replace("1751亿元", "一千多亿元"),
    )

    (record,) = claims_export(Claim.objects.reviewed())["claims"]

    assert record["anchored"] is False
    assert (record["quote"], record["anchor"]["start"]) == ("1751亿元", claim.quote_start)


def test_export_in_small_chunks_gives_the_same_document(reviewed, make_source, editor, monkeypatch):
    claims = [
        reviewed(source=make_source(), quote=q) for q in ("1751亿元", "860亿美元") for _ in range(4)
    ]
    for a, b in zip(claims, claims[1:], strict=False):
        crossref_create(user=editor, from_claim=a, to_claim=b, relation="related", note="相關")
    whole = export_json()

    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    chunked = export_json()

    assert chunked.split("\n", 3)[3] == whole.split("\n", 3)[3]  # all but the header lines


def test_export_queries_grow_with_chunks_not_with_claims(reviewed, make_source, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    source = make_source()

    def queries_for(count):
        while Claim.objects.count() < count:
            reviewed(source=source, quote="1751亿元")
        with CaptureQueriesContext(connection) as captured:
            export_json()
        return len(captured)

    # 5 claims are one chunk and 10 are two: the second chunk costs what the first did.
    one, two, three = queries_for(5), queries_for(10), queries_for(15)
    assert two - one == three - two
    assert two - one <= 7


def test_export_json_lines_has_a_header_the_records_and_an_end_line(reviewed):
    reviewed()

    text = "".join(
        ClaimExport(Claim.objects.reviewed(), filters={"status": "agreed"}).jsonl_lines()
    )

    lines = assert_valid_lines(text)
    assert [line["type"] for line in lines] == ["header", "source", "claim", "end"]
    assert lines[0]["schema_version"] == "1.0" and lines[0]["filters"] == {"status": "agreed"}
    assert lines[-1]["counts"] == {
        "sources": 1,
        "claims": 1,
        "annotations": 1,
        "cross_references": 0,
    }
    assert "\\u" not in text


def test_export_in_each_format_is_the_one_its_writer_gives(reviewed, make_source):
    source = make_source(url="https://example.com/ai", published_on=datetime.date(2024, 5, 1))
    reviewed(source=source)
    export = ClaimExport(Claim.objects.reviewed())

    json_document = b"".join(export.chunks_as("json"))
    lines = b"".join(export.chunks_as("jsonl")).decode("utf-8")
    reviews = "".join(
        export.chunks_as("claimreview", base_url="https://hecha.example", publisher="Desk")
    )

    assert json.loads(json_document)["counts"]["claims"] == 1
    assert [line["type"] for line in assert_valid_lines(lines)][-1] == "end"
    (review,) = json.loads(reviews)["@graph"]
    assert review["url"].startswith("https://hecha.example/")
    with pytest.raises(ValueError, match="unknown export format 'csv'"):
        export.chunks_as("csv")


# The command


def test_export_command_selects_with_the_claim_list_filters(
    reviewed, make_source, make_claim, other_reviewer
):
    hant = make_source(key="hant-source", script="hant", title="臺灣報導")
    wanted = reviewed(
        source=hant,
        quote="1751亿元",
        topics=["industry"],
        attributed_to="CSET",
        verdict=DISPUTE,
        note="不對",
    )
    reviewed(source=hant, quote="860亿美元", topics=["industry"], attributed_to="CSET")  # agreed
    reviewed(
        quote="1751亿元", topics=["industry"], attributed_to="CSET", verdict=DISPUTE, note="不對"
    )  # hans

    document = json.loads(
        run_export(
            "--status",
            "disputed",
            "--topic",
            "industry",
            "--source",
            "hant-source",
            "--script",
            "hant",
            "--cited",
            "CSET",
            "--search",
            "臺灣",
            "--changed-since",
            "2000-01-01T00:00:00Z",
        )
    )

    assert [c["id"] for c in document["claims"]] == [str(wanted.public_id)]
    assert document["filters"] == {
        "q": "臺灣",
        "status": "disputed",
        "topic": "industry",
        "source": "hant-source",
        "script": "hant",
        "cited": "CSET",
        "changed_since": "2000-01-01T00:00:00Z",
    }
    assert_valid(document)


def test_export_command_changed_since_leaves_out_claims_changed_before(reviewed):
    reviewed()
    tomorrow = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )

    document = json.loads(run_export("--changed-since", tomorrow))

    assert document["claims"] == []


def test_export_command_takes_other_list_filters_by_name(reviewed):
    reviewed(quote="1751亿元")
    reviewed(
        quote="860亿美元", value=None, figure_text="", unit="", period_start=None, period_end=None
    )

    document = json.loads(run_export("--filter", "has_figure=false"))

    assert [c["quote"] for c in document["claims"]] == ["860亿美元"]


def test_export_command_refuses_invalid_filters_and_names_them(reviewed):
    reviewed()

    with pytest.raises(CommandError) as caught:
        run_export("--status", "maybe", "--changed-since", "yesterday")

    message = str(caught.value)
    assert "nothing exported" in message
    assert "status:" in message and "maybe" in message and "changed_since:" in message


def test_export_command_refuses_an_unknown_filter(reviewed):
    with pytest.raises(CommandError, match="Unknown filter.*colour"):
        run_export("--filter", "colour=red")


def test_export_command_writes_json_lines_to_a_file(reviewed, tmp_path):
    reviewed()
    target = tmp_path / "claims.jsonl"

    out = run_export("--format", "jsonl", "-o", str(target))

    lines = assert_valid_lines(target.read_text(encoding="utf-8"))
    assert [line["type"] for line in lines] == ["header", "source", "claim", "end"]
    assert "Exported 1 claim(s) from 1 source(s)" in out
    assert [path.name for path in tmp_path.iterdir()] == ["claims.jsonl"]


def fill_the_disk_after(monkeypatch, limit):
    """Make files opened for writing refuse, as a full disk does, after `limit` characters."""
    real_open = pathlib.Path.open

    class FullDisk:
        def __init__(self, file):
            self.file, self.written = file, 0

        def write(self, text):
            if self.written + len(text) > limit:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.written += len(text)
            return self.file.write(text)

        def __getattr__(self, name):
            return getattr(self.file, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.file.__exit__(*exc)

    def open_on_a_full_disk(path, mode="r", *args, **kwargs):
        file = real_open(path, mode, *args, **kwargs)
        return FullDisk(file) if set(mode) & set("wxa") else file

    monkeypatch.setattr(pathlib.Path, "open", open_on_a_full_disk)


def test_export_command_on_a_full_disk_says_so_and_leaves_no_partial_file(
    reviewed, tmp_path, monkeypatch
):
    for _ in range(3):
        reviewed()
    target = tmp_path / "claims.json"
    target.write_text("the export of last week", encoding="utf-8")
    fill_the_disk_after(monkeypatch, 1000)

    with pytest.raises(CommandError) as caught:
        run_export("-o", str(target))

    assert str(caught.value).startswith(f"disk full while writing {target}")
    assert "nothing was written" in str(caught.value)
    # The earlier file is kept whole, and no part of the new one is left beside it.
    assert [path.name for path in tmp_path.iterdir()] == ["claims.json"]
    assert target.read_text(encoding="utf-8") == "the export of last week"


def test_claimreview_export_rates_each_reviewed_claim_in_json_ld(
    reviewed, make_source, other_reviewer
):
    source = make_source(
        author="王記者",
        url="https://example.com/ai",
        published_on=datetime.date(2024, 5, 1),
        script="hant",
    )
    claim = reviewed(
        source=source, quote="1751亿元", attributed_to="CSET", summary="Core AI industry size."
    )
    verdict_create(claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="數字不對")

    document = json.loads(
        run_export(
            "--format",
            "claimreview",
            "--base-url",
            "https://hecha.example.org/",
            "--publisher",
            "查核中心",
        )
    )

    assert document["@context"] == "https://schema.org"
    (review,) = document["@graph"]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "1751亿元"
    assert review["reviewRating"]["alternateName"] == "Disputed"
    assert review["url"] == f"https://hecha.example.org/claims/{claim.pk}/"
    assert review["author"] == {"@type": "Organization", "name": "查核中心"}
    assert (
        review["datePublished"] == claim.verdicts.latest("created_at").created_at.date().isoformat()
    )
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "CSET"}
    assert item["datePublished"] == "2024-05-01"
    assert item["appearance"]["url"] == "https://example.com/ai"
    assert item["appearance"]["inLanguage"] == "zh-Hant"


def test_claimreview_export_needs_the_address_of_the_site(reviewed):
    with pytest.raises(CommandError, match="--base-url"):
        run_export("--format", "claimreview")


def claimreview_graph(*args):
    return json.loads(run_export("--format", "claimreview", *args))["@graph"]


@pytest.fixture
def publishable_source(make_source):
    def make(**overrides):
        fields = {"url": "https://example.com/ai", "published_on": datetime.date(2024, 5, 1)}
        fields.update(overrides)
        return make_source(**fields)

    return make


def test_claimreview_rates_agreed_5_needs_context_3_and_disputed_1_of_5(
    reviewed, publishable_source
):
    source = publishable_source()
    agreed = reviewed(source=source, verdict=AGREE)
    context = reviewed(
        source=source, quote="中国在人工智能领域的投资约为860亿美元", verdict=NEEDS_CONTEXT
    )
    disputed = reviewed(source=source, quote="同比增长11.9%", verdict=DISPUTE, note="口径不同")

    ratings = {
        review["identifier"]: review["reviewRating"]
        for review in claimreview_graph("--base-url", "https://hecha.example.org")
    }

    assert {
        claim_id: (r["ratingValue"], r["bestRating"], r["worstRating"], r["alternateName"])
        for claim_id, r in ratings.items()
    } == {
        str(agreed.public_id): (5, 5, 1, "Agreed"),
        str(context.public_id): (3, 5, 1, "Needs context"),
        str(disputed.public_id): (1, 5, 1, "Disputed"),
    }


def test_claimreview_explains_a_dispute_with_the_current_disputers_notes(
    reviewed, publishable_source, other_reviewer, django_user_model
):
    claim = reviewed(source=publishable_source(), verdict=DISPUTE, note="口径不同，不含硬件")
    verdict_create(claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="舊的理由")
    # The second reviewer changed their reason; only their latest verdict counts.
    verdict_create(claim=claim, reviewer=other_reviewer, verdict=DISPUTE, note="數字已更正")
    agreeing = django_user_model.objects.create_user(username="alex")
    verdict_create(claim=claim, reviewer=agreeing, verdict=AGREE, note="與原文一致")

    (review,) = claimreview_graph("--base-url", "https://hecha.example.org")

    assert review["reviewRating"]["ratingExplanation"] == "口径不同，不含硬件\n數字已更正"


def test_claimreview_explains_needs_context_with_its_notes_and_agreement_with_the_tally(
    reviewed, publishable_source, other_reviewer
):
    source = publishable_source()
    context = reviewed(source=source, verdict=NEEDS_CONTEXT, note="Excludes Hong Kong.")
    agreed = reviewed(source=source, quote="同比增长11.9%")
    verdict_create(claim=agreed, reviewer=other_reviewer, verdict=AGREE)

    explanations = {
        review["identifier"]: review["reviewRating"]["ratingExplanation"]
        for review in claimreview_graph("--base-url", "https://hecha.example.org")
    }

    assert explanations[str(context.public_id)] == "Excludes Hong Kong."
    assert explanations[str(agreed.public_id)] == "2 reviewers agree."


def test_claimreview_leaves_out_and_reports_claims_whose_source_lacks_url_or_date(
    reviewed, publishable_source, make_source
):
    ready = reviewed(source=publishable_source())
    undated = reviewed(source=make_source(key="no-date", url="https://example.com/x"))
    unlinked = reviewed(source=make_source(key="no-url", published_on=datetime.date(2024, 1, 2)))
    out, err = StringIO(), StringIO()

    call_command(
        "export_claims",
        "--format",
        "claimreview",
        "--base-url",
        "https://hecha.example.org",
        stdout=out,
        stderr=err,
    )

    graph = json.loads(out.getvalue())["@graph"]
    assert [review["identifier"] for review in graph] == [str(ready.public_id)]
    report = err.getvalue()
    assert f"claim {undated.public_id} (source no-date lacks its publication date)" in report
    assert f"claim {unlinked.public_id} (source no-url lacks its URL)" in report
    assert "2 reviewed claim(s) not publishable" in report


def test_claimreview_command_takes_its_base_url_and_publisher_from_the_settings(
    reviewed, publishable_source, settings
):
    settings.HECHA_PUBLIC_BASE_URL = "https://factcheck.example.tw"
    settings.HECHA_PUBLISHER = "核查台"
    claim = reviewed(source=publishable_source())

    (review,) = claimreview_graph()

    assert review["url"] == f"https://factcheck.example.tw/claims/{claim.pk}/"
    assert review["author"]["name"] == "核查台"


def test_claimreview_of_a_published_claim_points_at_its_public_page(
    reviewed, publishable_source, editor
):
    from claims.services import claim_publish

    claim = claim_publish(claim=reviewed(source=publishable_source()), user=editor)

    (review,) = claimreview_graph("--base-url", "https://hecha.example.org/")

    assert review["url"] == f"https://hecha.example.org/fact-checks/{claim.public_id}/"


# Byte for byte: the export as it was first written, from model instances and the standard
# library's encoder, is the reference that any faster way of writing it must match.

FIXED_TIME = datetime.datetime(2025, 3, 2, 9, 0, tzinfo=datetime.UTC)


def reference_records(queryset):
    """Return (sources, claims, counts) as the export wrote them from model instances."""
    from claims.interchange import claim_record, crossref_record, source_record
    from sources.models import Source

    selected = set(queryset.values_list("pk", flat=True))
    claims = sorted(
        Claim.objects.filter(pk__in=selected).select_related("source"),
        key=lambda claim: (claim.source.key, claim.quote_start, claim.public_id),
    )
    sources = sorted(
        Source.objects.filter(pk__in={claim.source_id for claim in claims}), key=lambda s: s.key
    )
    counts = {"sources": len(sources), "claims": len(claims), "annotations": 0}
    counts["cross_references"] = 0
    records = []
    for claim in claims:
        verdicts = list(claim.verdicts.select_related("reviewer"))
        counts["annotations"] += len(verdicts)
        entries = []
        for ref in claim.outgoing_references.select_related("to_claim"):
            if ref.to_claim_id in selected:
                ref_verdicts = list(ref.verdicts.select_related("reviewer"))
                counts["cross_references"] += 1
                counts["annotations"] += len(ref_verdicts)
                entries.append(
                    crossref_record(
                        ref,
                        direction="outgoing",
                        other_id=ref.to_claim.public_id,
                        verdicts=ref_verdicts,
                    )
                )
        for ref in claim.incoming_references.select_related("from_claim"):
            if ref.from_claim_id in selected:
                entries.append(
                    crossref_record(
                        ref,
                        direction="incoming",
                        other_id=ref.from_claim.public_id,
                        verdicts=ref.verdicts.select_related("reviewer"),
                    )
                )
        records.append(
            claim_record(
                claim,
                source_key=claim.source.key,
                topics=[topic.slug for topic in claim.topics.all()],
                verdicts=verdicts,
                cross_references=entries,
            )
        )
    return [source_record(source) for source in sources], records, counts


def reference_text(queryset, format, filters=None):
    """Return the document as the first export wrote it, with `FIXED_TIME` as its time."""
    sources, claims, counts = reference_records(queryset)
    header = {"schema_version": "1.0", "exported_at": "2025-03-02T09:00:00Z"}
    header["filters"] = filters or {}

    def compact(record):
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))

    if format == "jsonl":
        lines = [{"type": "header", **header}]
        lines += [{"type": "source", **record} for record in sources]
        lines += [{"type": "claim", **record} for record in claims]
        lines.append({"type": "end", "counts": counts})
        return "".join(compact(line) + "\n" for line in lines)

    def array(records):
        if not records:
            return "]"
        spaced = (json.dumps(r, ensure_ascii=False, separators=(", ", ": ")) for r in records)
        return "\n    " + ",\n    ".join(spaced) + "\n  ]"

    text = "{\n"
    for name, value in header.items():
        text += f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n"
    text += '  "sources": [' + array(sources) + ',\n  "claims": [' + array(claims)
    return text + f',\n  "counts": {json.dumps(counts)}\n}}\n'


def reference_claimreview(queryset, *, base_url, publisher):
    reviews = []
    for claim in sorted(
        Claim.objects.filter(pk__in=queryset.values("pk")).reviewed().select_related("source"),
        key=lambda claim: (claim.source.key, claim.quote_start, claim.public_id),
    ):
        if not claim.source.publication_gaps:
            review = exports.claim_review(
                claim, base_url=base_url, publisher=publisher, verdicts=claim.verdicts.all()
            )
            reviews.append(json.dumps(review, ensure_ascii=False))
    graph = "\n    " + ",\n    ".join(reviews) + "\n  ]\n}\n" if reviews else "]\n}\n"
    return '{\n  "@context": "https://schema.org",\n  "@graph": [' + graph


@pytest.fixture
def varied_claims(db, make_source, make_claim, editor, django_user_model):
    """Fill the database with the seeds and claims of every kind, all but a few reviewed.

    Chinese in both scripts and emoji, characters JSON escapes (quotes, backslashes, new
    lines, tabs, control characters), decimals tiny and huge, missing figures, dates and
    URLs, times with and without microseconds, cross-references both ways and to claims
    left out, an unanchored claim.
    """
    import random

    from claims.roles import get_system_user
    from claims.seeds import load_seeds
    from claims.services import source_update, verdict_build, verdicts_bulk_create
    from conftest import SEEDS_DIR

    load_seeds(SEEDS_DIR, user=get_system_user())
    odd = 'He said "1751億" \\ 約\t1.5%\n新行\u2028末 🚀 \x01'
    tricky = make_source(
        key="tricky-2024",
        title=odd,
        author="王\\記者",
        url='https://example.com/a?x=1&y="2"',
        published_on=datetime.date(1999, 12, 31),
        text="前言：" + odd + "。据报道，规模为1751亿元，增长11.9%；另有0.0000000001的误差。",
    )
    plain = make_source(key="plain", published_on=None, url="")
    made = [
        make_claim(source=tricky, quote=odd, value=None, figure_text="", unit="", scope=odd),
        make_claim(
            source=tricky,
            quote="1751亿元",
            value=Decimal("175100000000.0000"),
            value_lower=Decimal("0.0000000001"),
            value_upper=Decimal("999999999999999"),
            hedge="range",
            topics=["industry", "investment"],
            attributed_to='"CSET"',
            summary=odd,
        ),
        make_claim(
            source=tricky,
            quote="11.9%",
            figure_text="11.9%",
            value=Decimal("11.90"),
            unit="percent",
            period_start=None,
            period_end=None,
        ),
        make_claim(source=tricky, quote="0.0000000001", value=Decimal("0"), unit="count"),
        make_claim(source=plain, quote="1751亿元", value=Decimal("-2.5"), unit="percent"),
        make_claim(
            source=plain,
            quote="860亿美元",
            value=None,
            figure_text="",
            unit="",
            period_start=2014,
            period_end=None,
        ),
    ]
    source_update(
        source=plain,
        user=editor,
        expected_version=plain.version,
        text=plain.text.replace("860亿美元", "数百亿美元"),
    )
    unreviewed = make_claim(source=plain, quote="1751亿元")
    names = ["rita", "otto", "審核員", "a.b-c_d"]
    reviewers = [django_user_model.objects.get_or_create(username=n)[0] for n in names]
    rng = random.Random(11)
    claims = list(Claim.objects.exclude(pk=unreviewed.pk).order_by("pk"))
    for a, b in zip(made, made[2:], strict=False):
        crossref_create(user=editor, from_claim=a, to_claim=b, relation="related", note=odd)
    crossref_create(
        user=editor, from_claim=unreviewed, to_claim=made[0], relation="supports", note="未審"
    )
    from claims.models import CrossReference

    targets = [{"claim": claim} for claim in claims]
    targets += [{"crossref": ref} for ref in CrossReference.objects.order_by("pk")]
    verdicts = []
    for number, target in enumerate(targets):
        for _ in range(rng.choice([1, 1, 2, 3]) if "claim" in target else rng.choice([0, 1])):
            kind = rng.choice(["agree", "dispute", "needs_context"])
            note = (
                rng.choice(["", "口徑不同", odd, "數字有誤\n見附註"]) if kind != "dispute" else odd
            )
            at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
                minutes=number * 7 + rng.randint(0, 3),
                microseconds=rng.choice([0, 0, rng.randint(1, 999_999)]),
            )
            verdicts.append(
                verdict_build(
                    reviewer=rng.choice(reviewers), verdict=kind, note=note, created_at=at, **target
                )
            )
    verdicts_bulk_create(verdicts=verdicts)
    return made


def exported(queryset, format, filters=None, **kwargs):
    export = ClaimExport(queryset, filters=filters)
    export.exported_at = FIXED_TIME
    if format == "json":
        chunks = export.json_chunks()
    elif format == "jsonl":
        chunks = export.jsonl_lines()
    else:
        chunks = export.claimreview_chunks(**kwargs)
    return "".join(chunks)


@pytest.mark.parametrize("format", ["json", "jsonl"])
@pytest.mark.parametrize(
    "filters",
    [{}, {"status": "disputed"}, {"q": "1751億"}],
    ids=["all", "status", "search in the other script"],
)
def test_export_writes_the_same_bytes_as_the_first_export(varied_claims, format, filters):
    # The search's Chinese term goes to the database with the queries that read the texts
    # as bytes; its claims refer to claims it leaves out.
    queryset = ClaimFilterSet(filters, queryset=Claim.objects.reviewed()).qs

    text = exported(queryset, format, filters)

    assert text == reference_text(queryset, format, filters)
    assert text.count("\n") > 5
    last = text.splitlines()[-1] if format == "jsonl" else text
    counts = json.loads(last)["counts"]
    everything = Claim.objects.reviewed().count()
    assert 0 < counts["claims"] == queryset.count() <= everything
    if "q" in filters:
        assert counts["claims"] < everything


def test_claimreview_export_writes_the_same_bytes_as_the_first_export(varied_claims):
    arguments = {"base_url": "https://hecha.example.org/", "publisher": "查核中心"}

    text = exported(Claim.objects.reviewed(), "claimreview", **arguments)

    assert text == reference_claimreview(Claim.objects.reviewed(), **arguments)
    assert text.count('"ClaimReview"') > 3


def test_export_writes_each_verdict_time_as_the_document_writes_times(
    make_claim, django_user_model
):
    from claims.interchange import datetime_text
    from claims.services import verdict_build, verdicts_bulk_create

    claim = make_claim(quote="1751亿元")
    reviewer = django_user_model.objects.create(username="rita")
    taipei = datetime.timezone(datetime.timedelta(hours=8))
    times = [
        datetime.datetime(2025, 1, 1, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2025, 1, 1, 0, 0, 0, 500_000, tzinfo=datetime.UTC),
        datetime.datetime(2025, 1, 1, 7, 59, 59, 999_999, tzinfo=taipei),
        datetime.datetime(2024, 2, 29, 23, 0, 0, 1, tzinfo=taipei),
        datetime.datetime(1000, 3, 4, 5, 6, 7, tzinfo=datetime.UTC),
    ]
    verdicts_bulk_create(
        verdicts=[
            verdict_build(reviewer=reviewer, verdict="agree", note="", created_at=at, claim=claim)
            for at in times
        ]
    )

    (record,) = json.loads(export_json())["claims"]

    assert [a["at"] for a in record["annotations"]] == [datetime_text(at) for at in sorted(times)]


@pytest.mark.parametrize("format", ["json", "jsonl", "claimreview"])
def test_export_of_a_selection_known_to_be_empty_is_a_whole_empty_document(reviewed, format):
    # No source is from Hong Kong in Simplified script: the filter finds no source, and the
    # selection none, before any claim is read.
    reviewed()

    text = run_export(
        "--format",
        format,
        "--base-url",
        "https://hecha.example",
        "--filter",
        "region=hk",
        "--filter",
        "script=hans",
    )

    if format == "jsonl":
        lines = assert_valid_lines(text)
        assert [line["type"] for line in lines] == ["header", "end"]
        assert set(lines[-1]["counts"].values()) == {0}
    elif format == "json":
        document = json.loads(text)
        assert_valid(document)
        assert document["claims"] == [] and document["sources"] == []
        assert document["filters"] == {"region": "hk", "script": "hans"}
    else:
        assert json.loads(text)["@graph"] == []


# An export's transaction on SQLite, where `make run` serves pages beside its job worker.
READER = """
import sys
import django
django.setup()
from django.db import connection
from claims.exports import _snapshot

with _snapshot(), connection.cursor() as cursor:
    cursor.execute("SELECT n FROM tally")
    print("reading", flush=True)
    sys.stdin.readline()  # until the test has written
"""


def test_an_export_on_sqlite_reads_without_holding_writers_off(tally_file):
    import sqlite3
    import subprocess

    database, start = tally_file
    reader = start(READER, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert reader.stdout.readline().strip() == "reading"
        # A writer that will not wait: it fails at once if the export holds the write lock.
        with sqlite3.connect(database, timeout=0) as writer:
            writer.execute("UPDATE tally SET n = 1")
    finally:
        reader.communicate("done\n", timeout=60)

    assert reader.returncode == 0
    with sqlite3.connect(database) as read:
        assert read.execute("SELECT n FROM tally").fetchone() == (1,)
