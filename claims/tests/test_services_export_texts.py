"""The texts the exports keep between runs (claims.services.export_texts).

What a user would notice: an export that reads kept texts writes the very bytes of one that
writes every record afresh, after any change to anything a record shows, whichever way the
change was made; a second refresh writes nothing; and a text read before a change committed
is never kept after it.
"""

import io
import json
import logging
import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import exports
from claims.exports_sql import TEXTS_WRITTEN
from claims.filters import ClaimFilterSet
from claims.models import Claim, ClaimExportText, CrossReference, Topic
from claims.services import (
    claim_retract,
    claim_update,
    crossref_create,
    crossref_update,
    export_texts,
    topic_update,
    verdict_create,
)
from claims.services.export_texts import (
    TextsKept,
    export_texts_keep_written,
    export_texts_refresh,
)
from claims.tests.test_exports import FIXED_TIME, exported, reference_text
from claims.tests.test_exports import varied_claims as varied_claims  # noqa: F401 (fixture)
from claims.tests.test_exports_read_ahead import (  # noqa: F401 (fixture)
    standard_topics as standard_topics,
)
from claims.tests.test_imports import document as document  # noqa: F401 (fixture)
from claims.tests.test_imports import run_import, wipe, write

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="export texts are kept on PostgreSQL only"
)


def assert_exports_as_written_afresh(queryset=None):
    queryset = Claim.objects.reviewed() if queryset is None else queryset
    for format in ("jsonl", "json"):
        assert exported(queryset, format) == reference_text(queryset, format), format


def fresh_bodies() -> int:
    return ClaimExportText.objects.filter(body__isnull=False).count()


def test_refresh_writes_nothing_and_the_export_is_the_same_without_postgresql(varied_claims):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite and other databases keep no texts")

    assert export_texts_refresh(claims=Claim.objects.reviewed()) == 0
    assert not ClaimExportText.objects.exists()
    assert_exports_as_written_afresh()


@postgres_only
def test_refresh_keeps_every_reviewed_claims_text_once(varied_claims):
    reviewed = Claim.objects.reviewed()

    first = export_texts_refresh(claims=reviewed, batch_size=3)
    again = export_texts_refresh(claims=reviewed)

    assert first == reviewed.count() > 5
    assert again == 0
    assert fresh_bodies() == reviewed.count()
    # Each live cross-reference is listed at each of its ends that is reviewed.
    ends = [
        end
        for ref in CrossReference.objects.all()
        for end in (ref.from_claim_id, ref.to_claim_id)
        if reviewed.filter(pk=end).exists()
    ]
    listing = ClaimExportText.objects.exclude(entries="").values_list("entries", flat=True)
    assert sum(entries.count("\n") + 1 for entries in listing) == len(ends) > 2


@postgres_only
@pytest.mark.parametrize("status", [None, "disputed"])
def test_export_from_kept_texts_writes_the_same_bytes(varied_claims, status):
    queryset = Claim.objects.reviewed()
    if status:
        queryset = queryset.filter(review_status=status)
    export_texts_refresh(claims=Claim.objects.reviewed())

    assert_exports_as_written_afresh(queryset)


@postgres_only
@pytest.mark.parametrize("format", ["jsonl", "json"])
@pytest.mark.parametrize(
    "filters",
    [{}, {"status": "disputed"}, {"q": "1751億"}],
    ids=["all", "status", "search in the other script"],
)
def test_kept_texts_list_cross_references_to_other_sources_as_the_selection_has_them(
    varied_claims, monkeypatch, filters, format
):
    # A source a group: every cross-reference between the two sources crosses groups, and
    # the filtered selections leave out one end of some.
    monkeypatch.setattr(exports, "SOURCES_PER_BATCH", 1)
    queryset = ClaimFilterSet(filters, queryset=Claim.objects.reviewed()).qs
    export_texts_refresh(claims=Claim.objects.reviewed())
    across = CrossReference.objects.exclude(from_claim__source=F("to_claim__source"))
    assert across.filter(from_claim__in=queryset, to_claim__in=queryset).exists()

    assert exported(queryset, format, filters) == reference_text(queryset, format, filters)


# Text that json escapes, and separators at a string's ends and inside it, where spacing a
# compact record by replacing its separators would change the string.
AWKWARD_TEXTS = [
    '他說"好",',
    ':開頭,{"結尾": [1, 2]}',
    'a\\":b\\',
    '},{"note":',
    "行\n分\t隔\u2028😀",
]


@postgres_only
def test_kept_texts_write_awkward_strings_as_json_does_in_both_forms(varied_claims):
    claims = list(Claim.objects.reviewed().order_by("pk")[: len(AWKWARD_TEXTS)])
    for claim, text in zip(claims, AWKWARD_TEXTS, strict=True):
        Claim.objects.filter(pk=claim.pk).update(summary=text, attributed_to=text[::-1])
        claim.verdicts.update(note=text)
    CrossReference.objects.update(note=AWKWARD_TEXTS[0])
    export_texts_refresh(claims=Claim.objects.reviewed())
    assert fresh_bodies() == Claim.objects.reviewed().count()

    assert_exports_as_written_afresh()


@postgres_only
def test_a_selection_that_joins_a_claim_more_than_once_exports_it_once(varied_claims):
    export_texts_refresh(claims=Claim.objects.reviewed())
    # A row for each of a claim's verdicts.
    queryset = Claim.objects.reviewed().filter(verdicts__note__startswith="")
    assert queryset.count() > queryset.distinct().count()

    text = exported(queryset, "jsonl")

    claims = [json.loads(line) for line in text.split("\n") if line.startswith('{"type":"claim"')]
    assert sorted(claim["id"] for claim in claims) == sorted(
        str(claim.public_id) for claim in Claim.objects.reviewed()
    )
    assert text == reference_text(Claim.objects.reviewed(), "jsonl")


@postgres_only
def test_export_reads_the_kept_texts(varied_claims):
    export_texts_refresh(claims=Claim.objects.reviewed())
    claim = Claim.objects.reviewed().order_by("pk").first()
    kept = ClaimExportText.objects.get(claim_id=claim.pk)
    # Written into the kept row directly, which no trigger watches: only an export that
    # takes the kept text shows it.
    ClaimExportText.objects.filter(pk=kept.pk).update(
        body=kept.body.replace('"quote":', '"quote":"KEPT",' + '"was":', 1)
    )

    assert '"quote":"KEPT","was":' in exported(Claim.objects.reviewed(), "jsonl")


def rename(user, name):
    user.username = name
    user.save(update_fields=["username"])


CHANGES = {
    "a verdict on a claim": lambda made, editor: verdict_create(
        claim=made[1], reviewer=editor, verdict="agree", note="複核"
    ),
    "a verdict on a cross-reference": lambda made, editor: verdict_create(
        crossref=CrossReference.objects.order_by("pk").first(),
        reviewer=editor,
        verdict="needs_context",
        note="口徑",
    ),
    "a claim's summary": lambda made, editor: claim_update(
        claim=made[1],
        user=editor,
        expected_version=Claim.objects.get(pk=made[1].pk).version,
        summary="新的摘要",
    ),
    "a claim's topics": lambda made, editor: claim_update(
        claim=made[1],
        user=editor,
        expected_version=Claim.objects.get(pk=made[1].pk).version,
        topics=["industry"],
    ),
    "a topic's slug": lambda made, editor: topic_update(
        topic=Topic.objects.get(slug="industry"), slug="ai-industry", name="AI industry"
    ),
    "a reviewer's username": lambda made, editor: rename(
        get_user_model().objects.get(username="otto"), "奧托"
    ),
    "a cross-reference's note": lambda made, editor: crossref_update(
        crossref=CrossReference.objects.order_by("pk").first(), user=editor, note="改過的說明"
    ),
    "a new cross-reference": lambda made, editor: crossref_create(
        user=editor, from_claim=made[3], to_claim=made[1], relation="supports", note="新"
    ),
    "a retracted claim": lambda made, editor: claim_retract(
        claim=made[2], user=editor, reason="重複"
    ),
    "an update() by hand": lambda made, editor: Claim.objects.filter(pk=made[1].pk).update(
        attributed_to="手改"
    ),
}


@postgres_only
@pytest.mark.parametrize("change", list(CHANGES))
def test_export_after_a_change_writes_what_it_would_write_afresh(varied_claims, editor, change):
    export_texts_refresh(claims=Claim.objects.reviewed())
    before = exported(Claim.objects.reviewed(), "jsonl")

    CHANGES[change](varied_claims, editor)

    after = exported(Claim.objects.reviewed(), "jsonl")
    assert after != before
    assert_exports_as_written_afresh()
    # And once the stale texts are written again.
    export_texts_refresh(claims=Claim.objects.reviewed())
    reviewed = Claim.objects.reviewed()
    kept = ClaimExportText.objects.filter(claim_id__in=reviewed.values("pk"), body__isnull=False)
    assert kept.count() == reviewed.count()
    assert exported(reviewed, "jsonl") == after


@postgres_only
def test_a_change_empties_the_texts_it_makes_stale_and_only_those(varied_claims, editor):
    export_texts_refresh(claims=Claim.objects.reviewed())
    fresh = fresh_bodies()

    verdict_create(claim=varied_claims[1], reviewer=editor, verdict="agree", note="")

    kept = ClaimExportText.objects.get(claim_id=varied_claims[1].pk)
    assert kept.body is None and kept.stamp >= 1
    assert fresh_bodies() == fresh - 1
    assert export_texts_refresh(claims=Claim.objects.reviewed()) == 1


@postgres_only
def test_deleting_a_claim_deletes_its_texts_and_empties_its_neighbours(varied_claims):
    export_texts_refresh(claims=Claim.objects.reviewed())
    claim = varied_claims[0]
    neighbours = {ref.to_claim_id for ref in CrossReference.objects.filter(from_claim=claim)}
    neighbours |= {ref.from_claim_id for ref in CrossReference.objects.filter(to_claim=claim)}
    assert neighbours

    for ref in CrossReference.all_objects.filter(Q(from_claim=claim) | Q(to_claim=claim)):
        ref.verdicts.all().delete()
        ref.delete()
    claim.verdicts.all().delete()
    claim.delete()

    assert not ClaimExportText.objects.filter(claim_id=claim.pk).exists()
    kept = ClaimExportText.objects.filter(claim_id__in=neighbours)
    assert set(kept.values_list("body", flat=True)) == {None}
    assert_exports_as_written_afresh()


def wait_for_a_lock_wait(timeout=10.0):
    """Wait until some other connection waits for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("no connection came to wait for the lock")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_text_read_before_a_change_committed_is_not_kept(standard_topics, varied_claims, editor):
    claim = varied_claims[1]
    # The claim's text is stale and committed so: a refresh will write it.
    verdict_create(claim=claim, reviewer=editor, verdict="agree", note="")
    changed, commit = threading.Event(), threading.Event()
    errors = []

    def change_and_wait():
        try:
            with transaction.atomic():
                Claim.objects.filter(pk=claim.pk).update(summary="改於寫入之間")
                changed.set()
                commit.wait(10)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    writer = threading.Thread(target=change_and_wait)
    writer.start()
    assert changed.wait(10)
    refresh = threading.Thread(
        target=lambda: (
            export_texts_refresh(claims=Claim.objects.filter(pk=claim.pk)),
            connections.close_all(),
        )
    )
    # The refresh reads the claim as it was, then waits on the writer's mark of it.
    refresh.start()
    wait_for_a_lock_wait()
    commit.set()
    writer.join(10)
    refresh.join(10)

    assert not errors
    assert ClaimExportText.objects.get(claim_id=claim.pk).body is None
    assert '"summary":"改於寫入之間"' in exported(Claim.objects.reviewed(), "jsonl")
    assert_exports_as_written_afresh()


@postgres_only
def test_an_update_of_what_no_record_shows_keeps_the_texts(varied_claims):
    export_texts_refresh(claims=Claim.objects.reviewed())
    fresh = fresh_bodies()

    # A rebuild of the search keys touches every claim and shows in no record.
    Claim.objects.update(search_key="rebuilt")

    assert fresh_bodies() == fresh
    assert export_texts_refresh(claims=Claim.objects.reviewed()) == 0
    assert_exports_as_written_afresh()


@postgres_only
def test_an_import_leaves_the_texts_of_its_claims_kept(
    document, tmp_path, django_capture_on_commit_callbacks
):
    path = write(tmp_path, document)
    wipe()
    assert not ClaimExportText.objects.filter(body__isnull=False).exists()

    # Written once the import commits (here, the test's transaction only pretends to).
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        run_import(path)

    assert len(after_commit) == 1

    reviewed = Claim.objects.reviewed()
    assert reviewed.count() == 2
    assert fresh_bodies() == 2
    assert export_texts_refresh(claims=reviewed) == 0
    assert_exports_as_written_afresh()


@postgres_only
def test_an_export_reading_texts_as_bytes_leaves_its_connection_decoding_text(varied_claims):
    export_texts_refresh(claims=Claim.objects.reviewed())
    # Inside the test's transaction the export reads on this very connection.
    assert_exports_as_written_afresh()

    title = Claim.objects.reviewed().values_list("source__title", flat=True).first()
    assert isinstance(title, str) and title


def exported_then_kept(queryset) -> tuple[bytes, int, int]:
    """Export `queryset` as JSON Lines; return the bytes, how many texts the export wrote
    afresh, and how many were kept after it."""
    export = exports.ClaimExport(queryset)
    export.exported_at = FIXED_TIME
    text = b"".join(export.jsonl_bytes())
    return text, export.counts[TEXTS_WRITTEN], export_texts_keep_written(export=export).written


@postgres_only
def test_an_export_keeps_after_it_the_texts_it_found_stale(varied_claims, editor):
    reviewed = Claim.objects.reviewed()
    export_texts_refresh(claims=reviewed)
    verdict_create(claim=varied_claims[1], reviewer=editor, verdict="agree", note="")

    text, written, kept = exported_then_kept(reviewed)

    assert text.decode() == reference_text(reviewed, "jsonl")
    assert written == kept == 1
    assert ClaimExportText.objects.get(claim_id=varied_claims[1].pk).body is not None
    again, written, kept = exported_then_kept(reviewed)
    assert (again, written, kept) == (text, 0, 0)


@postgres_only
def test_an_export_of_kept_texts_looks_for_no_stale_one_after_it(varied_claims):
    reviewed = Claim.objects.reviewed()
    export_texts_refresh(claims=reviewed)
    export = exports.ClaimExport(reviewed)
    b"".join(export.jsonl_bytes())

    with CaptureQueriesContext(connection) as queries:
        assert export_texts_keep_written(export=export) == TextsKept(written=0)
    assert len(queries) == 0


@postgres_only
def test_the_export_command_keeps_the_texts_of_its_first_export(varied_claims, tmp_path):
    # No text kept yet, as after an upgrade: the first export writes them all and keeps them.
    ClaimExportText.objects.all().delete()
    reviewed = Claim.objects.reviewed().count()
    messages = io.StringIO()

    for _ in range(2):
        call_command(
            "export_claims",
            format="jsonl",
            output=tmp_path / "claims.jsonl",
            verbosity=2,
            stdout=io.StringIO(),
            stderr=messages,
        )

    assert messages.getvalue().splitlines() == [
        f"Export texts written: {reviewed} claim(s).",
        "Export texts written: 0 claim(s).",
    ]
    assert fresh_bodies() == reviewed


@postgres_only
def test_a_json_document_export_reads_the_kept_texts_and_keeps_those_it_wrote(
    varied_claims, tmp_path
):
    ClaimExportText.objects.all().delete()
    reviewed = Claim.objects.reviewed()
    messages = io.StringIO()
    texts = []

    for number in range(2):
        output = tmp_path / f"claims-{number}.json"
        call_command(
            "export_claims", output=output, verbosity=2, stdout=io.StringIO(), stderr=messages
        )
        texts.append(output.read_text(encoding="utf-8"))

    assert messages.getvalue().splitlines() == [
        f"Export texts written: {reviewed.count()} claim(s).",
        "Export texts written: 0 claim(s).",
    ]
    assert fresh_bodies() == reviewed.count()
    # The second, spaced from the kept texts, is the first, written with them afresh.
    without_time = [re.sub(r'"exported_at": "[^"]*"', "", text) for text in texts]
    assert without_time[0] == without_time[1]
    assert json.loads(texts[1])["claims"] == exports.claims_export(reviewed)["claims"]


@postgres_only
def test_a_json_lines_download_keeps_the_texts_it_wrote(varied_claims, editor_client):
    ClaimExportText.objects.all().delete()
    reviewed = Claim.objects.reviewed().count()

    response = editor_client.get(reverse("claims:claim_export"), {"format": "jsonl"})
    lines = b"".join(response.streaming_content).decode().splitlines()

    assert json.loads(lines[-1])["counts"]["claims"] == reviewed
    assert fresh_bodies() == reviewed


NOT_KEPT_LOG = (
    "Export texts not kept after an export (the database went away); the next export writes them."
)
NOT_KEPT_WARNING = (
    "The export is whole, but the texts it wrote could not be kept for the next one "
    "(the database went away); the next export writes them again."
)


@postgres_only
def test_a_download_whose_texts_fail_to_be_kept_is_whole_and_logs_one_line(
    varied_claims, editor_client, batches_kept, caplog
):
    ClaimExportText.objects.all().delete()
    batches_kept.failing = 1

    with caplog.at_level(logging.WARNING, logger="claims.services.export_texts"):
        response = editor_client.get(reverse("claims:claim_export"), {"format": "jsonl"})
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert response.status_code == 200
    assert json.loads(lines[-1])["type"] == "end"
    assert [record.getMessage() for record in caplog.records] == [NOT_KEPT_LOG]
    assert fresh_bodies() == 0


@postgres_only
def test_the_export_command_whose_texts_fail_to_be_kept_writes_its_file_and_warns(
    varied_claims, batches_kept, tmp_path, caplog
):
    ClaimExportText.objects.all().delete()
    batches_kept.failing = 1
    output = tmp_path / "claims.jsonl"
    errors = io.StringIO()

    with caplog.at_level(logging.WARNING, logger="claims.services.export_texts"):
        call_command(
            "export_claims",
            format="jsonl",
            output=output,
            verbosity=2,
            stdout=io.StringIO(),
            stderr=errors,
        )

    last = json.loads(output.read_text(encoding="utf-8").splitlines()[-1])
    assert last["counts"]["claims"] == Claim.objects.reviewed().count()
    assert errors.getvalue().splitlines() == [NOT_KEPT_WARNING]
    assert [record.getMessage() for record in caplog.records] == [NOT_KEPT_LOG]
    assert fresh_bodies() == 0


class BatchesKept(list):
    """The batches of texts written, each with the name of the thread that wrote it."""

    failing: int | None = None  # the number of the batch that fails, if one does
    pause = 0.0  # seconds each batch takes longer

    def writers(self) -> set[str]:
        return {name for name, _ in self}


@pytest.fixture
def batches_kept(monkeypatch) -> BatchesKept:
    kept = BatchesKept()
    keep = export_texts._keep

    def keep_recorded(sql, batch):
        kept.append((threading.current_thread().name, batch))
        if len(kept) == kept.failing:
            raise OperationalError("the database went away")
        time.sleep(kept.pause)
        return keep(sql, batch)

    monkeypatch.setattr(export_texts, "_keep", keep_recorded)
    return kept


def writers_running() -> set[str]:
    return {thread.name for thread in threading.enumerate()} & {
        f"export-texts-{number}" for number in range(export_texts.WRITERS)
    }


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_texts_outside_a_transaction_are_written_by_connections_taking_turns(
    standard_topics, varied_claims, batches_kept
):
    batches_kept.pause = 0.01  # long enough for the other writer to take the next batch
    reviewed = Claim.objects.reviewed()

    written = export_texts_refresh(claims=reviewed, batch_size=1)

    assert written == reviewed.count() == len(batches_kept) == fresh_bodies()
    assert batches_kept.writers() == {"export-texts-0", "export-texts-1"}
    assert not writers_running()
    assert_exports_as_written_afresh()
    assert export_texts_refresh(claims=reviewed) == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_failure_while_writing_texts_is_raised_and_stops_every_writer(
    standard_topics, varied_claims, batches_kept
):
    batches_kept.failing = 3
    reviewed = Claim.objects.reviewed()
    assert reviewed.count() > 6

    with pytest.raises(OperationalError, match="the database went away"):
        export_texts_refresh(claims=reviewed, batch_size=1)

    assert not writers_running()
    # At most the batch the other writer had begun is written after the failure.
    assert len(batches_kept) <= 4
    assert fresh_bodies() <= 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_import_writes_its_texts_once_committed_on_connections_of_their_own(
    standard_topics, document, tmp_path, batches_kept
):
    path = write(tmp_path, document)
    wipe()

    run_import(path)

    assert fresh_bodies() == Claim.objects.reviewed().count() == 2
    # By the writers, outside the import's transaction: inside it they would see nothing.
    assert batches_kept and batches_kept.writers() <= {"export-texts-0", "export-texts-1"}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_texts_fail_is_kept_and_its_next_export_writes_them(
    standard_topics, document, tmp_path, batches_kept, caplog
):
    path = write(tmp_path, document)
    wipe()
    batches_kept.failing = 1

    with caplog.at_level(logging.WARNING):
        output = run_import(path)

    assert "Imported" in output
    told = (
        "Warning: the imported claims are saved, but their export texts could not be written "
        "(the database went away); the next JSON Lines export writes them"
    )
    assert told in output
    # One line, not a traceback under the import's success.
    assert [record.getMessage() for record in caplog.records] == [told.removeprefix("Warning: ")]
    assert not any(record.exc_info for record in caplog.records)
    assert Claim.objects.reviewed().count() == 2
    assert fresh_bodies() == 0
    assert_exports_as_written_afresh()
