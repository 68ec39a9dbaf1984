"""An export reads its batches ahead on a second connection in the same snapshot (PostgreSQL).

Most of these tests commit their rows: a second connection sees nothing a test transaction
has not committed, which is also why an export inside a caller's transaction reads its
batches itself.
"""

import importlib
import threading
import time

import pytest
from django.db import connection

from claims import exports
from claims.exports import ClaimExport
from claims.models import Claim, Topic
from claims.tests.test_exports import exported, reference_text
from claims.tests.test_exports import varied_claims as varied_claims  # noqa: F401  (fixture)

SOURCE_READERS, CLAIM_READERS = (
    {f"{name}-{part}" for part in range(exports.READERS)}
    for name in (exports.SOURCE_READERS, exports.CLAIM_READERS)
)
committed = pytest.mark.django_db(transaction=True)


def readers_running() -> set[str]:
    return (SOURCE_READERS | CLAIM_READERS) & {thread.name for thread in threading.enumerate()}


@pytest.fixture
def standard_topics(db):
    """The topics a new database has, which the seeds file claims under.

    A test that commits its rows leaves the tables empty behind it, topics included.
    """
    migration = importlib.import_module("claims.migrations.0002_standard_topics")
    for slug, name in migration.STANDARD_TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})


@pytest.fixture
def small_batches(monkeypatch):
    # A few claims a batch, so that the reader is several batches ahead and waits for room.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    monkeypatch.setattr(exports, "SOURCES_PER_BATCH", 2)
    monkeypatch.setattr(exports, "SOURCE_CHUNK_SIZE", 1)


@pytest.fixture
def batch_threads(monkeypatch):
    """Record the name of the thread that reads each group of sources' claims."""
    names = []
    read = ClaimExport._source_keys

    def read_where(self, part=0, parts=1):
        for group in read(self, part, parts):
            names.append(threading.current_thread().name)
            yield group

    monkeypatch.setattr(ClaimExport, "_source_keys", read_where)
    return names


@committed
@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_an_export_read_ahead_writes_the_same_bytes(
    standard_topics, varied_claims, small_batches, batch_threads, format
):
    queryset = Claim.objects.reviewed()

    text = exported(queryset, format)

    assert text == reference_text(queryset, format)
    assert len(batch_threads) > 3
    if connection.vendor == "postgresql":
        # The readers take turns, group by group; the text keeps the groups' order.
        assert set(batch_threads) == CLAIM_READERS
    else:
        assert set(batch_threads) == {threading.current_thread().name}


@committed
@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_the_sources_are_read_ahead_in_turn_and_written_in_key_order(
    standard_topics, varied_claims, small_batches, monkeypatch, format
):
    names = []
    read = ClaimExport._source_chunks

    def read_where(self, part=0, parts=1, *, spaced):
        for chunk in read(self, part, parts, spaced=spaced):
            names.append(threading.current_thread().name)
            yield chunk

    monkeypatch.setattr(ClaimExport, "_source_chunks", read_where)
    queryset = Claim.objects.reviewed()

    text = exported(queryset, format)

    assert text == reference_text(queryset, format)
    if connection.vendor == "postgresql":
        assert set(names) == SOURCE_READERS and len(names) > 3
    else:
        assert names == []  # written by Python from the sources' rows


def test_an_export_inside_a_transaction_reads_its_batches_itself(
    varied_claims, small_batches, batch_threads
):
    # The test's own transaction holds the rows: no other connection could see them.
    text = exported(Claim.objects.reviewed(), "jsonl")

    assert text == reference_text(Claim.objects.reviewed(), "jsonl")
    assert set(batch_threads) == {threading.current_thread().name}


@committed
@pytest.mark.skipif(connection.vendor != "postgresql", reason="read ahead on PostgreSQL only")
def test_a_failure_while_reading_ahead_reaches_the_export_and_stops_the_reader(
    standard_topics, varied_claims, small_batches, monkeypatch
):
    read = ClaimExport._source_keys
    made = []  # by every reader

    def fail_the_third(self, part=0, parts=1):
        for group in read(self, part, parts):
            made.append(group)
            if len(made) == 3:
                raise RuntimeError("the database went away")
            yield group

    monkeypatch.setattr(ClaimExport, "_source_keys", fail_the_third)

    with pytest.raises(RuntimeError, match="the database went away"):
        exported(Claim.objects.reviewed(), "jsonl")

    assert not readers_running()


@committed
@pytest.mark.skipif(connection.vendor != "postgresql", reason="read ahead on PostgreSQL only")
@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_the_claims_are_read_while_the_header_and_sources_are_written(
    standard_topics, varied_claims, small_batches, batch_threads, format
):
    export = ClaimExport(Claim.objects.reviewed())
    chunks = export.jsonl_bytes() if format == "jsonl" else export.json_chunks()

    next(chunks)  # the header's first piece; no claim asked for yet
    waited = 0.0
    while not batch_threads and waited < 5:
        time.sleep(0.05)
        waited += 0.05

    assert batch_threads and set(batch_threads) <= CLAIM_READERS
    chunks.close()
    assert not readers_running()


@committed
@pytest.mark.skipif(connection.vendor != "postgresql", reason="read ahead on PostgreSQL only")
def test_an_export_closed_halfway_stops_its_reader(standard_topics, varied_claims, small_batches):
    lines = ClaimExport(Claim.objects.reviewed()).jsonl_lines()
    while '"type":"claim"' not in next(lines):  # the header, the sources, then claims
        pass
    # The sources' readers are done; the claims' read on.
    assert readers_running() == CLAIM_READERS

    lines.close()

    assert not readers_running()
    assert not connection.in_atomic_block  # the snapshot's transaction has ended


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side cursors on PostgreSQL")
def test_the_sources_cursor_is_closed_once_their_last_lines_are_handed_on(varied_claims):
    # Read in the test's transaction, by this connection. A writer that stops after the
    # sources would leave their cursor to be closed whenever the generator is collected,
    # maybe in a later transaction, where closing a cursor gone with the first one fails.
    chunks = ClaimExport(Claim.objects.reviewed()).jsonl_bytes()
    assert next(chunks).startswith(b'{"type":"header"')

    sources = next(chunks)

    assert sources.startswith(b'{"type":"source"')
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone() == (0,)
    chunks.close()
