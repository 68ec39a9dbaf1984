"""Imports that write their rows straight into the tables (claims.imports.sink).

The rows an import writes must be the rows the services would have written; a file too
large to hold in memory must still be checked whole; and a failure while saving must leave
nothing behind.
"""

import copy
import datetime
import uuid

import pytest
from django.core.management import CommandError
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from claims.exports import claims_export
from claims.imports import ids, saving
from claims.imports.sink import TableSink
from claims.models import Claim, CrossReference, Topic, Verdict
from claims.services import crossref_create, verdict_create
from claims.tests.test_imports import (
    AGREE,
    AT,
    DISPUTE,
    refusal,
    rows,
    run_import,
    wipe,
    write,
)
from claims.tests.test_imports import document as document  # noqa: F401  (the fixture)
from compare.models import ClaimOrigin
from compare.services import origin_save

HistoricalTopics = Claim.history.model.historicalclaim_topics_set.rel.related_model


def many_claims(document, count: int) -> dict:
    """Return the document with `count` more claims like its second, each with its own id."""
    document = copy.deepcopy(document)
    template = document["claims"][1]
    for _ in range(count):
        claim = {**copy.deepcopy(template), "id": str(uuid.uuid4()), "cross_references": []}
        document["claims"].append(claim)
        document["counts"]["claims"] += 1
        document["counts"]["annotations"] += len(claim["annotations"])
    return document


def refuse_a_write(monkeypatch, model, *, at: int, error: Exception) -> list[int]:
    """Have the sink raise `error` at its `at`-th write of `model`'s rows, as a database
    refusing a row would; return the sizes of the batches of them it was given."""
    write_rows = TableSink.write
    written = []

    def write_or_refuse(self, written_model, rows):
        if written_model is model:
            written.append(len(rows))
            if len(written) == at:
                raise error
        write_rows(self, written_model, rows)

    monkeypatch.setattr(TableSink, "write", write_or_refuse)
    return written


def test_a_large_file_imports_in_many_batches_and_exports_the_same(document, tmp_path, monkeypatch):
    monkeypatch.setattr(saving, "BATCH_SIZE", 40)
    monkeypatch.setattr(ids, "FLUSH_EVERY", 25)
    large = many_claims(document, 300)
    path = write(tmp_path, large)
    wipe()

    out = run_import(path)

    assert "claims: 302 created" in out
    assert Claim.objects.count() == 302
    assert Verdict.objects.filter(claim__isnull=False).count() == 2 + 300 + 1
    exported = claims_export(Claim.objects.reviewed())["claims"]
    assert sorted(exported, key=lambda c: c["id"]) == sorted(large["claims"], key=lambda c: c["id"])


def test_a_first_load_looks_for_none_of_its_claims_and_a_second_finds_them_all(
    document, tmp_path, monkeypatch
):
    monkeypatch.setattr(saving, "BATCH_SIZE", 40)
    path = write(tmp_path, many_claims(document, 100))
    wipe()
    Claim.all_objects.all().delete()

    with CaptureQueriesContext(connection) as first:
        run_import(path)
    with CaptureQueriesContext(connection) as second:
        out = run_import(path)

    def claims_looked_for(queries) -> int:
        # The lookup of a batch's claims reads whole rows; the cross-references' ends, ids.
        return sum(
            '"claims_claim"."public_id" IN' in query["sql"]
            and '"claims_claim"."quote"' in query["sql"]
            for query in queries
        )

    assert claims_looked_for(first.captured_queries) == 0
    assert claims_looked_for(second.captured_queries) == 3
    assert "claims: 0 created, 102 already there" in out


def test_a_duplicate_id_far_from_its_first_claim_is_refused_naming_both(
    document, tmp_path, monkeypatch
):
    # The ids are kept in a table, written a few at a time: the two claims are far apart.
    monkeypatch.setattr(ids, "FLUSH_EVERY", 25)
    large = many_claims(document, 300)
    first = large["claims"][0]["id"]
    large["claims"][-1]["id"] = first
    path = write(tmp_path, large)
    wipe()

    message = refusal(path)

    assert f"claims[301].id: {first} is also claims[0]'s id" in message


def test_an_import_that_fails_while_saving_leaves_nothing_behind(document, tmp_path, monkeypatch):
    # One claim per batch: the first claims, their topics, history and verdicts are
    # written before the database refuses a later row.
    monkeypatch.setattr(saving, "BATCH_SIZE", 1)
    written = refuse_a_write(monkeypatch, Verdict, at=2, error=DatabaseError("the disk is full"))
    path = write(tmp_path, document)
    wipe()
    before = (rows(), HistoricalTopics.objects.count(), ClaimOrigin.objects.count())
    topics = set(Topic.objects.values_list("slug", flat=True))

    with pytest.raises((DatabaseError, CommandError)):
        run_import(path)

    assert written == [2, 1]  # the first claim's verdicts were written, then rolled back
    assert (rows(), HistoricalTopics.objects.count(), ClaimOrigin.objects.count()) == before
    assert set(Topic.objects.values_list("slug", flat=True)) == topics


def _claim_as_saved(claim: Claim) -> dict:
    """Return what a claim's rows say, leaving out keys and times that differ by nature."""
    claim.refresh_from_db()
    entry = claim.history.first()  # claim_create records the topics in an entry of their own
    tracked = [field.attname for field in Claim.history.model.tracked_fields]
    leave_out = {"id", "source_id", "created_at"}
    return {
        "tally": (
            claim.review_status,
            claim.agree_count,
            claim.dispute_count,
            claim.needs_context_count,
            claim.last_verdict_at,
        ),
        "search_key": claim.search_key,
        "source_published_on": claim.source_published_on,
        "created_by": claim.created_by.username,
        "history": (
            entry.history_user.username,
            entry.history_change_reason or "",
            {name: getattr(entry, name) for name in tracked if name not in leave_out},
            sorted(link.topic.slug for link in entry.topics.all()),
        ),
        "verdicts": sorted(
            (v.reviewer.username, v.verdict, v.note, v.search_key, v.created_at)
            for v in claim.verdicts.all()
        ),
        "origin": list(
            ClaimOrigin.objects.filter(claim=claim).values_list("origin__name", "attributed_to")
        ),
    }


def _crossref_as_saved(crossref: CrossReference) -> dict:
    crossref.refresh_from_db()
    (entry,) = crossref.history.all()
    return {
        "tally": (
            crossref.review_status,
            crossref.agree_count,
            crossref.dispute_count,
            crossref.needs_context_count,
            crossref.last_verdict_at,
        ),
        "search_key": crossref.search_key,
        "history": (
            entry.history_type,
            entry.history_user.username,
            entry.relation,
            entry.note,
            entry.created_by.username,
        ),
        "verdicts": sorted(
            (v.reviewer.username, v.verdict, v.note, v.search_key, v.created_at)
            for v in crossref.verdicts.all()
        ),
    }


def test_an_imported_claim_has_the_rows_the_services_gave_it(
    make_source, make_claim, reviewer, other_reviewer, editor, tmp_path
):
    origin_save(user=editor, name="Allen Institute", aliases="艾倫研究所")
    source = make_source(key="report-2025", script="hant")
    claim = make_claim(
        source=source,
        quote="1751亿元",
        topics=["industry", "investment"],
        attributed_to="艾倫研究所",
        summary="  AI industry size ",
    )
    other = make_claim(source=source, quote="860亿美元", value=None, figure_text="", unit="")
    later = AT + datetime.timedelta(hours=1)
    # Rita changes her mind: only her latest verdict counts; Otto asks for context.
    verdict_create(
        claim=claim, reviewer=reviewer, verdict=DISPUTE, note=" 口徑不同 ", created_at=AT
    )
    verdict_create(claim=claim, reviewer=reviewer, verdict=AGREE, created_at=later)
    verdict_create(claim=claim, reviewer=other_reviewer, verdict="needs_context", created_at=AT)
    verdict_create(claim=other, reviewer=reviewer, verdict=AGREE, created_at=AT)
    crossref = crossref_create(
        user=claim.created_by, from_claim=claim, to_claim=other, relation="supports", note=" 同 "
    )
    verdict_create(crossref=crossref, reviewer=other_reviewer, verdict=AGREE, created_at=later)
    made = _claim_as_saved(claim), _crossref_as_saved(crossref)
    assert made[0]["tally"][:4] == ("needs_context", 1, 0, 1)
    assert made[0]["origin"] == [("Allen Institute", "艾倫研究所")]
    document = claims_export(Claim.objects.reviewed())
    path = write(tmp_path, document)
    wipe()

    run_import(path, "--user", claim.created_by.username)

    imported = Claim.objects.get(public_id=claim.public_id)
    assert _claim_as_saved(imported) == made[0]
    # One entry, the creation, with its topics, as claim_create records a new claim's.
    assert [entry.history_type for entry in imported.history.all()] == ["+"]
    assert _crossref_as_saved(CrossReference.objects.get()) == made[1]


def test_cross_references_listed_only_under_their_first_claim_are_saved_at_the_end(
    document, tmp_path, monkeypatch
):
    # Each listing names a claim further on, not saved yet: it waits, kept on disk, until
    # the last claim is in. Ten of them, one batch of claims and one of waiting at a time.
    monkeypatch.setattr(saving, "BATCH_SIZE", 1)
    large = many_claims(document, 10)
    entry = large["claims"][0]["cross_references"][0]
    large["claims"][1]["cross_references"] = []
    for later in large["claims"][2:]:
        large["claims"][0]["cross_references"].append({**entry, "claim": later["id"]})
    large["counts"]["cross_references"] += 10
    large["counts"]["annotations"] += 10 * len(entry["annotations"])
    path = write(tmp_path, large)
    wipe()

    out = run_import(path)

    assert "cross-references: 11 created" in out
    first = Claim.objects.get(public_id=large["claims"][0]["id"])
    others = [
        crossref.to_claim if crossref.from_claim == first else crossref.from_claim
        for crossref in CrossReference.objects.all()
    ]
    assert sorted(str(other.public_id) for other in others) == sorted(
        claim["id"] for claim in large["claims"][1:]
    )
