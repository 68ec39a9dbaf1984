import copy
import datetime
import json
import re
import uuid
from io import StringIO

import fastjsonschema
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from claims import imports
from claims.exports import ClaimExport, claims_export
from claims.imports import checking, reading, saving
from claims.imports.texts import SourceTexts
from claims.models import Claim, CrossReference, Topic, Verdict
from claims.roles import get_system_user
from claims.services import crossref_create, source_update, verdict_create
from claims.tests.test_exports import assert_valid
from sources.models import Source

AGREE, DISPUTE = Verdict.Kind.AGREE, Verdict.Kind.DISPUTE
AT = datetime.datetime(2025, 3, 1, 8, 30, 15, 250000, tzinfo=datetime.UTC)


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_claims", str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def refusal(path, *args):
    """Import a broken file and return the error; nothing must have been saved."""
    before = rows()
    with pytest.raises(CommandError) as caught:
        run_import(path, *args)
    assert rows() == before
    return str(caught.value)


def rows():
    return (
        Source.objects.count(),
        Claim.objects.count(),
        Verdict.objects.count(),
        CrossReference.objects.count(),
        get_user_model().objects.count(),
        Claim.history.count(),
    )


def wipe():
    """Empty the database of what an export carries, as a fresh Hecha would be."""
    Verdict.objects.all().delete()
    CrossReference.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()
    get_user_model().objects.filter(username__in=["rita", "otto", "審稿人"]).delete()


def write(tmp_path, document, name="claims.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_lines(tmp_path, export: ClaimExport, name="claims.jsonl"):
    path = tmp_path / name
    path.write_text("".join(export.jsonl_lines()), encoding="utf-8")
    return path


@pytest.fixture
def document(make_source, make_claim, reviewer, other_reviewer, editor):
    """Return an export of two reviewed claims with a cross-reference, verdicts on both."""
    source = make_source(key="report-2024", url="https://example.com/report", script="hant")
    first = make_claim(source=source, quote="1751亿元", topics=["industry"])
    second = make_claim(source=source, quote="860亿美元", value=None, figure_text="", unit="")
    verdict_create(claim=first, reviewer=reviewer, verdict=AGREE, created_at=AT)
    verdict_create(
        claim=first, reviewer=other_reviewer, verdict=DISPUTE, note="口徑不同", created_at=AT
    )
    verdict_create(claim=second, reviewer=reviewer, verdict=AGREE, created_at=AT)
    crossref = crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="related", note="同一報告"
    )
    verdict_create(crossref=crossref, reviewer=other_reviewer, verdict=AGREE, created_at=AT)
    return claims_export(Claim.objects.reviewed())


def test_import_into_an_empty_database_rebuilds_everything_the_document_names(document, tmp_path):
    path = write(tmp_path, document)
    wipe()

    out = run_import(path)

    assert "claims: 2 created" in out and "reviewers: 2 created" in out
    source = Source.objects.get()
    assert (source.key, source.url, source.script) == (
        "report-2024",
        "https://example.com/report",
        "hant",
    )
    first = Claim.objects.get(public_id=document["claims"][0]["id"])
    assert (first.quote, first.review_status, first.dispute_count) == ("1751亿元", "disputed", 1)
    assert list(first.topics.values_list("slug", flat=True)) == ["industry"]
    crossref = CrossReference.objects.get()
    assert (crossref.from_claim, crossref.relation, crossref.note, crossref.review_status) == (
        first,
        "related",
        "同一報告",
        "agreed",
    )
    assert claims_export(Claim.objects.reviewed())["claims"] == document["claims"]


def test_import_keeps_the_time_each_verdict_was_given(document, tmp_path):
    path = write(tmp_path, document)
    wipe()

    run_import(path)

    assert set(Verdict.objects.values_list("created_at", flat=True)) == {AT}


def test_import_creates_unknown_reviewers_as_inactive_accounts_that_cannot_log_in(
    document, tmp_path, client
):
    path = write(tmp_path, document)
    wipe()

    run_import(path)

    rita = get_user_model().objects.get(username="rita")
    assert not rita.is_active and not rita.has_usable_password()
    assert not client.login(request=HttpRequest(), username="rita", password="pw-rita")


def test_importing_the_same_file_twice_changes_nothing(document, tmp_path):
    path = write(tmp_path, document)
    wipe()
    run_import(path)
    before = rows()

    out = run_import(path)

    assert rows() == before
    assert "nothing changed" in out


def test_import_into_the_database_it_came_from_changes_nothing(document, tmp_path):
    get_system_user()  # the account imports act as, created by the first one
    before = rows()

    out = run_import(write(tmp_path, document))

    assert rows() == before
    assert "claims: 0 created, 2 already there" in out


def test_import_of_json_lines_gives_the_same_database(document, tmp_path):
    path = write_lines(tmp_path, ClaimExport(Claim.objects.reviewed()))
    wipe()

    run_import(path)

    assert claims_export(Claim.objects.reviewed())["claims"] == document["claims"]


def test_import_matches_a_source_by_url_when_its_key_differs(document, make_source, tmp_path):
    path = write(tmp_path, document)
    wipe()
    local = make_source(
        key="local-key", url="https://example.com/report", text=document["sources"][0]["text"]
    )

    out = run_import(path)

    assert Source.objects.get() == local
    assert set(Claim.objects.values_list("source", flat=True)) == {local.pk}
    assert "sources: 0 created, 1 already there" in out


def test_import_keeps_an_existing_source_and_warns_when_the_document_differs(document, tmp_path):
    document["sources"][0]["title"] = "另一個標題"

    out = run_import(write(tmp_path, document))

    assert Source.objects.get().title != "另一個標題"
    assert "sources[0] (report-2024): already in the database" in out and "title" in out


def test_import_adds_the_verdicts_an_existing_claim_lacks(document, tmp_path):
    later = {
        "reviewer": "審稿人",
        "verdict": "needs_context",
        "note": "要看原文",
        "at": "2025-04-01T00:00:00Z",
    }
    claim = document["claims"][1]
    claim["annotations"].append(later)
    claim["status"], claim["tally"] = (
        "needs_context",
        {"agree": 1, "dispute": 0, "needs_context": 1},
    )
    document["counts"]["annotations"] += 1

    out = run_import(write(tmp_path, document))

    updated = Claim.objects.get(public_id=claim["id"])
    assert (updated.review_status, updated.needs_context_count) == ("needs_context", 1)
    assert "verdicts: 1 created, 4 already there" in out


def test_import_keeps_an_existing_claim_and_warns_when_the_document_differs(document, tmp_path):
    document["claims"][0]["summary"] = "Edited elsewhere."

    out = run_import(write(tmp_path, document))

    assert Claim.objects.get(public_id=document["claims"][0]["id"]).summary == ""
    assert "claims[0]" in out and "summary" in out and "kept" in out


def test_import_accepts_a_cross_reference_to_a_claim_already_in_the_database(
    document, make_claim, tmp_path
):
    target = make_claim(quote="860亿美元")
    document["claims"][1]["cross_references"].append(
        {
            "relation": "supports",
            "direction": "outgoing",
            "claim": str(target.public_id),
            "note": "同一數字",
            "status": "unreviewed",
            "tally": {"agree": 0, "dispute": 0, "needs_context": 0},
            "annotations": [],
        }
    )
    document["counts"]["cross_references"] += 1

    run_import(write(tmp_path, document))

    assert CrossReference.objects.filter(
        to_claim=target, relation="supports", note="同一數字"
    ).exists()


def test_import_accepts_a_document_whose_claims_come_before_its_sources(document, tmp_path):
    reordered = {name: document[name] for name in sorted(document)}  # claims, counts, ..., sources
    path = write(tmp_path, reordered)
    wipe()

    run_import(path)

    assert claims_export(Claim.objects.reviewed())["claims"] == document["claims"]


def test_import_of_an_unanchored_claim_keeps_its_last_place_flagged(
    make_claim, reviewer, editor, tmp_path
):
    claim = make_claim(quote="1751亿元")
    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE)
    source_update(
        source=claim.source,
        user=editor,
        expected_version=claim.source.version,
        text=claim.source.text.replace("1751亿元", "一千多亿元"),
    )
    document = claims_export(Claim.objects.reviewed())
    path = write(tmp_path, document)
    wipe()

    run_import(path)

    imported = Claim.objects.get()
    assert (imported.is_anchored, imported.quote_start) == (False, claim.quote_start)
    assert claims_export(Claim.objects.reviewed())["claims"] == document["claims"]


def test_import_dry_run_reports_and_saves_nothing(document, tmp_path):
    path = write(tmp_path, document)
    wipe()
    before = rows()

    out = run_import(path, "--dry-run")

    assert "claims: 2 created" in out and "nothing was saved" in out
    assert rows() == before


# Refusals: nothing is saved, and the error names the record, the field and the reason.


def test_import_of_truncated_json_saves_nothing_and_says_it_was_cut_short(document, tmp_path):
    text = json.dumps(document, ensure_ascii=False, indent=2)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    wipe()

    message = refusal(path)

    assert "cut short" in message and "line" in message


def test_import_of_malformed_json_names_the_line_and_column(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "schema_version": "1.0",\n  "sources": [}\n', encoding="utf-8")

    message = refusal(path)

    assert "line 3, column" in message and "not valid JSON" in message


def test_import_of_json_lines_cut_between_lines_is_refused(document, tmp_path):
    text = "".join(ClaimExport(Claim.objects.reviewed()).jsonl_lines())
    path = tmp_path / "cut.jsonl"
    path.write_text("".join(text.splitlines(keepends=True)[:-2]), encoding="utf-8")
    wipe()

    assert "no end line" in refusal(path)


def test_import_of_json_lines_cut_inside_a_line_names_it(document, tmp_path):
    text = "".join(ClaimExport(Claim.objects.reviewed()).jsonl_lines())
    path = tmp_path / "cut.jsonl"
    path.write_text(text[: text.rindex('"type":"claim"') + 40], encoding="utf-8")
    wipe()

    message = refusal(path)

    assert "line 4" in message and "cut short" in message


@pytest.mark.parametrize("name", ["cut.json", "cut.jsonl"])
def test_a_file_cut_inside_a_chinese_character_is_called_cut_short(document, tmp_path, name):
    if name.endswith(".jsonl"):
        text = "".join(ClaimExport(Claim.objects.reviewed()).jsonl_lines())
    else:
        text = json.dumps(document, ensure_ascii=False, indent=2)
    data = text.encode("utf-8")
    # One byte into the last Chinese character but one: the rest of the file is lost.
    cut = max(i for i in range(len(data) - 3) if data[i] >= 0xE0) + 1
    path = tmp_path / name
    path.write_bytes(data[:cut])
    wipe()

    message = refusal(path)

    assert "cut short" in message and "not UTF-8" not in message


def test_import_refuses_an_unknown_schema_version(document, tmp_path):
    document["schema_version"] = "2.0"
    path = write(tmp_path, document)
    wipe()

    assert "schema_version: this Hecha reads version 1.0, not '2.0'" in refusal(path)


def test_import_refuses_a_quote_not_found_in_its_source_text(document, tmp_path):
    document["claims"][1]["quote"] = "860亿欧元"
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert "claims[1].quote: not found at offset" in message and "report-2024" in message


def test_import_refuses_a_period_year_out_of_reach_and_names_the_record(document, tmp_path):
    document["claims"][1]["figure"]["period_start"] = 20225
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert "claims[1]" in message and "Give a year from 1800 to 2100." in message


def test_import_of_a_claim_or_source_retracted_here_is_refused_and_names_it(
    document, tmp_path, editor
):
    from claims.services import claim_retract, source_retract

    path = write(tmp_path, document)
    first, second = (Claim.objects.get(public_id=c["id"]) for c in document["claims"])
    claim_retract(claim=second, user=editor, reason="made in error")

    assert (
        "claims[1].id: is a claim an editor retracted in this database: restore it first"
        in refusal(path)
    )

    claim_retract(claim=first, user=editor, reason="made in error")
    source_retract(source=first.source, user=editor, reason="made in error")

    assert "sources[0]: is a source an editor retracted in this database" in refusal(path)


def test_import_refuses_duplicate_ids(document, tmp_path):
    document["claims"][1]["id"] = document["claims"][0]["id"]
    path = write(tmp_path, document)
    wipe()

    assert f"claims[1].id: {document['claims'][0]['id']} is also claims[0]'s id" in refusal(path)


def test_import_refuses_a_cross_reference_to_a_claim_that_does_not_exist(document, tmp_path):
    missing = str(uuid.uuid4())
    entry = document["claims"][0]["cross_references"][0]
    document["claims"][0]["cross_references"].append(
        {**entry, "claim": missing, "relation": "supports"}
    )
    document["counts"]["cross_references"] += 1
    document["counts"]["annotations"] += 1
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert (
        f"claims[0].cross_references[1].claim: no claim {missing} in this document or in the database"
        in message
    )


def test_import_refuses_a_file_that_is_not_utf8_and_names_the_byte(document, tmp_path):
    path = tmp_path / "big5.json"
    path.write_bytes(json.dumps(document, ensure_ascii=False).encode("big5", errors="replace"))
    wipe()

    message = refusal(path)

    assert "not UTF-8 text" in message and "at byte" in message


def test_import_collects_the_errors_of_every_record_before_refusing(document, tmp_path):
    document["claims"][0]["figure"]["value"] = "1234567890.1234567"  # 17 significant digits
    document["claims"][1]["annotations"][0].update(verdict="dispute", note=" ")
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert "claims[0].figure.value: Give at most 15 significant digits" in message
    # In the model's words, which the form and the services give too.
    assert "claims[1].annotations[0].note: Say why you dispute it." in message


def test_import_refuses_fields_the_schema_does_not_allow(document, tmp_path):
    document["claims"][0]["figure"]["value"] = 1751.5  # a float, not a string
    document["claims"][1]["colour"] = "red"
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert "claims[0].figure.value: 1751.5 is not of type 'string', 'null'" in message
    assert "claims[1]: Additional properties are not allowed ('colour' was unexpected)" in message


def test_import_refuses_a_status_its_verdicts_do_not_add_up_to(document, tmp_path):
    document["claims"][0]["status"] = "agreed"
    path = write(tmp_path, document)
    wipe()

    assert "claims[0].status: the verdicts listed amount to 'disputed', not 'agreed'" in refusal(
        path
    )


def test_import_refuses_counts_that_do_not_match_the_records(document, tmp_path):
    document["claims"].pop()
    document["claims"][0]["cross_references"] = []
    path = write(tmp_path, document)
    wipe()

    assert "counts.claims: the document says 2 but holds 1" in refusal(path)


def test_a_refused_verdict_is_named_once_not_again_as_counts_that_differ(document, tmp_path):
    document["claims"][0]["annotations"][0]["verdict"] = "approve"
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert (
        "claims[0].annotations[0].verdict: 'approve' is not one of 'agree', 'dispute'," in message
    )
    assert "[" not in message.split("verdict: ")[1].split("\n")[0]
    assert "counts." not in message


def test_import_of_json_lines_names_the_line_of_a_bad_record(document, tmp_path):
    text = "".join(ClaimExport(Claim.objects.reviewed()).jsonl_lines())
    path = tmp_path / "bad.jsonl"
    path.write_text(text.replace('"quote":"860亿美元"', '"quote":"860亿欧元"'), encoding="utf-8")
    wipe()

    message = refusal(path)

    assert "claims[1].quote: not found at offset" in message and "(line 4)" in message


def test_import_refuses_a_record_longer_than_the_limit_without_reading_it_whole(
    document, tmp_path, monkeypatch
):
    document["sources"][0]["text"] += "長" * 5000
    path = write(tmp_path, document)
    wipe()
    monkeypatch.setattr(reading, "MAX_RECORD_CHARS", 4000)
    monkeypatch.setattr(reading, "READ_CHUNK_BYTES", 1024)

    assert "longer than the limit of 4,000 characters for one record" in refusal(path)


def test_import_reads_a_file_many_times_larger_than_the_record_limit(
    document, tmp_path, monkeypatch
):
    # The limit is per record: a large file of small records is read one record at a time.
    claim = document["claims"][1]
    for number in range(400):
        document["claims"].append(
            {**claim, "id": str(uuid.UUID(int=number)), "cross_references": []}
        )
    document["counts"]["claims"] += 400
    document["counts"]["annotations"] += 400
    path = write(tmp_path, document)
    wipe()
    monkeypatch.setattr(reading, "MAX_RECORD_CHARS", 4000)
    monkeypatch.setattr(reading, "READ_CHUNK_BYTES", 1024)
    assert path.stat().st_size > 50 * 4000

    run_import(path)

    assert Claim.objects.count() == 402


def test_import_command_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="nope.json: no such file"):
        run_import(tmp_path / "nope.json")


def test_the_readme_example_is_a_valid_document_that_imports(db, tmp_path):
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Export format.*?```json\n(.*?)```", readme, re.S).group(1)
    document = json.loads(example)
    assert_valid(document)

    run_import(write(tmp_path, document))

    assert claims_export(Claim.objects.reviewed())["claims"] == document["claims"]


def test_import_with_verbosity_2_reports_progress_as_it_checks_and_saves(
    document, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    path = write(tmp_path, document)
    wipe()
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 1)

    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_claims", str(path), "-v", "2", stdout=out, stderr=err)
    out = out.getvalue() + err.getvalue()

    # On PostgreSQL the import then writes, once committed, the texts the next export reads.
    kept = ["wrote the export texts of 2 claims"] if connection.vendor == "postgresql" else []
    assert re.findall(r"^\d\d:\d\d:\d\d (.*)$", out, re.M) == [
        "checked 1 claims",
        "checked 2 claims",
        "saved 1 claims",
        "saved 2 claims",
        *kept,
    ]


def test_import_of_a_claimreview_export_says_to_use_the_json_export(document, tmp_path):
    out = StringIO()
    call_command(
        "export_claims", "--format", "claimreview", "--base-url", "https://x.example", stdout=out
    )
    path = tmp_path / "reviews.json"
    path.write_text(out.getvalue(), encoding="utf-8")

    assert "ClaimReview export, which is for publishing" in refusal(path)


VALID_CLAIM = {
    "id": "441d4b7f-5aad-4989-b0e6-20e26dcb61ad",
    "source": "bench-000000",
    "quote": "中国在人工智能领域的投资约为11415亿美元。",
    "anchor": {"start": 0, "end": 22, "prefix": "", "suffix": "2021年"},
    "anchored": True,
    "summary": "Investment in AI.",
    "attributed_to": "資策會",
    "topics": ["data", "investment"],
    "figure": {
        "as_written": "11415亿美元",
        "value": "1141500000000",
        "lower": None,
        "upper": None,
        "hedge": "",
        "unit": "USD",
        "period_start": 2017,
        "period_end": 2018,
        "scope": "investment",
    },
    "status": "disputed",
    "tally": {"agree": 1, "dispute": 1, "needs_context": 0},
    "annotations": [
        {"reviewer": "rita", "verdict": "agree", "note": "", "at": "2024-01-16T19:33:40.080636Z"},
        {
            "reviewer": "otto",
            "verdict": "dispute",
            "note": "口徑不同",
            "at": "2024-01-26T17:29:52Z",
        },
    ],
    "cross_references": [
        {
            "relation": "related",
            "direction": "outgoing",
            "claim": "7b1496d6-b476-4282-84ea-c7c46ed89891",
            "note": "同一來源的數字。",
            "status": "unreviewed",
            "tally": {"agree": 0, "dispute": 0, "needs_context": 0},
            "annotations": [],
        }
    ],
}

# Values a broken file might hold where another belongs, near misses included.
odd_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-3, max_value=2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=6)
    | st.sampled_from(
        [
            "12.5",
            "1e5",
            "-0",
            "2024-01-01",
            "2024-01-01T00:00:00Z",
            "agree",
            "dispute",
            "hans",
            "outgoing",
            "USD",
            "7b1496d6-b476-4282-84ea-c7c46ed89891",
            "a b",
            "",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=4,
)


def _places(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


@hypothesis_settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_fast_schema_check_refuses_exactly_what_jsonschema_refuses(data):
    """Imports check records with fastjsonschema and explain refusals with jsonschema."""
    record = copy.deepcopy(VALID_CLAIM)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(list(_places(record))))
        if not path:
            continue
        *parents, last = path
        parent = record
        for step in parents:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[last] = data.draw(odd_values)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=6))] = data.draw(odd_values)
        else:
            parent.append(data.draw(odd_values))
    fast, detailed = checking._validators()["claim"]
    try:
        fast(record)
        fast_says_valid = True
    except fastjsonschema.JsonSchemaException:
        fast_says_valid = False
    assert fast_says_valid == detailed.is_valid(record), record


def test_the_claim_used_to_compare_schema_checks_is_valid():
    assert checking.schema_errors_of("claim", VALID_CLAIM) == []


@pytest.mark.parametrize("order", ["as exported", "reversed"])
def test_import_in_batches_of_one_claim_links_cross_references_across_batches(
    document, tmp_path, monkeypatch, order
):
    # A cross-reference is listed under both its claims; with one claim per batch the
    # first listing names a claim not saved yet, whichever of the two comes first.
    monkeypatch.setattr(saving, "BATCH_SIZE", 1)
    if order == "reversed":
        document["claims"].reverse()
    path = write(tmp_path, document)
    wipe()

    run_import(path)

    assert CrossReference.objects.count() == 1
    exported = claims_export(Claim.objects.reviewed())["claims"]
    assert sorted(exported, key=lambda c: c["id"]) == sorted(
        document["claims"], key=lambda c: c["id"]
    )


def test_an_imported_claim_has_one_history_entry_by_the_importing_user(
    document, tmp_path, editor, client
):
    path = write(tmp_path, document)
    wipe()

    run_import(path, "--user", editor.username)

    claim = Claim.objects.get(public_id=document["claims"][0]["id"])
    (entry,) = claim.history.all()
    assert (entry.history_type, entry.history_user) == ("+", editor)
    assert [row.topic.slug for row in entry.topics.all()] == ["industry"]
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/history/").content.decode()
    assert "Created" in page and f'<td data-label="Who">{editor.username}</td>' in page


def test_import_takes_the_same_number_of_queries_for_seven_times_the_claims(
    make_source, make_claim, reviewer, tmp_path
):
    def export_of(count):
        source = make_source()
        for _ in range(count):
            claim = make_claim(source=source, quote="1751亿元", topics=["industry"])
            verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE, created_at=AT)
        document = claims_export(Claim.objects.filter(source=source))
        return write(tmp_path, document, name=f"claims-{count}.json")

    # Both sizes fit one INSERT per table on SQLite too (it caps a statement at 999
    # values, some 27 rows of history); past that the database, not the import, splits them.
    small, large = export_of(3), export_of(20)
    run_import(small)  # creates the account imports act as
    queries = []
    for path in (small, large):
        wipe()
        with CaptureQueriesContext(connection) as captured:
            run_import(path)
        queries.append(len(captured))

    assert queries[1] == queries[0]


def test_import_takes_the_same_number_of_queries_for_twelve_times_the_sources(
    make_source, make_claim, reviewer, tmp_path
):
    def export_of(count):
        made = []
        for _ in range(count):
            claim = make_claim(source=make_source(), quote="1751亿元")
            verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE, created_at=AT)
            made.append(claim.pk)
        document = claims_export(Claim.objects.filter(pk__in=made))
        return write(tmp_path, document, name=f"sources-{count}.json")

    small, large = export_of(1), export_of(12)
    run_import(small)  # creates the account imports act as
    queries = []
    for path in (small, large):
        wipe()
        with CaptureQueriesContext(connection) as captured:
            run_import(path)
        queries.append(len(captured))

    assert queries[1] == queries[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statistics are refreshed on PostgreSQL only"
)
def test_a_large_import_has_postgresql_measure_the_tables_again(document, tmp_path, monkeypatch):
    def planner_rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'claims_claim'")
            return cursor.fetchone()[0]

    monkeypatch.setattr(saving, "ANALYZE_AFTER", 2)
    path = write(tmp_path, document)
    wipe()
    before = planner_rows()

    run_import(path)

    assert before != 2 and planner_rows() == 2


def _keep_only_the_source(document, editor, text):
    """Leave the document's source in the database, its text changed, and nothing else."""
    Verdict.objects.all().delete()
    CrossReference.objects.all().delete()
    Claim.objects.all().delete()
    source = Source.objects.get(key=document["sources"][0]["key"])
    return source_update(source=source, user=editor, expected_version=source.version, text=text)


def test_import_anchors_new_claims_in_the_databases_corrected_copy_of_their_source(
    document, editor, tmp_path
):
    original = document["sources"][0]["text"]
    source = _keep_only_the_source(document, editor, "更正：" + original)

    out = run_import(write(tmp_path, document))

    assert "text" in out and "the database's copy is kept" in out
    for record in document["claims"]:
        claim = Claim.objects.get(public_id=record["id"])
        assert claim.source == source and claim.is_anchored
        assert claim.quote_start == record["anchor"]["start"] + len("更正：")
        assert source.text[claim.quote_start : claim.quote_end] == record["quote"]


def test_import_refuses_a_new_claim_missing_from_the_databases_copy_of_its_source(
    document, editor, tmp_path
):
    original = document["sources"][0]["text"]
    _keep_only_the_source(document, editor, original.replace("860亿美元", "八百多亿美元"))

    error = refusal(write(tmp_path, document))

    assert "claims[1].quote: not found in the database's copy of source 'report-2024'" in error


def test_source_texts_keep_each_text_and_a_differing_database_copy():
    texts = SourceTexts()
    texts.add("same", "原文")
    texts.add("corrected", "新文本", "舊文本")
    texts.add("unchanged", "同一", "同一")
    for number in range(200):  # more than are kept in memory
        texts.add(f"source-{number}", f"第{number}篇")

    assert (texts.document("corrected"), texts.stored("corrected")) == ("新文本", "舊文本")
    assert texts.differs("corrected") and not texts.differs("same")
    assert not texts.differs("unchanged") and texts.stored("same") == "原文"
    assert [texts.document(f"source-{n}") for n in range(200)] == [f"第{n}篇" for n in range(200)]
    with pytest.raises(KeyError):
        texts.document("missing")
    texts.close()


def test_source_texts_that_cannot_be_written_stop_the_import_with_a_reason():
    texts = SourceTexts()
    texts.scratch.db.close()  # as good as a full disk

    with pytest.raises(imports.ImportFailure) as caught:
        texts.add("source", "原文")

    assert "temporary folder" in str(caught.value)


def test_import_creates_a_topic_this_hecha_lacks_and_says_to_name_it(document, tmp_path):
    document["claims"][1]["topics"] = ["semiconductors"]
    path = write(tmp_path, document)
    wipe()

    out = run_import(path)

    topic = Topic.objects.get(slug="semiconductors")
    assert topic.name == "semiconductors"
    claim = Claim.objects.get(public_id=document["claims"][1]["id"])
    assert list(claim.topics.all()) == [topic]
    assert "topic 'semiconductors' is new here" in out and "topics: 1 created" in out
    assert claims_export(Claim.objects.reviewed())["claims"] == document["claims"]
    assert "topics: 0 created" in run_import(path)


def refusals_of_both_readings(path) -> tuple[list[str], list[str]]:
    """Return what the first reading says of a file, and what the second says if let save it."""
    checker = checking.Checker("json")
    for record in reading.read_records(path, "json"):
        checker.add(record)
    first = list(checker.errors)
    checker.errors.clear()
    checker.finish()
    writer = saving.Writer(checker, user=get_system_user(), report=imports.ImportReport())
    with pytest.raises(imports.ImportFailure) as caught:
        for record in reading.read_records(path, "json"):
            writer.add(record)
        writer.finish()
    return first, caught.value.errors


def _dispute_without_a_note(document):
    claim = document["claims"][1]
    claim["annotations"][0].update(verdict="dispute", note=" ")
    claim["status"], claim["tally"] = "disputed", {"agree": 0, "dispute": 1, "needs_context": 0}
    return "claims[1].annotations[0].note: Say why you dispute it."


def _lower_bound_above_the_value(document):
    document["claims"][0]["figure"]["lower"] = "175100000001"
    return "claims[0].figure.lower: The lower bound is above the value."


def _value_without_a_unit(document):
    document["claims"][0]["figure"]["unit"] = ""
    return "claims[0].figure.unit: Give the unit of the figure."


@pytest.mark.parametrize(
    "spoil", [_dispute_without_a_note, _lower_bound_above_the_value, _value_without_a_unit]
)
def test_both_readings_of_an_import_refuse_a_bad_row_in_the_same_words(document, tmp_path, spoil):
    # The first reading checks each row with the builder the second saves it with.
    expected = spoil(document)
    path = write(tmp_path, document)
    wipe()

    assert refusal(path) == f"Nothing was imported from {path.name}.\n{expected}"
    first, second = refusals_of_both_readings(path)
    assert first == second == [expected]


# Hostile files: each is refused with the record, the field and the reason, and nothing saved.


def test_import_refuses_a_nul_in_a_source_text_naming_the_field(document, tmp_path):
    # PostgreSQL cannot store a NUL; SQLite would, so it must be refused on both alike.
    document["sources"][0]["text"] += "\x00"
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert "sources[0].text: holds a NUL character" in message


def test_import_refuses_a_lone_surrogate_in_a_verdict_note_naming_the_field(document, tmp_path):
    document["claims"][0]["annotations"][1]["note"] = "口徑\ud800不同"
    path = tmp_path / "claims.json"
    # json.dumps writes a lone surrogate as the \ud800 escape, as a broken exporter would.
    path.write_text(json.dumps(document), encoding="utf-8")
    wipe()

    message = refusal(path)

    assert "claims[0].annotations[1].note: holds a lone surrogate (\\ud800)" in message


def test_import_of_json_lines_names_the_line_of_a_nul(document, tmp_path):
    lines = "".join(ClaimExport(Claim.objects.reviewed()).jsonl_lines())
    path = tmp_path / "claims.jsonl"
    path.write_text(lines.replace("1751亿元", "1751\\u0000亿元", 1), encoding="utf-8")
    wipe()

    message = refusal(path)

    assert re.search(r"sources\[0\]\.text: holds a NUL character.*\(line 2\)", message)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_import_refuses_deep_nesting_in_a_claim_before_parsing_it(document, tmp_path):
    text = json.dumps(document, ensure_ascii=False).replace(
        '"topics": [', '"topics": [' + nested(200_000) + ",", 1
    )
    path = tmp_path / "claims.json"
    path.write_text(text, encoding="utf-8")
    wipe()

    message = refusal(path)

    assert "claims[0], line 1, column" in message
    assert "nested more than 20 levels deep" in message


def test_import_of_json_lines_refuses_deep_nesting(document, tmp_path):
    lines = "".join(ClaimExport(Claim.objects.reviewed()).jsonl_lines()).splitlines()
    lines.insert(3, '{"type": "claim", "deep": ' + nested(200_000) + "}")
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wipe()

    # The 21st opening bracket: the record's own brace, then twenty.
    assert "line 4, column 46: nested more than 20 levels deep" in refusal(path)


def test_import_refuses_a_number_of_a_hundred_thousand_digits(document, tmp_path):
    text = json.dumps(document, ensure_ascii=False).replace(
        '"start": ', '"start": ' + "9" * 100_000 + "0", 1
    )
    path = tmp_path / "claims.json"
    path.write_text(text, encoding="utf-8")
    wipe()

    message = refusal(path)

    assert "claims[0], line 1, column" in message
    assert "a number 100,00" in message and "characters long" in message


def test_import_of_json_lines_refuses_a_number_of_a_hundred_thousand_digits(document, tmp_path):
    lines = "".join(ClaimExport(Claim.objects.reviewed()).jsonl_lines())
    path = tmp_path / "claims.jsonl"
    path.write_text(lines.replace('"start":', '"start":' + "9" * 100_000, 1), encoding="utf-8")
    wipe()

    assert "line 3: a number 100,00" in refusal(path)


def test_import_refuses_a_file_over_the_size_limit_before_reading_it(document, tmp_path, settings):
    path = write(tmp_path, document)
    wipe()
    settings.HECHA_IMPORT_MAX_BYTES = path.stat().st_size - 1

    message = refusal(path)

    assert f"claims.json: {path.stat().st_size:,} bytes, more than the limit" in message
    assert "HECHA_IMPORT_MAX_BYTES" in message


def test_import_refuses_filters_too_large_for_a_header(document, tmp_path):
    document["filters"] = {f"key{number}": "x" for number in range(10_000)}
    path = write(tmp_path, document)
    wipe()

    message = refusal(path)

    assert "filters, line 1, column" in message
    assert "longer than the limit of 65,536 characters for a header field" in message


def test_import_refuses_filters_nested_deeply(document, tmp_path):
    filters = "{}"
    for _ in range(1000):
        filters = '{"k": ' + filters + "}"
    text = json.dumps(document, ensure_ascii=False).replace(
        '"filters": {}', '"filters": ' + filters
    )
    path = tmp_path / "claims.json"
    path.write_text(text, encoding="utf-8")
    wipe()

    assert "filters, line 1, column" in refusal(path)


# Reviewers: a name in a file is credited to an existing account only when the import says so.


def wipe_but_accounts():
    Verdict.objects.all().delete()
    CrossReference.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()


def test_import_credits_an_existing_account_only_when_named(document, tmp_path, reviewer):
    reviewer.is_superuser = True
    reviewer.save()
    path = write(tmp_path, document)
    wipe_but_accounts()

    out = run_import(path)

    imported = get_user_model().objects.get(username=f"{reviewer.username}-imported")
    assert not imported.is_active and not imported.has_usable_password()
    assert not Verdict.objects.filter(reviewer=reviewer).exists()
    assert Verdict.objects.filter(reviewer=imported).count() == 2
    assert f"new account '{reviewer.username}-imported' for reviewer '{reviewer.username}'" in out


def test_import_credits_the_account_named_with_credit_existing(
    document, tmp_path, reviewer, other_reviewer
):
    path = write(tmp_path, document)
    wipe_but_accounts()

    out = run_import(path, "--credit-existing", f"{reviewer.username}={other_reviewer.username}")

    # Rita's two verdicts go to the account named; Otto's own, not named, to a new account.
    assert sorted(
        Verdict.objects.filter(crossref=None).values_list("reviewer__username", "verdict")
    ) == [("otto", AGREE), ("otto", AGREE), ("otto-imported", DISPUTE)]
    assert "reviewers: 1 created" in out


def test_import_reads_the_reviewer_mapping_from_a_csv_file(document, tmp_path, reviewer):
    path = write(tmp_path, document)
    wipe_but_accounts()
    mapping = tmp_path / "reviewers.csv"
    mapping.write_text(f"{reviewer.username},{reviewer.username}\n", encoding="utf-8")

    run_import(path, "--reviewers", str(mapping))

    assert Verdict.objects.filter(reviewer=reviewer).count() == 2


def test_import_refuses_to_credit_an_account_that_does_not_exist(document, tmp_path):
    path = write(tmp_path, document)
    wipe()

    message = refusal(path, "--credit-existing", "rita=nobody")

    assert "--credit-existing: no account named 'nobody'" in message


def test_importing_twice_credits_the_same_new_accounts(document, tmp_path):
    path = write(tmp_path, document)
    wipe_but_accounts()
    run_import(path)
    before = rows()

    out = run_import(path)

    assert rows() == before
    assert "nothing changed" in out


def test_import_of_an_old_export_in_the_retired_unit_year_reads_years_as_periods(
    document, tmp_path
):
    first, second = document["claims"]
    first["figure"].update(
        as_written="2023", value="2023", lower=None, upper=None, hedge="", unit="year"
    )
    first["figure"].update(period_start=None, period_end=None)
    second["figure"] = {
        "as_written": "至少一年",
        "value": "1",
        "lower": "1",
        "upper": None,
        "hedge": "at_least",
        "unit": "year",
        "period_start": None,
        "period_end": None,
        "scope": "",
    }
    path = write(tmp_path, document)
    wipe()

    out = run_import(path)

    year = Claim.objects.get(public_id=first["id"])
    assert (year.value, year.unit, year.figure_text, year.period_start, year.period_end) == (
        None,
        "",
        "",
        2023,
        2023,
    )
    duration = Claim.objects.get(public_id=second["id"])
    assert (duration.value, duration.value_lower, duration.unit) == (1, 1, "other")
    assert 'claims[0].figure.unit: "year" is no longer a unit; read as the period 2023–2023' in out
    assert 'claims[1].figure.unit: "year" is no longer a unit; read as a duration' in out
