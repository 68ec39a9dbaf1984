"""The second reading of an import: save what the first reading found sound (or, in an
archive's first load, save first what the first reading then checks: first_load.py).

Claims are read BATCH_SIZE at a time. A new claim becomes a plain row (claim_values, as
claim_build makes one), is checked again as the first reading checked it, so that the two
cannot disagree, and is written with the batch's other new rows through the sink (COPY on
PostgreSQL): claims, their topic links, one history entry each with its topics, their
verdicts, their origin links; each new claim's or cross-reference's tally is counted from
its own verdicts (tally_of_new) and written with its row. The database's constraints hold
on top.

An import adds and never edits: a source already in the database (by key, else by URL) or
a claim already there (by public id) is kept as it is, with a warning when the document
differs; only the verdicts and cross-references it lacks are added, verdicts on what was
there already through verdicts_bulk_create, which counts the tallies again.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import Counter
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exports import chunks
from claims.imports.checking import Checker
from claims.imports.document import annotation_key, pair_key, refusals
from claims.imports.folding import FOLD_APART_FROM, FoldingAhead
from claims.imports.indexes import indexes_set_aside, worth_setting_aside
from claims.imports.reading import Record
from claims.imports.report import ImportFailure, ImportReport
from claims.imports.scratch import packed, unpacked
from claims.imports.sink import TableSink, keyed
from claims.interchange import (
    RECORD_PATHS,
    Figure,
    anchor_of,
    claim_fields,
    crossref_identity,
    verdict_fields,
)
from claims.models import Claim, CrossReference, Topic, Verdict
from claims.search import claim_search_key, note_search_key
from claims.services import (
    topic_create,
    verdict_build,
    verdicts_bulk_create,
)
from claims.services.claims import TRIMMED_FIELDS, claim_anchor, claim_check, claim_values
from claims.services.crossrefs import crossref_check
from claims.services.export_texts import export_texts_refresh
from claims.services.verdicts import tally_of_new, verdict_check, verdict_values
from compare.models import ClaimOrigin, Origin
from compare.services import claim_origin_links
from core.search_keys import field_key
from sources.anchors import anchor_at, reanchor
from sources.models import Source
from sources.services import source_build

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# An import that adds at least this many claims refreshes the planner's statistics.
ANALYZE_AFTER = 1_000


@dataclass(frozen=True)
class _ListedCrossref:
    """A cross-reference as listed under one of its claims."""

    where: str
    line: int | None
    claim_id: str  # the claim it is listed under
    entry: dict


class Writer:
    """Save the records of a checked document, batch by batch."""

    def __init__(
        self,
        checker: Checker,
        *,
        user,
        report: ImportReport,
        credit: dict | None = None,
        fold_apart: bool | None = None,
    ):
        """Save the document `checker` read (or, in a first load, is reading: first_load.py).

        `fold_apart` says whether a helper process folds the claims' long fields for search;
        by default, when the document holds FOLD_APART_FROM claims or more.
        """
        self.checker = checker
        self.user = user
        self.report = report
        # A reviewer's name in the document -> the existing account the import was told to
        # credit with their verdicts.
        self.credit = credit or {}
        self.reviewers: dict[str, Any] = {}  # a reviewer's name -> the account credited
        self.accounts_named: dict[str, Any] = {}  # a name -> the account of that username
        # The key in the database of each source saved by this import or found there is kept
        # beside its plan (checking.Checker.scratch, column pk).
        self.scratch = checker.scratch
        self.unsaved_sources: dict[str, None] = {}  # keys, in document order
        self.topics = {topic.slug: topic for topic in Topic.objects.all()}
        for slug, where in checker.new_topics.items():
            self.topic(slug, where)
        # The cross-references saved or found, and those listed under a claim whose other
        # claim comes later in the file, by pair (document.pair_key), in the scratch file.
        self.scratch.execute("CREATE TABLE crossref_done (pair TEXT PRIMARY KEY)")
        self.scratch.execute(
            "CREATE TABLE crossref_waiting (pair TEXT PRIMARY KEY, listed BLOB NOT NULL)"
        )
        # The first key given to a claim of this import: any claim below it was there before.
        self.first_new_claim: int | None = None
        # Into a database without claims (an archive's first load) none of the document's
        # can be there already: the query a batch that looks for them is left out.
        self.claims_before = Claim.all_objects.exists()
        self.batch: list[tuple[str, int | None, dict]] = []
        # The batch read before, saved once the next is read and its long fields are being
        # folded for search beside it (folding.py): its texts and that folding's handle.
        self.pending: tuple[list, list[str], Any] | None = None
        if fold_apart is None:
            fold_apart = checker.actual["claims"] >= FOLD_APART_FROM
        self.folding = FoldingAhead(apart=fold_apart)
        self.sink = TableSink()
        # One time for the rows of one import, as one save would give them.
        self.now = timezone.now()
        # Short fields repeat (cited origins, titles, notes): folded for search once each.
        self.fold = lru_cache(maxsize=4096)(field_key)
        self.origins = list(Origin.objects.all())
        self.matched_origins: dict = {}

    def add(self, record: Record) -> None:
        if record.kind == "source":
            # Whatever was read before a record is saved before it, as it is read.
            self.save_pending()
            self.add_source(record.data)
        elif record.kind == "claim":
            self.batch.append((f"claims[{record.index}]", record.line, record.data))
            if len(self.batch) >= BATCH_SIZE:
                self.hand_on()

    def hand_on(self) -> None:
        """Start folding the batch read for search, then save the one before it."""
        batch, self.batch = self.batch, []
        texts = [
            text
            for _where, _line, data in batch
            for text in (data["quote"], data["summary"].strip())
        ]
        started = self.folding.start(texts)
        self.save_pending()
        self.pending = (batch, texts, started)

    def save_pending(self) -> None:
        if self.pending is not None:
            (batch, texts, started), self.pending = self.pending, None
            self.save_claims(batch, folded=self.folding.folded(started, texts))

    def close(self) -> None:
        """Stop the helper that folds texts, if one was started."""
        self.folding.close()

    def finish(self) -> None:
        self.save_pending()
        batch, self.batch = self.batch, []
        self.save_claims(batch)
        self.save_sources()  # those no claim quotes
        # Those still waiting: both their claims are saved by now.
        (last,) = self.scratch.one("SELECT COALESCE(MAX(rowid), 0) FROM crossref_waiting")
        done = 0
        while True:
            rows = self.scratch.execute(
                "SELECT rowid, listed FROM crossref_waiting WHERE rowid > ? AND rowid <= ?"
                " ORDER BY rowid LIMIT ?",
                [done, last, BATCH_SIZE],
            ).fetchall()
            if not rows:
                break
            done = rows[-1][0]
            self.scratch.execute("DELETE FROM crossref_waiting WHERE rowid <= ?", [done])
            self.save_crossrefs([unpacked(listed) for _, listed in rows])
        left = self.scratch.one("SELECT listed FROM crossref_waiting LIMIT 1")
        if left is not None:  # cannot happen after the checks; refuse rather than drop
            listed = unpacked(left[0])
            raise ImportFailure(
                [f"{listed.where}.claim: " + _("no claim %(id)s") % {"id": listed.entry["claim"]}]
            )

    def failure(self, where: str, error: ValidationError, line: int | None) -> ImportFailure:
        """Return the refusal of a record, in the words the first reading uses."""

        def numbered(reason: str) -> str:
            if self.checker.format == "jsonl" and line:
                return _("%(message)s (line %(line)d)") % {"message": reason, "line": line}
            return reason

        return ImportFailure(
            [f"{path}: {numbered(reason)}" for path, reason in refusals(where, error)]
        )

    # Sources

    def source_pks(self, keys) -> dict[str, int]:
        """Return the keys in the database of those of these sources saved or found so far."""
        pks = {}
        for chunk in chunks(keys, 500):
            pks.update(
                self.scratch.execute(
                    f"SELECT key, pk FROM source WHERE pk IS NOT NULL"
                    f" AND key IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return pks

    def keep_source_pks(self, pks: dict[str, int]) -> None:
        self.scratch.executemany(
            "UPDATE source SET pk = ? WHERE key = ?", [(pk, key) for key, pk in pks.items()]
        )

    def add_source(self, data: dict) -> None:
        key = data["key"]
        if self.checker.plan(key).existing_pk is not None:
            self.report.counts[("source", "existing")] += 1
            return
        self.report.counts[("source", "created")] += 1
        if not self.source_pks([key]):  # else a claim earlier in the file needed it saved
            self.unsaved_sources[key] = None
            if len(self.unsaved_sources) >= BATCH_SIZE:
                self.save_sources()

    def save_sources(self) -> None:
        keys, self.unsaved_sources = list(self.unsaved_sources), {}
        built = []
        for key in keys:
            plan = self.checker.plan(key)
            try:
                built.append(
                    source_build(
                        user=self.user, text=self.checker.texts.document(key), **plan.fields
                    )
                )
            except ValidationError as error:  # the first reading checked the same
                raise self.failure(f"sources[{plan.index}]", error, None) from None
        # Written as source_create writes them, through the sink.
        rows = [
            {
                **{
                    field.attname: getattr(source, field.attname)
                    for field in Source._meta.concrete_fields
                    if not field.primary_key
                },
                "created_at": self.now,
                "updated_at": self.now,
            }
            for source in built
        ]
        keyed(self.sink.reserve(Source, len(rows)), rows)
        self.sink.write(Source, rows)
        self.sink.write_history(Source, rows, user_id=self.user.pk, at=self.now)
        self.keep_source_pks({row["key"]: row["id"] for row in rows})

    def load_sources(self, keys: set[str]) -> dict[str, Source]:
        """Return the sources with these keys, saving those not saved yet.

        They carry what claims need of them: pk, title and the text to stand in.
        """
        pks = self.source_pks(sorted(keys))
        found = {}
        for key in keys - set(pks):
            plan = self.checker.plan(key)
            if plan.existing_pk is None:
                self.unsaved_sources[key] = None
            else:
                found[key] = plan.existing_pk
        self.keep_source_pks(found)
        pks.update(found)
        if self.unsaved_sources.keys() & keys:
            self.save_sources()
            pks = self.source_pks(sorted(keys))
        stored = {
            pk: (title, published_on)
            for pk, title, published_on in Source.objects.filter(
                pk__in=[pks[key] for key in keys]
            ).values_list("pk", "title", "published_on")
        }
        return {
            key: Source(
                pk=pks[key],
                key=key,
                title=stored[pks[key]][0],
                published_on=stored[pks[key]][1],
                text=self.checker.texts.stored(key),
            )
            for key in keys
        }

    # Claims

    def save_claims(self, batch: list, *, folded: dict[str, str] | None = None) -> None:
        """Save a batch of claim records; `folded` holds texts' keys folded already."""
        if not batch:
            return
        found = {}
        if self.claims_before:
            found = {
                str(claim.public_id): claim
                for claim in Claim.objects.filter(
                    public_id__in=[data["id"] for _, _, data in batch]
                ).prefetch_related("topics")
            }
        sources = self.load_sources({data["source"] for _, _, data in batch})
        new = []
        for where, _line, data in batch:
            claim = found.get(data["id"])
            if claim is None:
                row = self.claim_row(data, sources[data["source"]], folded=folded or {})
                try:  # as the first reading checked it: the two cannot disagree
                    claim_check(row)
                except ValidationError as error:
                    raise self.failure(where, error, _line) from None
                new.append((row, data, where, _line))
                self.report.counts[("claim", "created")] += 1
            else:
                self.report.counts[("claim", "existing")] += 1
                self.compare(where, claim, data, sources[data["source"]].pk)
        self.write_claims(new)

        # Claims that were there already may lack some of the verdicts listed.
        self.save_annotations(
            "claim",
            [
                (where, line, data["annotations"], found[data["id"]])
                for where, line, data in batch
                if data["id"] in found
            ],
            present_on=[claim.pk for claim in found.values()],
        )
        self.save_crossrefs(
            [
                _ListedCrossref(f"{where}.cross_references[{position}]", line, data["id"], entry)
                for where, line, data in batch
                for position, entry in enumerate(data["cross_references"])
            ]
        )

    def claim_row(self, data: dict, source: Source, *, folded: dict[str, str]) -> dict:
        """Return a new claim's row, as claim_build makes it, from its checked record.

        `folded` holds the search keys of texts folded already (its quote's, say).
        """
        fields = claim_fields(data)
        values = claim_values(created_by_id=self.user.pk, **fields)
        if fields["lost_anchor"] is not None:
            claim_anchor(values, fields["lost_anchor"], anchored=False)
        elif self.checker.texts.differs(data["source"]):
            # The database's copy of the source reads differently (it was corrected):
            # the claim takes its place in that copy, as after a correction. The first
            # reading made sure it has one.
            start = reanchor(
                source.text,
                quote=data["quote"],
                prefix=data["anchor"]["prefix"],
                suffix=data["anchor"]["suffix"],
                start=fields["start"],
            ).start
            claim_anchor(values, anchor_at(source.text, values["quote"], start))
        else:
            # The first reading found the quote, prefix and suffix at this place in the text.
            claim_anchor(values, anchor_of(data))
        values["source_id"] = source.pk
        values["source_published_on"] = source.published_on
        values["search_key"] = claim_search_key(
            values,
            title=source.title,
            fold=lambda text: folded.get(text) or self.fold(text),
            fold_lead=lambda text: folded.get(text) or field_key(text),
        )
        values["created_at"] = values["updated_at"] = self.now
        return values

    def write_claims(self, new: list[tuple[dict, dict, str, int | None]]) -> None:
        """Save new claims with their topics, verdicts, tallies, history and origin links.

        The rows are what claim_create and verdict_create would write for them, written
        through the sink (COPY on PostgreSQL): one statement per table per batch.
        """
        if not new:
            return
        rows = keyed(self.sink.reserve(Claim, len(new)), [item[0] for item in new])
        if self.first_new_claim is None:
            self.first_new_claim = rows[0]["id"]
        verdicts = []
        for row, data, where, line in new:
            given = self.verdict_rows(where, line, data["annotations"], claim_id=row["id"])
            row.update(tally_of_new(given))
            verdicts += given
        self.sink.write(Claim, rows)

        Link = Claim.topics.through
        links = [
            {"claim_id": row["id"], "topic_id": self.topic(slug, where).pk}
            for row, data, where, _line in new
            for slug in data["topics"]
        ]
        keyed(self.sink.reserve(Link, len(links)), links)
        self.sink.write(Link, links)
        # One history entry for each claim, its topics beside it, as claim_create records
        # them.
        entries = dict(
            zip(
                (row["id"] for row in rows),
                self.sink.write_history(Claim, rows, user_id=self.user.pk, at=self.now),
                strict=True,
            )
        )
        HistoricalTopics = historical_topics_model()
        self.sink.write(
            HistoricalTopics,
            [
                {**link, "m2m_history_id": key, "history_id": entries[link["claim_id"]]}
                for key, link in zip(
                    self.sink.reserve(HistoricalTopics, len(links)), links, strict=True
                )
            ],
        )

        self.write_verdicts(verdicts)
        # Linked to their cited origins in the same transaction, as claim_create links them.
        self.sink.write(
            ClaimOrigin,
            [
                {"claim_id": pk, "origin_id": origin_id, "attributed_to": text}
                for pk, origin_id, text in claim_origin_links(
                    ((row["id"], row["attributed_to"]) for row in rows),
                    self.origins,
                    self.matched_origins,
                )
            ],
        )

    def topic(self, slug: str, where: str) -> Topic:
        """Return the topic with this slug, named at `where`, creating it if there is none.

        The document's new topics are created before anything is read again, when its
        reading came first; a first load, checked after its writing, creates each as it
        is first named.
        """
        topic = self.topics.get(slug)
        if topic is None:
            try:
                topic = self.topics[slug] = topic_create(slug=slug, name=slug)
            except ValidationError as error:
                raise self.failure(f"{where}.topics", error, None) from None
            self.report.counts[("topic", "created")] += 1
        return topic

    def verdict_rows(self, where: str, line: int | None, annotations: list[dict], **target):
        """Return the rows of the verdicts listed under a new claim or cross-reference at
        `where`, as verdict_build makes and checks them; `target` is claim_id or crossref_id.
        """
        self.load_reviewers({annotation["reviewer"] for annotation in annotations})
        rows = []
        for position, annotation in enumerate(annotations):
            row = verdict_values(**verdict_fields(annotation))
            try:
                verdict_check(row)
            except ValidationError as error:
                raise self.failure(f"{where}.annotations[{position}]", error, line) from None
            row["search_key"] = note_search_key(row["note"], fold=self.fold)
            row["reviewer_id"] = self.reviewer(annotation["reviewer"]).pk
            row["claim_id"], row["crossref_id"] = target.get("claim_id"), target.get("crossref_id")
            rows.append(row)
        self.report.counts[("annotation", "created")] += len(rows)
        return rows

    def write_verdicts(self, rows: list[dict]) -> None:
        # In the order listed, so that two verdicts given at the same instant are counted in
        # that order, as an import through verdicts_bulk_create recorded them.
        self.sink.write(Verdict, keyed(self.sink.reserve(Verdict, len(rows)), rows))

    def compare(self, where: str, claim: Claim, data: dict, source_pk: int) -> None:
        fields = claim_fields(data)
        given = {"source": source_pk, "topics": sorted(data["topics"])}
        stored = {
            "source": claim.source_id,
            "topics": sorted(topic.slug for topic in claim.topics.all()),
        }
        for name in ("quote", "summary", "attributed_to", *Figure.FIELD_NAMES.values()):
            # Compared as claim_build would keep them.
            given[name] = fields[name].strip() if name in TRIMMED_FIELDS else fields[name]
            stored[name] = getattr(claim, name)
        different = [RECORD_PATHS.get(name, name) for name in given if given[name] != stored[name]]
        if different:
            self.report.warn(
                _(
                    "%(where)s (%(id)s): already in the database with a different %(names)s; "
                    "the database's version is kept"
                )
                % {"where": where, "id": data["id"], "names": ", ".join(different)}
            )

    # Verdicts

    def load_reviewers(self, names: set[str]) -> None:
        """Look up, in one query, the accounts that hold the names of these reviewers."""
        missing = names - set(self.reviewers) - set(self.accounts_named)
        if missing:
            found = get_user_model().objects.filter(username__in=missing)
            self.accounts_named.update({name: None for name in missing})
            self.accounts_named.update({user.username: user for user in found})

    def reviewer(self, name: str):
        """Return the account credited with the verdicts of the reviewer `name`.

        A name in a file proves nothing about who gave a verdict: an existing account is
        credited only when the import names it (`credit`), or when an earlier import made it
        (inactive, no password), so that importing a file again changes nothing. Anyone else
        gets a new inactive account, under their name or, when that is an existing account's,
        `<name>-imported`; the report lists it. Accounts are made only for verdicts saved.
        """
        if name in self.reviewers:
            return self.reviewers[name]
        if name in self.credit:
            user = self.credit[name]
        else:
            self.load_reviewers({name})
            user = self.accounts_named[name]
            if user is None:
                user = self.new_account(name, name)
            elif not _made_by_an_import(user):
                user = self.imported_account(name)
        self.reviewers[name] = user
        return user

    def present_key(self, pk: int, annotation: dict, present: Counter) -> tuple:
        """Return the key under which a verdict stands in `present` if it is there already.

        A verdict saved by an earlier import of the file may be credited to the account named
        for its reviewer, or to their `-imported` account.
        """
        name, *rest = annotation_key(annotation)
        credited = self.credit.get(name)
        for username in (name, credited and credited.username, f"{name[:125]}-imported"):
            if username and present[(pk, username, *rest)]:
                return (pk, username, *rest)
        return (pk, name, *rest)

    def imported_account(self, name: str):
        """Return this import's account for a reviewer whose name an existing account holds."""
        User = get_user_model()
        # Room for the suffix within the 150 characters of a username.
        base = f"{name[:125]}-imported"
        for number in range(1, 1000):
            username = base if number == 1 else f"{base}-{number}"
            user = User.objects.filter(username=username).first()
            if user is None:
                return self.new_account(username, name)
            if _made_by_an_import(user):
                return user
        raise ImportFailure(
            [_("reviewer %(name)r: no free account name for an imported reviewer") % {"name": name}]
        )

    def new_account(self, username: str, name: str):
        # Verdicts keep their author; someone known only from a document gets an account
        # that cannot log in until an admin gives it a password.
        user = get_user_model()(username=username, is_active=False)
        user.set_unusable_password()
        user.save()
        self.report.counts[("reviewer", "created")] += 1
        self.report.new_reviewers.append((name, username))
        return user

    def save_annotations(self, target: str, listed: list[tuple], *, present_on: list[int]) -> None:
        """Save the verdicts listed under claims or cross-references that are not there yet.

        `listed` holds (where, line, annotations, claim or cross-reference); `present_on`
        are the pks of those that were in the database already and may have some of them.
        """
        present = Counter()
        for chunk in chunks(present_on, BATCH_SIZE):
            rows = Verdict.objects.filter(**{f"{target}__in": chunk}).values_list(
                f"{target}_id", "reviewer__username", "verdict", "note", "created_at"
            )
            present.update(
                (target_id, reviewer, verdict, note, created_at.astimezone(datetime.UTC))
                for target_id, reviewer, verdict, note, created_at in rows
            )
        self.load_reviewers(
            {
                annotation["reviewer"]
                for _, _, annotations, _ in listed
                for annotation in annotations
            }
        )
        annotations = []
        for where, line, given, obj in listed:
            for position, annotation in enumerate(given):
                key = self.present_key(obj.pk, annotation, present)
                if present[key]:
                    present[key] -= 1
                    self.report.counts[("annotation", "existing")] += 1
                    continue
                try:
                    annotations.append(
                        verdict_build(
                            reviewer=self.reviewer(annotation["reviewer"]),
                            **verdict_fields(annotation),
                            **{target: obj},
                        )
                    )
                except ValidationError as error:
                    raise self.failure(f"{where}.annotations[{position}]", error, line) from None
                self.report.counts[("annotation", "created")] += 1
        verdicts_bulk_create(verdicts=annotations)

    # Cross-references

    def save_crossrefs(self, listed: list[_ListedCrossref]) -> None:
        """Save the cross-references listed here whose two claims are both saved by now."""
        # The claims at both ends, saved by this import or there before, by their public ids.
        named = sorted({c for item in listed for c in (item.claim_id, item.entry["claim"])})
        claim_pks = {}
        for chunk in chunks(named, BATCH_SIZE):
            claim_pks.update(
                (str(public_id), pk)
                for pk, public_id in Claim.objects.filter(public_id__in=chunk).values_list(
                    "pk", "public_id"
                )
            )

        ready = []
        for item in listed:
            identity = crossref_identity(item.claim_id, item.entry)
            from_pk, to_pk = claim_pks.get(identity[0]), claim_pks.get(identity[1])
            pair = pair_key(identity)
            if from_pk is None or to_pk is None:
                self.scratch.execute(
                    "INSERT OR IGNORE INTO crossref_waiting (pair, listed) VALUES (?, ?)",
                    [pair, packed(item)],
                )
                continue
            self.scratch.execute("DELETE FROM crossref_waiting WHERE pair = ?", [pair])
            if self.scratch.execute(
                "INSERT OR IGNORE INTO crossref_done (pair) VALUES (?)", [pair]
            ).rowcount:
                key = (min(from_pk, to_pk), max(from_pk, to_pk), identity[2])
                ready.append((item, identity, from_pk, to_pk, key))

        # Only two claims that were both in the database before may carry it already.
        old = {
            pk
            for _, _, from_pk, to_pk, _ in ready
            if not self.saved_here(from_pk) and not self.saved_here(to_pk)
            for pk in (from_pk, to_pk)
        }
        existing = {}
        for chunk in chunks(sorted(old), BATCH_SIZE):
            for crossref in CrossReference.objects.filter(
                from_claim_id__in=chunk, to_claim_id__in=old
            ):
                low, high = sorted((crossref.from_claim_id, crossref.to_claim_id))
                existing[(low, high, crossref.relation)] = crossref

        new, listed = [], []
        for item, identity, from_pk, to_pk, key in ready:
            crossref = existing.get(key)
            if crossref is None:
                row = {
                    "from_claim_id": from_pk,
                    "to_claim_id": to_pk,
                    "relation": identity[2],
                    "note": item.entry["note"].strip(),
                }
                try:  # as the first reading checked it
                    crossref_check(
                        {"relation": row["relation"], "note": row["note"]}, ends=(from_pk, to_pk)
                    )
                except ValidationError as error:
                    raise self.failure(item.where, error, item.line) from None
                new.append((row, item))
                self.report.counts[("crossref", "created")] += 1
            else:
                self.report.counts[("crossref", "existing")] += 1
                if crossref.note != item.entry["note"].strip():
                    self.report.warn(
                        _(
                            "cross-reference %(from)s %(relation)s %(to)s: already in the "
                            "database with a different note; the database's note is kept"
                        )
                        % {"from": identity[0], "relation": identity[2], "to": identity[1]}
                    )
                listed.append((item.where, item.line, item.entry["annotations"], crossref))
        self.write_crossrefs(new)
        self.save_annotations(
            "crossref", listed, present_on=[crossref.pk for crossref in existing.values()]
        )

    def saved_here(self, claim_pk: int) -> bool:
        """Say whether this import saved the claim with this key: keys are given in order."""
        return self.first_new_claim is not None and claim_pk >= self.first_new_claim

    def write_crossrefs(self, new: list[tuple[dict, _ListedCrossref]]) -> None:
        """Save new cross-references with their verdicts, tallies and history entries.

        The rows crossref_create and verdict_create would write for them.
        """
        if not new:
            return
        rows = keyed(self.sink.reserve(CrossReference, len(new)), [row for row, _item in new])
        verdicts = []
        for row, item in new:
            row["search_key"] = note_search_key(row["note"], fold=self.fold)
            row["created_by_id"] = self.user.pk
            row["created_at"] = row["updated_at"] = self.now
            given = self.verdict_rows(
                item.where, item.line, item.entry["annotations"], crossref_id=row["id"]
            )
            row.update(tally_of_new(given))
            verdicts += given
        self.sink.write(CrossReference, rows)
        self.sink.write_history(CrossReference, rows, user_id=self.user.pk, at=self.now)
        self.write_verdicts(verdicts)


def historical_topics_model() -> type:
    """Return the model of the topics a claim's history entry records beside it."""
    return Claim.history.model.historicalclaim_topics_set.rel.related_model


def written_models() -> list[type]:
    """Return the models whose tables the second reading writes new rows into."""
    tracked = [Source, Claim, CrossReference]
    return [
        *tracked,
        Claim.topics.through,
        Verdict,
        ClaimOrigin,
        *(model.history.model for model in tracked),
        historical_topics_model(),
    ]


def indexes_for(checker: Checker, *, rebuild: bool, progress=None) -> AbstractContextManager:
    """Return the context to save a checked document in: indexes set aside, if worth it.

    Worth it when the document brings more claims than the database holds, a first load
    of an archive say (claims.imports.indexes).
    """
    if not worth_setting_aside(Claim.all_objects.all(), adding=checker.actual["claims"]):
        return nullcontext([])
    return indexes_set_aside(written_models(), rebuild=rebuild, progress=progress)


def _made_by_an_import(user) -> bool:
    # An import's accounts are inactive and have no password; an admin who lets one log in
    # gives it a password, and from then on it is credited only when named.
    return not user.is_active and not user.has_usable_password()


def tell_saved(progress, report: ImportReport, told: int, every: int) -> int:
    """Tell of every `every` claims saved since `told` were; return how many are saved.

    The writer saves a batch once the next is read (Writer.hand_on): what is told is what
    is saved, not what is read.
    """
    saved = report.counts[("claim", "created")] + report.counts[("claim", "existing")]
    if progress:
        for count in range(told - told % every + every, saved + 1, every):
            progress(f"saved {count} claims")
    return saved


def after_saving(report: ImportReport, progress) -> None:
    """What follows the saving of a document, in its transaction: the planner's statistics
    refreshed after a large import, and the export texts written once it is committed."""
    if report.counts[("claim", "created")] >= ANALYZE_AFTER:
        started = time.perf_counter()
        refresh_statistics()
        if progress:
            progress(f"statistics: {time.perf_counter() - started:.1f} s")
    if report.counts[("claim", "created")]:
        # Once committed, by the outermost transaction (the command's, say): on
        # connections of their own, which see the claims only then, and with the import's
        # locks let go. A failure there loses nothing: the next export writes the texts
        # itself and keeps them.
        transaction.on_commit(lambda: write_export_texts(report, progress), robust=True)


def write_export_texts(report: ImportReport, progress) -> None:
    """Write the reviewed claims' export texts, for the next JSON Lines export to read
    instead of writing them (some 15 s a million claims).

    The import is saved by then: a database failing here is told in one line, among the
    report's warnings when the import's own commit ran this (the command's), and logged.
    """
    try:
        written = export_texts_refresh(claims=Claim.objects.reviewed())
    except DatabaseError as error:
        message = _(
            "the imported claims are saved, but their export texts could not be written "
            "(%(error)s); the next JSON Lines export writes them"
        ) % {"error": str(error).strip() or type(error).__name__}
        report.warn(message)
        logger.warning(message)
        return
    if progress and written:
        progress(f"wrote the export texts of {written} claims")


def refresh_statistics() -> None:
    """Have PostgreSQL measure again the tables an import fills.

    Its query planner chooses plans by each table's size and spread of values. Right
    after a large import they still describe the tables as they were, empty say, and the
    plans it picks make exports and lists several times slower until autovacuum comes
    round (a 100,000-claim export: 60 s before, 25 s after). ANALYZE reads a sample of
    fixed size, so it takes about a second however large the tables are. SQLite plans
    well enough without statistics and is left alone.
    """
    if connection.vendor != "postgresql":
        return
    models = [Source, Claim, Claim.topics.through, Verdict, CrossReference]
    models += [model.history.model for model in (Source, Claim, CrossReference)]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
