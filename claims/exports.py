"""The public JSON shape of reviewed claims, version 1.0 (schema/claims-export.schema.json).

A document carries each source once, full text included, and the claims that refer to it by
key, so that importing it into an empty database rebuilds everything it names. Claims are
read in chunks, so an export runs in bounded memory however many claims it holds.

Everything is written in one canonical form (fixed key order, decimals without exponent or
trailing zeros, times in UTC, a fixed order of records) so that export, import and export
again give the same bytes apart from `exported_at`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime
import functools
import json
import queue
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import cycle, islice

import orjson
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, QuerySet, TextField, Value
from django.db.models.functions import Collate
from django.utils import timezone

from claims import exports_sql
from claims.exports_sql import (
    COMPACT,
    SPACED,
    ClaimLines,
    dumps_spaced,
    line_joiner,
    raw_text,
    source_chunks_sql,
)
from claims.interchange import Figure, datetime_text, decimal_text, source_record
from claims.models import Claim, CrossReference, Verdict
from core.arrays import among
from sources.models import Source, lacks_url_or_date

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = settings.BASE_DIR / "schema" / "claims-export.schema.json"
CHUNK_SIZE = 2_000
# Claims are read by their sources'; some ten claims a source make a batch of CHUNK_SIZE.
# Each batch costs the database some milliseconds of planning its queries, so larger batches
# are faster; but the batches in flight (being made, and READERS × READ_AHEAD made ahead)
# are all held in memory. At 150 sources a million-claim export peaks near 150 MiB (the
# JSON document's near 157), of which Django itself takes 135; 50,000 claims of
# 5,000-character articles near 187.
SOURCES_PER_BATCH = 150
SOURCE_ID_CHUNK_SIZE = 5_000
# Source texts can be long: fewer of them are read at a time.
SOURCE_CHUNK_SIZE = 100
FORMATS = ("json", "jsonl", "claimreview")
MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "claimreview": "application/ld+json; charset=utf-8",
}
FILE_EXTENSIONS = {"json": "json", "jsonl": "jsonl", "claimreview": "jsonld"}

# ClaimReview's rating of each review status: a value on a scale from WORST_RATING (the
# reviewers dispute the claim) to BEST_RATING (they agree it is accurate), and a name in
# English, as fact-check aggregators expect them. A claim that needs context sits between.
# The README's ClaimReview section documents this table.
BEST_RATING, WORST_RATING = 5, 1
RATINGS = {
    "agreed": (5, "Agreed"),
    "needs_context": (3, "Needs context"),
    "disputed": (1, "Disputed"),
}
RATING_NAMES = {status: name for status, (_value, name) in RATINGS.items()}
SCRIPT_LANGUAGES = {"hant": "zh-Hant", "hans": "zh-Hans", "mixed": "zh"}


def dumps_bytes(record) -> bytes:
    """Return a record as compact JSON in UTF-8, Chinese text as text, not \\u escapes.

    orjson writes what json.dumps(ensure_ascii=False, separators=(",", ":")) writes, byte
    for byte, some ten times as fast. A string it refuses (a lone surrogate) is left to
    json, which writes it as before, so that the failure is the same as ever.
    """
    try:
        return orjson.dumps(record)
    except orjson.JSONEncodeError:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"
        )


def dumps(record) -> str:
    """Return a record as compact JSON with Chinese text as text, not \\u escapes."""
    return dumps_bytes(record).decode("utf-8", "surrogatepass")


def filters_used(filterset) -> dict[str, str]:
    """Return the valid, non-empty parameters of a bound ClaimFilterSet as given.

    They are the claim list's own query string, so the same selection can be asked for again.
    `sort` is left out: an export always comes in its canonical order.
    """
    used = {}
    for name in filterset.form.fields:
        if name == "sort":
            continue
        value = filterset.data.get(name)
        if value not in (None, ""):
            used[name] = str(value)
    return used


def _bytewise(field: str):
    # Keys sort by their bytes on both databases, so that an export's order does not hang on
    # PostgreSQL's locale (which, for one, ignores hyphens) and survives a move between them.
    if connection.vendor == "postgresql":
        return Collate(F(field), "C")
    return F(field)


@contextmanager
def _snapshot() -> Iterator[str | None]:
    """Read everything in one snapshot of the database; yield its name when it can be shared.

    Sources are written before the claims that refer to them; one transaction (repeatable
    read on PostgreSQL) keeps a verdict given meanwhile from adding a claim whose source was
    not written. On PostgreSQL, when the export opens that transaction itself, it yields the
    name another connection can read the same snapshot by (pg_export_snapshot, used by
    `_read_ahead`); else None: inside a transaction that may have written, no other
    connection could see its rows.
    """
    if connection.in_atomic_block:
        yield None
        return
    with _reading_transaction():
        snapshot = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                _read_for_export(cursor)
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
        yield snapshot


@contextmanager
def _reading_transaction() -> Iterator[None]:
    """A transaction that only reads.

    SQLite's transactions take the write lock when they begin (config.settings'
    SQLITE_OPTIONS), which would keep every writer waiting while an export reads: this one
    begins DEFERRED, a reader alone, which writers in WAL mode go on beside.
    """
    if connection.vendor != "sqlite":
        with transaction.atomic():
            yield
        return
    connection.ensure_connection()  # which reads the configured mode
    mode, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
    try:
        with transaction.atomic():
            connection.transaction_mode = mode  # begun: the next transactions as configured
            yield
    finally:
        connection.transaction_mode = mode


def _read_for_export(cursor, snapshot: str | None = None) -> None:
    """Begin an export's reading transaction on PostgreSQL, in `snapshot` if given."""
    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    if snapshot is not None:
        if not _SNAPSHOT_NAME.fullmatch(snapshot):  # PostgreSQL's own name; never the user's
            raise ValueError(f"not a snapshot name: {snapshot!r}")
        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
    # Each batch looks up a few thousand ids by index. Told that random reads cost four
    # sequential ones (the default, for spinning disks) and free to start parallel workers,
    # the planner scanned whole tables instead, three times slower; these hold until the
    # transaction ends.
    cursor.execute("SET LOCAL random_page_cost = 1.1")
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


_SNAPSHOT_NAME = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")
# Readers of an export's claims, each on a connection of its own, and the groups each
# makes ahead of the one being written.
READERS = 2
READ_AHEAD = 1
# The readers' threads are named after what they read, numbered.
SOURCE_READERS, CLAIM_READERS = "export-sources", "export-claims"
_DONE = object()
# glibc's mallopt parameters (malloc.h), and the values an export sets.
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8
_ALLOCATOR_SETTINGS = ((_M_MMAP_THRESHOLD, 128 * 1024), (_M_ARENA_MAX, 2))


@functools.cache
def keep_freed_memory_returnable() -> None:
    """Have the C library give back the memory an export frees, where it can (glibc).

    The readers' rows and texts, a few megabytes a group, are made in their threads and let
    go in the writer's. By default glibc serves blocks that size from each thread's own heap
    once one has been freed (its mmap threshold rises to the largest block freed), and keeps
    what they free there, in pieces: the export's resident memory grew some 30 MiB more
    than it held alive. Blocks of 128 KiB and more are mapped and unmapped from the system
    instead, and two heaps serve every thread. Set once for the process; nothing where the
    C library has no mallopt.
    """
    library = ctypes.util.find_library("c")
    mallopt = getattr(ctypes.CDLL(library), "mallopt", None) if library else None
    if mallopt is not None:
        for parameter, value in _ALLOCATOR_SETTINGS:
            mallopt(parameter, value)


def _read_ahead(
    snapshot: str | None, parts: Callable[[int, int], Iterator], *, name: str
) -> Iterator:
    """Yield what `parts(part, READERS)` yield in turn, made ahead by readers when shared
    (`_reading_ahead`)."""
    with _reading_ahead(snapshot, parts, name=name) as items:
        yield from items


@contextmanager
def _reading_ahead(
    snapshot: str | None, parts: Callable[[int, int], Iterator], *, name: str
) -> Iterator[Iterator]:
    """Start the readers of what `parts(part, READERS)` yield; give their items in turn.

    `parts(part, count)` yields the items numbered `part` modulo `count`: the readers
    take turns, and the items come out in their order. An export's time goes to the
    database answering a group's queries and to Python writing the records; in one
    thread, each waits for the other. The readers read on connections of their own in the
    same snapshot, so that they read exactly the rows this transaction reads, while this
    thread writes the last ones. They start as the block begins, so that a block writing
    something else first finds the first items made. Without a snapshot to share (SQLite,
    or an export inside a caller's transaction), the items are read as they are taken.
    The readers stop when the block ends, whether or not every item was taken. They are
    the threads `name`-0, `name`-1…: the sources' and the claims' readers run together.
    """
    if snapshot is None:
        yield parts(0, 1)
        return
    keep_freed_memory_returnable()
    stop = threading.Event()
    made = [queue.Queue(maxsize=READ_AHEAD) for _ in range(READERS)]

    def put(part: int, item) -> bool:
        while not stop.is_set():
            try:
                made[part].put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read(part: int) -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    _read_for_export(cursor, snapshot)
                for item in parts(part, READERS):
                    if not put(part, item):
                        return
            put(part, _DONE)
        except BaseException as error:  # handed to the writing thread, which raises it
            put(part, error)
        finally:
            connection.close()

    def taken_in_turn() -> Iterator:
        # The first reader without a next item has read the last: the others have none.
        for part in cycle(range(READERS)):
            item = made[part].get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    readers = [
        threading.Thread(target=read, args=(part,), name=f"{name}-{part}", daemon=True)
        for part in range(READERS)
    ]
    for reader in readers:
        reader.start()
    try:
        yield taken_in_turn()
    finally:
        # The writing stopped (finished, failed or was closed): let the readers go too.
        stop.set()
        for reader in readers:
            reader.join()


def _line_joiner(*, spaced: bool) -> bytes:
    """line_joiner's, as bytes, as the database sends texts."""
    return line_joiner(spaced=spaced).encode()


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    """Yield lists of `size` items (the last one shorter) from any iterable, lazily."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _written_out(queryset: QuerySet) -> QuerySet:
    """Return the selection in a form that has SQL of its own.

    The export writes its selection into its own queries. A selection Django knows to be
    empty without asking the database (`none()`, a filter on none of the sources: Hong
    Kong sources in Simplified script, say) has none, and stopped an export after its
    first line; it becomes a condition that holds for no row.
    """
    try:
        queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return queryset.model._default_manager.order_by().filter(
            Value(False, output_field=BooleanField())
        )
    return queryset


class ClaimExport:
    """One export of the claims a queryset selects, read in chunks.

    `queryset` is the selection, usually ClaimFilterSet(...).qs over Claim.objects.reviewed();
    `filters` are the parameters that made it, recorded in the document. The counts fill in
    as the records are written, which is why they close the document.
    """

    def __init__(self, queryset: QuerySet, *, filters: dict[str, str] | None = None):
        self.queryset = _written_out(queryset.order_by())
        self.filters = dict(filters or {})
        self.exported_at = timezone.now()
        self.counts = Counter(sources=0, claims=0, annotations=0, cross_references=0)

    # Records

    def header(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "exported_at": datetime_text(self.exported_at),
            "filters": self.filters,
        }

    def counts_record(self) -> dict:
        return {
            name: self.counts[name]
            for name in ("sources", "claims", "annotations", "cross_references")
        }

    def sources(self) -> Iterator[dict]:
        """Yield the sources of the selected claims, each once, in key order."""
        sources = (
            Source.objects.filter(pk__in=self.queryset.values("source_id"))
            .order_by(_bytewise("key"))
            .values_list(*SOURCE_COLUMNS, named=True)
        )
        for source in sources.iterator(chunk_size=SOURCE_CHUNK_SIZE):
            self.counts["sources"] += 1
            yield source_record(source)

    def _source_texts(self, snapshot: str | None = None, *, spaced: bool) -> Iterator[bytes]:
        """Yield the sources' records in UTF-8, one a line, as _claim_texts writes claims.

        On PostgreSQL the database writes them (claims.exports_sql), a chunk at a time, and
        the readers of `snapshot` take turns at the chunks (`_read_ahead`): reading a
        source's compressed text costs the database some 15 µs, which two backends share.
        """
        if not _as_text():
            for record in self.sources():
                if spaced:
                    yield dumps_spaced(record).encode("utf-8")
                else:
                    yield _typed_lines(b'{"type":"source",', [record])
            return
        texts = _read_ahead(
            snapshot, partial(self._source_chunks, spaced=spaced), name=SOURCE_READERS
        )
        # The texts as the database sent them (`raw_text`).
        joiner = _line_joiner(spaced=spaced)
        for chunk in texts:
            self.counts["sources"] += len(chunk)
            yield joiner.join(chunk)

    def _source_chunks(self, part: int = 0, parts: int = 1, *, spaced: bool) -> Iterator[list]:
        """Yield the texts of the selected sources in key order, SOURCE_CHUNK_SIZE at a time,
        every chunk numbered `part` modulo `parts`.

        One query gives all of them, read through a server-side cursor a chunk at a time:
        asked for chunk by chunk, by the ids of each, a thousand queries spent longer
        being planned and answered one by one than the database took to write the texts.
        """
        ordered = self._selected_sources().annotate(byte_key=_bytewise("key"))
        sql, params = source_chunks_sql(
            ordered.values_list("pk", "byte_key"),
            separators=SPACED if spaced else COMPACT,
            kind=None if spaced else "source",
            size=SOURCE_CHUNK_SIZE,
            part=part,
            parts=parts,
        )
        texts = connection.chunked_cursor()
        try:
            # As bytes. A server-side cursor sends its rows as they were declared: as bytes
            # when declared under `raw_text`, which ends before any is yielded, so that the
            # connection is never left so meanwhile.
            with connection.cursor() as cursor, raw_text(cursor):
                texts.execute(sql, params)
            while True:
                rows = texts.fetchmany(SOURCE_CHUNK_SIZE)
                if len(rows) < SOURCE_CHUNK_SIZE:
                    # The last chunk. The cursor closes before it is handed on: closed
                    # later, by a writer that stopped there, it would be closed in a
                    # later transaction, where it no longer exists, and abort that one.
                    texts.close()
                    if rows:
                        yield [text for (text,) in rows]
                    return
                yield [text for (text,) in rows]
        finally:
            texts.close()

    def _ordered_claims(self) -> QuerySet:
        return Claim.objects.filter(pk__in=self.queryset.values("pk")).order_by(
            _bytewise("source__key"), "quote_start", "public_id"
        )

    def _selected_sources(self) -> QuerySet:
        return Source.objects.filter(pk__in=self.queryset.values("source_id")).order_by(
            _bytewise("key")
        )

    def claims(self) -> Iterator[dict]:
        """Yield the selected claims in order: source key, anchor start, public id.

        The sources are walked in key order, SOURCES_PER_BATCH at a time, and their
        selected claims read as plain values through the index on each claim's source, so
        that no query sorts every claim; each batch's topics, verdicts, cross-references
        and their verdicts come with one query each. The records are those that
        claims.interchange's `claim_record` makes of model instances (a test holds them to
        it, byte for byte), made here from the values directly.
        """
        for batch in self._claim_batches():
            yield from batch

    def _claim_batches(self) -> Iterator[list[dict]]:
        """Yield the records of claims() in lists, a batch of sources' claims at a time."""
        for rows, keys in self._source_groups(_claim_columns()):
            for batch in chunks(rows, _batch_size()):
                yield self._claim_records(batch, keys, self.counts)

    def _source_groups(
        self, columns: tuple, part: int = 0, parts: int = 1
    ) -> Iterator[tuple[list[tuple], dict[int, str]]]:
        """Yield the selected claims' `columns` in the export's order, a group of sources at a time.

        `columns` begin with the claim's key, public id, source and anchor start, which
        order them; each group comes with its sources' keys. Of `parts` readers, this one
        reads every group numbered `part` modulo `parts`.
        """
        for keys in self._source_keys(part, parts):
            yield self._group_claims(columns, keys), keys

    def _source_keys(self, part: int = 0, parts: int = 1) -> Iterator[dict[int, str]]:
        """Yield the selected sources' keys by their ids, in key order, SOURCES_PER_BATCH at
        a time: of `parts` readers, this one's, every group numbered `part` modulo `parts`."""
        sources = self._selected_sources().values_list("pk", "key")
        groups = chunks(sources.iterator(chunk_size=SOURCE_ID_CHUNK_SIZE), SOURCES_PER_BATCH)
        for number, group in enumerate(groups):
            if number % parts == part:
                yield dict(group)

    def _chosen_among(self, source_ids: list[int]) -> QuerySet:
        """Return the selected claims of these sources."""
        return self.queryset.filter(among("source_id", source_ids))

    def _group_claims(self, columns: tuple, keys: dict[int, str]) -> list[tuple]:
        """Return the `columns` of the selected claims of the sources `keys`, in order."""
        position = {pk: number for number, pk in enumerate(keys)}
        ids = list(keys)
        rows = list(
            Claim.objects.filter(
                among("source_id", ids), pk__in=self._chosen_among(ids).values("pk")
            )
            .order_by()
            .values_list(*columns)
        )
        # A uuid as text sorts as the uuid does: its hex digits, in order.
        rows.sort(key=lambda row: (position[row[2]], row[3], row[1]))
        return rows

    def _claim_records(
        self, batch: list[tuple], keys: dict[int, str], counts: Counter
    ) -> list[dict]:
        pks = [row[0] for row in batch]
        topics: dict[int, list[str]] = {}
        links = Claim.topics.through
        for claim_id, slug in links.objects.filter(among("claim_id", pks)).values_list(
            "claim_id", "topic__slug"
        ):
            topics.setdefault(claim_id, []).append(slug)
        verdicts = _verdict_records("claim_id", pks)

        in_batch = set(pks)
        # One query for each end, each through its index: asked for either end at once,
        # PostgreSQL scanned every cross-reference for every batch.
        found = {}
        for end in ("from_claim_id", "to_claim_id"):
            for row in (
                CrossReference.objects.filter(among(end, pks))
                .order_by()
                .values_list(*_crossref_columns())
            ):
                found[row[0]] = row
        refs = list(found.values())
        # Only references between claims of this document: an import could not rebuild a
        # reference to a claim it does not carry.
        selected = self._selected_among({row[1] for row in refs} | {row[2] for row in refs})
        # Read for every reference found, so that a batch costs the same queries whichever
        # of them it writes.
        ref_verdicts = _verdict_records("crossref_id", [row[0] for row in refs])
        refs = [row for row in refs if row[1] in selected and row[2] in selected]
        entries: dict[int, list[dict]] = {}
        for pk, from_id, to_id, from_public, to_public, *rest in refs:
            relation, note, status, agree, dispute, needs_context = rest
            annotations = ref_verdicts.get(pk, [])
            for claim_id, direction, other in (
                (from_id, "outgoing", to_public),
                (to_id, "incoming", from_public),
            ):
                if claim_id not in in_batch:
                    continue
                if direction == "outgoing":
                    # Each reference is counted once, at its origin.
                    counts["cross_references"] += 1
                    counts["annotations"] += len(annotations)
                entries.setdefault(claim_id, []).append(
                    {
                        "relation": relation,
                        "direction": direction,
                        "claim": str(other),
                        "note": note,
                        "status": status,
                        "tally": {
                            "agree": agree,
                            "dispute": dispute,
                            "needs_context": needs_context,
                        },
                        "annotations": annotations,
                    }
                )

        records = []
        for row in batch:
            (pk, public_id, source_id, start, quote, end, prefix, suffix, anchored) = row[:9]
            (summary, attributed_to, *figure, status, agree, dispute, needs_context) = row[9:]
            annotations = verdicts.get(pk, [])
            counts["claims"] += 1
            counts["annotations"] += len(annotations)
            listed = entries.get(pk, [])
            if len(listed) > 1:
                listed.sort(key=_entry_order)
            records.append(
                {
                    "id": str(public_id),
                    "source": keys[source_id],
                    "quote": quote,
                    "anchor": {"start": start, "end": end, "prefix": prefix, "suffix": suffix},
                    "anchored": anchored,
                    "summary": summary,
                    "attributed_to": attributed_to,
                    "topics": sorted(topics.get(pk, ())),
                    "figure": _figure_record(figure),
                    "status": status,
                    "tally": {"agree": agree, "dispute": dispute, "needs_context": needs_context},
                    "annotations": annotations,
                    "cross_references": listed,
                }
            )
        return records

    def _selected_among(self, pks: set[int]) -> set[int]:
        selected = set()
        for chunk in chunks(sorted(pks), _batch_size()):
            selected.update(self.queryset.filter(among("id", chunk)).values_list("pk", flat=True))
        return selected

    def _claim_texts(
        self, part: int = 0, parts: int = 1, *, spaced: bool
    ) -> Iterator[tuple[bytes, Counter]]:
        """Yield the claims' records in UTF-8, a group of sources at a time, with their counts.

        One record a line: compact and opened by their type as JSON Lines write them, or
        `spaced` as the JSON document's array holds them, indented. A group without claims
        gives an empty text. `part` and `parts` share the groups among readers
        (`_source_keys`). On PostgreSQL the database writes the records
        (`_database_claim_texts`); elsewhere Python, from the records claims() yields.
        """
        if _as_text():
            yield from self._database_claim_texts(part, parts, spaced=spaced)
            return
        joiner = _line_joiner(spaced=spaced)
        for rows, keys in self._source_groups(_claim_columns(), part, parts):
            counts = Counter()
            texts = []
            for batch in chunks(rows, _batch_size()):
                records = self._claim_records(batch, keys, counts)
                if spaced:
                    texts.append(
                        joiner.join(dumps_spaced(record).encode("utf-8") for record in records)
                    )
                else:
                    texts.append(_typed_lines(b'{"type":"claim",', records))
            yield joiner.join(texts), counts

    def _database_claim_texts(
        self, part: int = 0, parts: int = 1, *, spaced: bool
    ) -> Iterator[tuple[bytes, Counter]]:
        """Yield the claims' texts as `_claim_texts` does, written by PostgreSQL.

        One query a group of sources gives each source's lines (ClaimLines.write_sources),
        from the texts kept between exports, in UTF-8 as the database sent them
        (`raw_text`); the claims of a source whose texts are not all kept and fresh are
        written afresh, a batch at a time. The JSON document's come from their own kept
        texts, spaced as json spaces them.
        """
        lines_of = ClaimLines(spaced=spaced)
        joiner = _line_joiner(spaced=spaced)
        columns = _claim_columns()[:4]
        with connection.cursor() as cursor:
            for keys in self._source_keys(part, parts):
                counts = Counter()
                written, stale = lines_of.write_sources(
                    cursor,
                    chosen=self._chosen_among(list(keys)),
                    selection=self.queryset,
                    counts=counts,
                )
                if stale:  # only where texts are kept: those written afresh are whole
                    # In key order, as `keys` are, and with their keys.
                    stale_keys = {pk: key for pk, key in keys.items() if pk in stale}
                    rows = self._group_claims(columns, stale_keys)
                    lines: dict[int, list] = {}
                    for batch in chunks(rows, _batch_size()):
                        made = lines_of.write(cursor, batch, keys, self._selected_among, counts)
                        for row, line in zip(batch, made, strict=True):
                            lines.setdefault(row[2], []).append(line)
                    for pk, source_lines in lines.items():
                        written[pk] = joiner.join(source_lines)
                text = joiner.join([written[pk] for pk in keys if pk in written])
                yield text, counts

    def _counted(self, texts: Iterable[tuple[bytes, Counter]]) -> Iterator[bytes]:
        """Yield the texts, adding their counts to the export's as they come."""
        for text, counts in texts:
            self.counts.update(counts)
            yield text

    # Serialisations

    def json_bytes(self) -> Iterator[bytes]:
        """Yield the JSON document in UTF-8, in pieces, one record a line.

        Made as bytes throughout, as the JSON Lines are: on PostgreSQL the sources' texts
        as the database sent them, the claims' from the texts kept for JSON Lines, spaced.
        """

        def array(pieces: Iterable[bytes]) -> Iterator[bytes]:
            # One line per record rather than indented, which any JSON viewer does again; a
            # batch's records in one piece: a generator step and a write a record cost more
            # than the join.
            separator = b"\n    "
            for piece in pieces:
                if piece:
                    yield separator
                    yield piece
                    separator = b",\n    "
            yield b"\n  ]" if separator == b",\n    " else b"]"

        with (
            _snapshot() as snapshot,
            # Started now, the claims' readers make their first texts while the sources
            # are written.
            _reading_ahead(
                snapshot, partial(self._claim_texts, spaced=True), name=CLAIM_READERS
            ) as claim_texts,
        ):
            header = self.header()
            yield b"{\n"
            for name, value in header.items():
                yield f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n".encode()
            yield b'  "sources": ['
            yield from array(self._source_texts(snapshot, spaced=True))
            yield b',\n  "claims": ['
            yield from array(self._counted(claim_texts))
            yield f',\n  "counts": {json.dumps(self.counts_record())}\n}}\n'.encode()

    def json_chunks(self) -> Iterator[str]:
        """Yield the JSON document as text, for writers of text."""
        for chunk in self.json_bytes():
            yield chunk.decode("utf-8")

    def jsonl_bytes(self) -> Iterator[bytes]:
        """Yield the JSON Lines document in UTF-8: header, sources, claims, then an end line.

        The lines are made as bytes throughout; on PostgreSQL the sources' and claims'
        texts are the database's bytes, written as they came: decoding a million claims'
        gigabyte of text and encoding it again took a third of an export's time.
        """
        with (
            _snapshot() as snapshot,
            # Started now, the claims' readers make their first texts while the sources
            # are written.
            _reading_ahead(
                snapshot, partial(self._claim_texts, spaced=False), name=CLAIM_READERS
            ) as claim_texts,
        ):
            yield dumps_bytes({"type": "header", **self.header()}) + b"\n"
            # Each text, a megabyte and more, and its line's end apart: joined, every
            # byte of the export would be copied once more.
            for text in self._source_texts(snapshot, spaced=False):
                yield text
                yield b"\n"
            for text in self._counted(claim_texts):
                if text:
                    yield text
                    yield b"\n"
            yield dumps_bytes({"type": "end", "counts": self.counts_record()}) + b"\n"

    def jsonl_lines(self) -> Iterator[str]:
        """Yield the JSON Lines document as text, for writers of text."""
        for chunk in self.jsonl_bytes():
            yield chunk.decode("utf-8", "surrogatepass")

    def document(self) -> dict:
        """Return the whole document as a dict; for small selections and tests."""
        with _snapshot():
            document = self.header()
            document["sources"] = list(self.sources())
            document["claims"] = list(self.claims())
            document["counts"] = self.counts_record()
        return document

    def chunks_as(
        self, format: str, *, base_url: str = "", publisher: str = ""
    ) -> Iterator[bytes | str]:
        """Yield the export in `format` (one of FORMATS), in pieces: bytes for the JSON
        document and JSON Lines, text for ClaimReview, whose `base_url` and `publisher`
        are as claimreview_chunks takes them."""
        if format == "json":
            return self.json_bytes()
        if format == "jsonl":
            return self.jsonl_bytes()
        if format == "claimreview":
            return self.claimreview_chunks(base_url=base_url, publisher=publisher)
        raise ValueError(f"unknown export format {format!r}")

    def not_publishable(self) -> QuerySet:
        """Return the selected reviewed claims whose source lacks its URL or date.

        A ClaimReview without the article's address and date cannot be checked by its
        readers, so the ClaimReview export leaves these claims out and reports them.
        """
        # The selection itself, not claims whose id is in it: that read every claim of the
        # selection twice, once by its own conditions and once by its id.
        return (
            self.queryset.filter(retracted_at__isnull=True)
            .reviewed()
            .filter(lacks_url_or_date("source__"))
        )

    def claimreview_chunks(self, *, base_url: str, publisher: str) -> Iterator[str]:
        """Yield schema.org ClaimReview JSON-LD, one review per publishable reviewed claim.

        `base_url` is where this Hecha is published (each review's `url` is its claim's
        public page there, or its page for reviewers until it is published); `publisher`
        is the organisation that stands behind the reviews. Claims whose source lacks its
        URL or publication date are left out, and each is added to `self.skipped` with
        what its source lacks.
        """
        self.skipped: list[tuple[Claim, list[str]]] = []
        self.counts["not_publishable"] = 0
        base_url = base_url.rstrip("/")
        claims = self._ordered_claims().reviewed().select_related("source").defer("source__text")
        with _snapshot():
            yield '{\n  "@context": "https://schema.org",\n  "@graph": ['
            separator = "\n"
            for batch in chunks(claims.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
                verdicts: dict[int, list[Verdict]] = {}
                for verdict in Verdict.objects.filter(claim__in=batch).only(
                    "claim_id", "reviewer_id", "verdict", "note", "created_at"
                ):
                    verdicts.setdefault(verdict.claim_id, []).append(verdict)
                for claim in batch:
                    gaps = claim.source.publication_gaps
                    if gaps:
                        self.counts["not_publishable"] += 1
                        self.skipped.append((claim, gaps))
                        continue
                    self.counts["claims"] += 1
                    review = claim_review(
                        claim,
                        base_url=base_url,
                        publisher=publisher,
                        verdicts=verdicts.get(claim.pk, []),
                    )
                    yield separator + "    " + dumps_spaced(review)
                    separator = ",\n"
            yield "\n  ]\n}\n" if separator == ",\n" else "]\n}\n"


SOURCE_COLUMNS = (
    "key",
    "title",
    "outlet",
    "author",
    "published_on",
    "url",
    "script",
    "region",
    "text",
)
# A claim's columns in the order _claim_records unpacks them; the figure's are those of
# Figure.FIELD_NAMES, in its order.
CLAIM_COLUMNS = (
    "pk",
    "public_id",
    "source_id",
    "quote_start",
    "quote",
    "quote_end",
    "quote_prefix",
    "quote_suffix",
    "is_anchored",
    "summary",
    "attributed_to",
    *Figure.FIELD_NAMES.values(),
    "review_status",
    "agree_count",
    "dispute_count",
    "needs_context_count",
)
CROSSREF_COLUMNS = (
    "pk",
    "from_claim_id",
    "to_claim_id",
    "from_claim__public_id",
    "to_claim__public_id",
    "relation",
    "note",
    "review_status",
    "agree_count",
    "dispute_count",
    "needs_context_count",
)
_FIGURE_NAMES = tuple(Figure.FIELD_NAMES)
_DECIMAL_POSITIONS = tuple(_FIGURE_NAMES.index(name) for name in Figure.DECIMALS)
_DECIMAL_COLUMNS = tuple(Figure.FIELD_NAMES[name] for name in Figure.DECIMALS)


# Made into Python objects only to be printed again, uuids, decimals and times cost more to
# read than anything else in a record; PostgreSQL prints them in the records' own text
# instead. SQLite reads them as objects, which claims.interchange prints.


class _Text(Func):
    output_field = TextField()


class _DecimalText(_Text):
    template = exports_sql.decimal_sql("%(expressions)s")


class _TimeText(_Text):
    template = exports_sql.time_sql("%(expressions)s")


class _UuidText(_Text):
    template = "%(expressions)s::text"


def _as_text() -> bool:
    return connection.vendor == "postgresql"


def _claim_columns() -> tuple:
    """Return CLAIM_COLUMNS for values_list, uuids and decimals as text where they can be."""
    if not _as_text():
        return CLAIM_COLUMNS
    return tuple(
        _UuidText(F(name))
        if name == "public_id"
        else _DecimalText(F(name))
        if name in _DECIMAL_COLUMNS
        else name
        for name in CLAIM_COLUMNS
    )


def _crossref_columns() -> tuple:
    if not _as_text():
        return CROSSREF_COLUMNS
    return tuple(
        _UuidText(F(name)) if name.endswith("public_id") else name for name in CROSSREF_COLUMNS
    )


def _batch_size() -> int:
    # Elsewhere than on PostgreSQL ids go as a parameter each, two lists of them in one
    # query (a batch's cross-references, from and to); SQLite before 3.32 takes 999.
    limit = connection.features.max_query_params
    if connection.vendor == "postgresql" or limit is None:
        return CHUNK_SIZE
    return min(CHUNK_SIZE, limit // 2 - 1)


def _figure_record(values: list) -> dict | None:
    """Return Figure(...).record() for a claim's figure columns, in Figure.FIELD_NAMES order.

    Decimals read as text (_claim_columns) are already in decimal_text's form.
    """
    # Figure.is_empty: nothing given, not even a scope (counted, not looped over: this is
    # asked of every claim).
    if values.count(None) + values.count("") == len(values):
        return None
    for position in _DECIMAL_POSITIONS:
        value = values[position]
        if value is not None and type(value) is not str:
            values[position] = decimal_text(value)
    return dict(zip(_FIGURE_NAMES, values, strict=True))


def _verdict_records(target: str, pks: list[int]) -> dict[int, list[dict]]:
    """Return the verdict records on each of these claims or cross-references, in order.

    The order is verdict_records': time, then reviewer, then the order of recording.
    """
    found: dict[int, list[tuple]] = {}
    as_text = _as_text()
    for chunk in chunks(pks, _batch_size()):
        rows = Verdict.objects.filter(among(target, chunk))
        if as_text:
            # In the records' order already, the time as text: that text does not sort as
            # the time does (".5Z" before "Z").
            rows = rows.order_by(
                target, "created_at", Collate(F("reviewer__username"), "C"), "pk"
            ).values_list(
                target, _TimeText(F("created_at")), "reviewer__username", "verdict", "note"
            )
        else:
            rows = rows.order_by().values_list(
                target, "created_at", "reviewer__username", "pk", "verdict", "note"
            )
        for row in rows:
            found.setdefault(row[0], []).append(row)
    if as_text:
        return {
            pk: [
                {"reviewer": username, "verdict": verdict, "note": note, "at": at}
                for _, at, username, verdict, note in given
            ]
            for pk, given in found.items()
        }
    records = {}
    for pk, given in found.items():
        if len(given) > 1:
            given.sort(key=_verdict_order)
        records[pk] = [
            {"reviewer": username, "verdict": verdict, "note": note, "at": datetime_text(at)}
            for _, at, username, _, verdict, note in given
        ]
    return records


def _verdict_order(row: tuple) -> tuple:
    return row[1:4]


def _entry_order(entry: dict) -> tuple:
    return entry["claim"], entry["relation"], entry["direction"]


def _typed_lines(opening: bytes, records: list[dict]) -> bytes:
    """Return the JSON Lines of `records`, each opening with `opening`, one a line."""
    # {"type": ..., **record} without copying the record: its own opening brace replaced.
    return b"\n".join(opening + dumps_bytes(record)[1:] for record in records)


def current_verdicts(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """Return each reviewer's latest verdict among `verdicts`, oldest first.

    Only these count: a reviewer who disputed a claim and later agreed no longer disputes it.
    """
    latest: dict[int, Verdict] = {}
    for verdict in sorted(verdicts, key=lambda v: (v.created_at, v.pk)):
        latest[verdict.reviewer_id] = verdict
    return sorted(latest.values(), key=lambda v: (v.created_at, v.pk))


def review_reasons(claim: Claim, verdicts: Iterable[Verdict]) -> list[str]:
    """Return the reasons behind a claim's status: the notes of its current verdicts.

    A disputed claim gives the notes of the reviewers who dispute it now; a claim that
    needs context, the notes of those who say so. An agreed claim needs no reason.
    """
    kind = {
        "disputed": Verdict.Kind.DISPUTE,
        "needs_context": Verdict.Kind.NEEDS_CONTEXT,
    }.get(claim.review_status)
    if kind is None:
        return []
    notes = [v.note.strip() for v in current_verdicts(verdicts) if v.verdict == kind]
    return list(dict.fromkeys(note for note in notes if note))


def tally_sentence(claim: Claim) -> str:
    """Return how many reviewers stand where, in English: "2 reviewers agree; 1 disputes"."""
    counts = [
        (claim.agree_count, "agree", "agrees"),
        (claim.dispute_count, "dispute", "disputes"),
        (claim.needs_context_count, "say it needs context", "says it needs context"),
    ]
    return "; ".join(
        f"{count} reviewer{'s' if count != 1 else ''} {plural if count != 1 else singular}"
        for count, plural, singular in counts
        if count
    )


def review_url(claim: Claim, base_url: str) -> str:
    """Return where a claim's review is read: its public page once published."""
    path = claim.get_public_url() if claim.is_published else claim.get_absolute_url()
    return base_url.rstrip("/") + path


def claim_review(
    claim: Claim, *, base_url: str, publisher: str, verdicts: Iterable[Verdict]
) -> dict:
    """Return a claim's review as a schema.org ClaimReview.

    `verdicts` are the claim's verdicts, earlier ones included: the latest gives the
    review's date, and the current ones its explanation (see review_reasons).
    """
    verdicts = list(verdicts)
    source = claim.source
    appearance = {
        "@type": "CreativeWork",
        "headline": source.title,
        "publisher": {"@type": "Organization", "name": source.outlet},
        "inLanguage": SCRIPT_LANGUAGES[source.script],
    }
    if source.url:
        appearance["url"] = source.url
    if source.author:
        appearance["author"] = {"@type": "Person", "name": source.author}
    if source.published_on:
        appearance["datePublished"] = source.published_on.isoformat()
    # Whom the claim is by: the origin the article cites, else its author, else the outlet.
    if claim.attributed_to:
        claim_author = {"@type": "Organization", "name": claim.attributed_to}
    elif source.author:
        claim_author = {"@type": "Person", "name": source.author}
    else:
        claim_author = {"@type": "Organization", "name": source.outlet}
    item = {"@type": "Claim", "appearance": appearance, "author": claim_author}
    if source.published_on:
        item["datePublished"] = source.published_on.isoformat()
    # The reviewers' own words when they gave reasons, else how many stand where.
    reasons = review_reasons(claim, verdicts)
    explanation = "\n".join(reasons) if reasons else tally_sentence(claim) + "."
    value, name = RATINGS[claim.review_status]
    review = {
        "@type": "ClaimReview",
        "identifier": str(claim.public_id),
        "url": review_url(claim, base_url),
        "claimReviewed": claim.quote,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": name,
            "ratingExplanation": explanation,
        },
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": publisher},
    }
    if verdicts:
        reviewed_at = max(verdict.created_at for verdict in verdicts)
        review["datePublished"] = reviewed_at.astimezone(datetime.UTC).date().isoformat()
    if claim.summary:
        review["description"] = claim.summary
    return review


def claims_export(queryset: QuerySet, *, filters: dict[str, str] | None = None) -> dict:
    """Return the export document of the claims `queryset` selects, as a dict."""
    return ClaimExport(queryset, filters=filters).document()
