"""The first reading of an import: check every record, save nothing.

Each record is checked against the schema, then as plain values by the checks the `*_build`
services make (claim_check, verdict_check, crossref_check; a source, one for some ten
claims, by source_check, as source_build checks it), then for what only a whole document
can say: quotes that stand at their anchors in their source's text, duplicate ids,
cross-references to claims that exist, verdicts that add up to the status given, counts
that match. Errors are collected as `claims[12].figure.value: reason`. What the second
reading needs is remembered: which claims the document holds, in a temporary table
(ids.py), where the duplicates are found at the end, and the sources' texts, in a
temporary file (texts.py).
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import InvalidOperation
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from claims.exports import SCHEMA_PATH, SCHEMA_VERSION, chunks
from claims.imports.document import (
    DOCUMENT_FIELDS,
    HEADER_FIELDS,
    annotation_key,
    field_path,
    pair_key,
    refusals,
    tally_of_annotations,
)
from claims.imports.ids import ClaimIds
from claims.imports.reading import Record, read_records
from claims.imports.report import MAX_REPORTED, ImportFailure
from claims.imports.scratch import Scratch, packed, unpacked
from claims.imports.texts import SourceTexts
from claims.interchange import (
    RECORD_PATHS,
    RETIRED_YEAR_UNIT,
    anchor_of,
    claim_fields,
    crossref_identity,
    source_fields,
    verdict_fields,
)
from claims.models import Claim, Topic
from claims.services import source_check
from claims.services.claims import claim_anchor, claim_check, claim_values
from claims.services.crossrefs import crossref_check
from claims.services.verdicts import verdict_check, verdict_values
from core.lists import listed
from sources.anchors import CONTEXT_LENGTH, reanchor
from sources.models import Source
from sources.services import SOURCE_EDITABLE_FIELDS

# Sources are looked up in the database this many at a time.
SOURCE_LOOKUP_BATCH = 500
# Claims come grouped by source: the plans of the last few sources serve a whole batch.
CACHED_PLANS = 64
SCHEMA_NAMES = ("source", "claim", "datetime", "filters", "counts", "schema_version")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_strings(data, path: tuple = ()):
    """Yield (path, reason) for each string in `data` that no database can store.

    PostgreSQL refuses a NUL in text, and neither database can store half of a UTF-16
    surrogate pair; caught here, they are named like any other error rather than failing
    the second reading halfway.
    """
    if isinstance(data, str):
        found = _UNSTORABLE.search(data)
        if found is None:
            return
        char = found.group()
        if char == "\x00":
            yield (
                path,
                _("holds a NUL character (%(char)s), which cannot be stored; remove it")
                % {"char": "\\u0000"},
            )
        else:
            yield (
                path,
                _(
                    "holds a lone surrogate (%(char)s), half of a character whose other "
                    "half is missing; the file was written wrongly"
                )
                % {"char": f"\\u{ord(char):04x}"},
            )
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from unstorable_strings(key, (*path, key))
            yield from unstorable_strings(value, (*path, key))
    elif isinstance(data, list):
        for position, value in enumerate(data):
            yield from unstorable_strings(value, (*path, position))


@cache
def _validators() -> dict[str, tuple]:
    """Return, for each part of the document, a fast validator and a detailed one.

    jsonschema, the reference implementation, names every error with its path, but spends
    about half a millisecond on a claim, a third of a whole import. fastjsonschema
    compiles the schema to Python and answers "valid or not" twenty times faster; only
    records it refuses are checked again with jsonschema, for the messages. The schema
    uses nothing beyond draft 7 (its $defs are reached by JSON pointer), the newest
    draft fastjsonschema knows.
    """
    import fastjsonschema
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

    def part(name):
        return {"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]}

    return {
        name: (
            fastjsonschema.compile(
                {**part(name), "$schema": "http://json-schema.org/draft-07/schema#"},
                use_default=False,
            ),
            Draft202012Validator(part(name)),
        )
        for name in SCHEMA_NAMES
    }


def schema_errors_of(name: str, data) -> list:
    """Return jsonschema's errors for `data` as the schema's part `name`, [] if it is valid."""
    import fastjsonschema

    fast, detailed = _validators()[name]
    try:
        fast(data)
    except fastjsonschema.JsonSchemaException:
        return sorted(detailed.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return []


def schema_message(error) -> str:
    """Return what a jsonschema error says, in the page's language.

    The common refusals are worded as jsonschema words them, with translations; any other
    keeps the library's English message.
    """
    value, instance = error.validator_value, error.instance
    validator = error.validator
    if validator == "required":
        # One error for each missing property: its message names which.
        for name in value:
            if error.message == f"{name!r} is a required property":
                return _("%(name)r is a required property") % {"name": name}
    elif validator == "type":
        types = value if isinstance(value, list) else [value]
        return _("%(value)r is not of type %(types)s") % {
            "value": instance,
            "types": ", ".join(repr(name) for name in types),
        }
    elif validator == "enum":
        # The choices as a reader's list, not Python's: 'approve' is not one of 'agree',
        # 'dispute', 'needs_context'.
        return _("%(value)r is not one of %(choices)s") % {
            "value": instance,
            "choices": listed(repr(choice) for choice in value),
        }
    elif validator == "const":
        return _("%(expected)r was expected") % {"expected": value}
    elif validator in ("minLength", "minItems"):
        message = _("%(value)r should be non-empty") if value == 1 else _("%(value)r is too short")
        return message % {"value": instance}
    elif validator in ("maxLength", "maxItems"):
        message = (
            _("%(value)r is expected to be empty") if value == 0 else _("%(value)r is too long")
        )
        return message % {"value": instance}
    elif validator == "minimum":
        return _("%(value)r is less than the minimum of %(limit)r") % {
            "value": instance,
            "limit": value,
        }
    elif validator == "maximum":
        return _("%(value)r is greater than the maximum of %(limit)r") % {
            "value": instance,
            "limit": value,
        }
    elif validator == "pattern":
        return _("%(value)r does not match %(pattern)r") % {"value": instance, "pattern": value}
    elif validator == "uniqueItems":
        return _("%(value)r has non-unique elements") % {"value": instance}
    elif validator in ("oneOf", "anyOf"):
        return _("%(value)r is not valid under any of the given schemas") % {"value": instance}
    elif validator == "additionalProperties" and value is False:
        schema = error.schema if isinstance(error.schema, dict) else {}
        if isinstance(instance, dict) and "patternProperties" not in schema:
            extras = sorted(set(instance) - set(schema.get("properties", {})), key=str)
            names = ", ".join(repr(extra) for extra in extras)
            if len(extras) == 1:
                return _("Additional properties are not allowed (%(names)s was unexpected)") % {
                    "names": names
                }
            if extras:
                return _("Additional properties are not allowed (%(names)s were unexpected)") % {
                    "names": names
                }
    return error.message


def check_records(checker: Checker, path: Path, *, progress=None, progress_every: int) -> None:
    """Read the document at `path` once and check every record (ImportFailure if any is
    refused), telling `progress` of every `progress_every` claims checked."""
    for record in read_records(path, checker.format):
        checker.add(record)
        if progress and record.kind == "claim" and (record.index + 1) % progress_every == 0:
            progress(f"checked {record.index + 1} claims")
    checker.finish()


def retracted_here(kind: str) -> str:
    """Say that the record is a `kind` ("source" or "claim") retracted in this database."""
    if kind == "source":
        return _(
            "is a source an editor retracted in this database: restore it first, or leave it out"
        )
    return _("is a claim an editor retracted in this database: restore it first, or leave it out")


@dataclass
class SourcePlan:
    """What the second reading needs of a source; its text is in Checker.texts."""

    index: int
    key: str
    fields: dict  # source_create's arguments but the text
    existing_pk: int | None


class Checker:
    """The first reading: check every record and remember what the second reading needs."""

    def __init__(
        self, format: str, *, topics: Iterable[str] | None = None, into_empty: bool = False
    ):
        """Check a document of this `format` ("json" or "jsonl").

        `topics` are the slugs of the topics there are, looked up unless given. With
        `into_empty`, the import loads a database that held no source and no claim when it
        began (first_load.py): the checks look nothing up in those tables, which that load
        holds locked, and find nothing there.
        """
        self.format = format
        self.into_empty = into_empty
        self.errors: list[str] = []
        self.more_errors = 0
        self.seen_fields: set[str] = set()
        self.counts_given = None
        self.unsought_sources: list[tuple] = []
        # What must be remembered of every source and cross-reference lies in a temporary
        # file, so that memory does not grow with the document (scratch.py): each source's
        # place in the document, URL, plan and, once saved, key in the database; each
        # cross-reference as first listed; the claims named at a cross-reference's other end.
        self.scratch = Scratch()
        self.scratch.execute(
            "CREATE TABLE source (key TEXT PRIMARY KEY, position INTEGER NOT NULL, url TEXT,"
            " plan BLOB, pk INTEGER)"
        )
        self.scratch.execute("CREATE INDEX source_url ON source (url)")
        self.scratch.execute(
            "CREATE TABLE crossref (pair TEXT PRIMARY KEY, listed TEXT NOT NULL,"
            " content BLOB NOT NULL)"
        )
        self.scratch.execute(
            "CREATE TABLE crossref_target (claim_id TEXT PRIMARY KEY, listed TEXT NOT NULL)"
        )
        self.plans: OrderedDict[str, SourcePlan] = OrderedDict()
        self.texts = SourceTexts(self.scratch)
        # Every claim's id, in a temporary table: memory stays bounded (ids.py).
        self.claim_ids = ClaimIds()
        self.deferred_anchors: list[tuple[str, int, dict]] = []
        self.actual = Counter(sources=0, claims=0, annotations=0, cross_references=0)
        self.reviewers: set[str] = set()
        self.topics = set(
            topics if topics is not None else Topic.objects.values_list("slug", flat=True)
        )
        self.new_topics: dict[str, str] = {}  # slug -> where it is first named
        self.warnings: list[str] = []
        # Sources are checked as source_build checks those the second reading saves; this
        # unsaved user stands in for the one who will create them.
        self.stand_in_user = get_user_model()()

    def held(self, rows: QuerySet) -> QuerySet:
        """Return the rows of the database's sources or claims to look among: none when
        the import loads an empty database (`into_empty`), without a query."""
        return rows.none() if self.into_empty else rows

    def close(self) -> None:
        """Remove what the checks kept outside memory: the scratch file, the ids' table."""
        self.scratch.close()
        self.claim_ids.close()

    def plan(self, key: str) -> SourcePlan | None:
        """Return the plan of the source with this key, None if none is known (yet)."""
        plan = self.plans.get(key)
        if plan is not None:
            self.plans.move_to_end(key)
            return plan
        row = self.scratch.one(
            "SELECT position, plan FROM source WHERE key = ? AND plan IS NOT NULL", [key]
        )
        if row is None:
            return None
        fields, existing_pk = unpacked(row[1])
        plan = self.plans[key] = SourcePlan(row[0], key, fields, existing_pk)
        if len(self.plans) > CACHED_PLANS:
            self.plans.popitem(last=False)
        return plan

    def keep_plan(self, plan: SourcePlan) -> None:
        self.scratch.execute(
            "INSERT INTO source (key, position, plan) VALUES (?, ?, ?) ON CONFLICT (key)"
            " DO UPDATE SET plan = excluded.plan",
            [plan.key, plan.index, packed((plan.fields, plan.existing_pk))],
        )
        self.plans.pop(plan.key, None)

    def error(self, where: str, message: str, line: int | None = None) -> None:
        if self.format == "jsonl" and line is not None:
            message = _("%(message)s (line %(line)d)") % {"message": message, "line": line}
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(f"{where}: {message}")
        else:
            self.more_errors += 1

    def refuse(self, where: str, error: ValidationError, line: int | None) -> None:
        """Report what a service refused in the record at `where`, as the second reading would."""
        for path, reason in refusals(where, error):
            self.error(path, reason, line)

    def schema_errors(self, validator_name: str, data, base: str, line: int | None = None) -> bool:
        errors = schema_errors_of(validator_name, data)
        for error in errors:
            self.error(field_path(base, error.absolute_path) or base, schema_message(error), line)
        return bool(errors)

    # Records

    def add(self, record: Record) -> None:
        if record.may_hold_unstorable:
            base = {"source": f"sources[{record.index}]", "claim": f"claims[{record.index}]"}.get(
                record.kind, record.index if record.kind == "field" else ""
            )
            for path, reason in unstorable_strings(record.data):
                self.error(field_path(base, path) or f"{record.kind} line", reason, record.line)
        if record.kind == "header":
            # In JSON Lines the sources and claims are the lines themselves.
            self.seen_fields.update(("sources", "claims"))
            for name, value in record.data.items():
                if name != "type":
                    self.add_field(name, value, record.line)
            for name in HEADER_FIELDS:
                if name not in record.data:
                    self.error(name, _("missing from the header line"), record.line)
        elif record.kind == "field":
            self.add_field(record.index, record.data)
        elif record.kind == "array":
            self.seen_fields.add(record.index)
        elif record.kind == "end":
            self.add_field("counts", record.data.get("counts"), record.line)
            extra = sorted(set(record.data) - {"type", "counts"})
            if extra:
                self.error(
                    "end line",
                    _("unknown field(s): %(names)s") % {"names": ", ".join(extra)},
                    record.line,
                )
        elif record.kind == "source":
            self.add_source(record.index, record.data, record.line)
        elif record.kind == "claim":
            self.add_claim(record.index, record.data, record.line)

    def add_field(self, name: str, value, line: int | None = None) -> None:
        if name == "@context":
            raise ImportFailure(
                [
                    _(
                        "This is a schema.org ClaimReview export, which is for publishing; "
                        "import the json or jsonl export instead."
                    )
                ]
            )
        if name == "schema_version":
            if value != SCHEMA_VERSION:
                # Nothing else in the file can be read the same way: stop here.
                raise ImportFailure(
                    [
                        "schema_version: "
                        + _("this Hecha reads version %(version)s, not %(given)r")
                        % {"version": SCHEMA_VERSION, "given": value}
                    ]
                )
        elif name in ("sources", "claims"):
            self.error(name, _("must be a list of records"), line)
        elif name not in DOCUMENT_FIELDS:
            self.error(name, _("unknown field"), line)
            return
        self.seen_fields.add(name)
        validator = {"exported_at": "datetime", "filters": "filters", "counts": "counts"}.get(name)
        if validator and not self.schema_errors(validator, value, name, line):
            if name == "counts":
                self.counts_given = value

    def add_source(self, index: int, data, line: int | None) -> None:
        where = f"sources[{index}]"
        self.actual["sources"] += 1
        if self.schema_errors("source", data, where, line):
            return
        key = data["key"]
        first = self.scratch.one("SELECT position FROM source WHERE key = ?", [key])
        if first is not None:
            self.error(
                f"{where}.key",
                _("%(key)r is also sources[%(index)s]'s key") % {"key": key, "index": first[0]},
                line,
            )
            return
        try:
            fields = source_fields(data)
        except ValueError:
            self.error(
                f"{where}.published",
                _("%(value)r is not a date") % {"value": data["published"]},
                line,
            )
            return
        try:
            candidate = source_check(user=self.stand_in_user, **fields)
        except ValidationError as error:
            self.refuse(where, error, line)
            return
        url = candidate.url or None
        first = url and self.scratch.one("SELECT position FROM source WHERE url = ?", [url])
        if first:
            self.error(
                f"{where}.url", _("is also sources[%(index)s]'s URL") % {"index": first[0]}, line
            )
            return
        self.scratch.execute(
            "INSERT INTO source (key, position, url) VALUES (?, ?, ?)", [key, index, url]
        )
        # Looked up in the database a batch at a time, before the next claim needs them.
        self.unsought_sources.append((where, index, candidate, fields, line))
        if len(self.unsought_sources) >= SOURCE_LOOKUP_BATCH:
            self.seek_sources()

    def seek_sources(self) -> None:
        """Find which of the sources read since the last call are in the database already.

        A source already there (by key, else by URL) is kept as it is, with a warning when
        the document's copy differs; its text is what the claims must stand in.
        """
        unsought, self.unsought_sources = self.unsought_sources, []
        if not unsought:
            return
        by_key, by_url, retracted_keys, retracted_urls = self.sources_held(
            [candidate for _, _, candidate, _, _ in unsought]
        )
        for where, index, candidate, fields, line in unsought:
            key = candidate.key
            if key in retracted_keys or (candidate.url and candidate.url in retracted_urls):
                self.error(where, retracted_here("source"), line)
                continue
            existing = by_key.get(key) or (by_url.get(candidate.url) if candidate.url else None)
            if existing is not None:
                different = [
                    name
                    for name in SOURCE_EDITABLE_FIELDS
                    if name != "key" and getattr(existing, name) != getattr(candidate, name)
                ]
                if different:
                    names = ", ".join(RECORD_PATHS.get(name, name) for name in different)
                    self.warnings.append(
                        _(
                            "%(where)s (%(key)s): already in the database as %(existing)r "
                            "with a different %(names)s; the database's copy is kept"
                        )
                        % {"where": where, "key": key, "existing": existing.key, "names": names}
                    )
            self.keep_plan(
                SourcePlan(
                    index=index,
                    key=key,
                    fields={name: getattr(candidate, name) for name in fields if name != "text"},
                    existing_pk=existing.pk if existing else None,
                )
            )
            self.texts.add(key, candidate.text, existing.text if existing else None)

    def sources_held(self, candidates: list[Source]) -> tuple[dict, dict, set, set]:
        """Return the database's sources with the keys of these, and with the URLs of those
        not found by key, by key and by URL; then the keys and URLs of theirs that are
        retracted. Into an empty database, nothing, without building a query."""
        if self.into_empty:
            return {}, {}, set(), set()
        keys = [candidate.key for candidate in candidates]
        by_key = {source.key: source for source in Source.objects.filter(key__in=keys)}
        urls = [c.url for c in candidates if c.url and c.key not in by_key]
        by_url = (
            {source.url: source for source in Source.objects.filter(url__in=urls)} if urls else {}
        )
        # A retracted source is restored in Hecha, not brought back by an import.
        retracted = Source.all_objects.retracted()
        retracted_keys = set(retracted.filter(key__in=keys).values_list("key", flat=True))
        every_url = [c.url for c in candidates if c.url]
        retracted_urls = set(retracted.filter(url__in=every_url).values_list("url", flat=True))
        return by_key, by_url, retracted_keys, retracted_urls

    def add_claim(self, index: int, data, line: int | None) -> None:
        self.seek_sources()
        where = f"claims[{index}]"
        self.actual["claims"] += 1
        if self.schema_errors("claim", data, where, line):
            return
        claim_id = data["id"]
        # Refused at the end if an earlier claim has it (see finish).
        self.claim_ids.add(claim_id, index, line)

        source = self.plan(data["source"])
        if source is None:
            # Hecha writes sources first; a document in another order is checked at the end.
            self.deferred_anchors.append(
                (where, line, {k: data[k] for k in ("source", "quote", "anchor", "anchored", "id")})
            )
        else:
            self.check_anchor(where, line, data, source)

        try:
            fields = claim_fields(data)
        except InvalidOperation:  # the schema's pattern lets only plain decimals through
            self.error(f"{where}.figure", _("not a decimal number"), line)
            return
        if data["figure"] and data["figure"]["unit"] == RETIRED_YEAR_UNIT:
            self.warnings.append(
                f"{where}.figure.unit: "
                + (
                    _(
                        '"year" is no longer a unit; read as the period %(start)s–%(end)s, with no figure'
                    )
                    % {"start": fields["period_start"], "end": fields["period_end"]}
                    if fields["unit"] == ""
                    else _('"year" is no longer a unit; read as a duration, unit "other"')
                )
            )
        # Checked where the document says the quote stands, without reading the text:
        # check_anchor has compared the anchor with the text, and says where the quote is
        # when it is elsewhere. The rest is checked as claim_build checks a new claim, as
        # plain values: the second reading saves the same values unchecked.
        try:
            claim_check(claim_anchor(claim_values(created_by_id=None, **fields), anchor_of(data)))
        except ValidationError as error:
            self.refuse(where, error, line)

        for slug in data["topics"]:
            if slug not in self.topics and slug not in self.new_topics:
                # The document names topics by slug only; one this Hecha lacks is created.
                self.new_topics[slug] = where
                self.warnings.append(
                    f"{where}.topics: "
                    + _(
                        "topic %(slug)r is new here and will be created, named after its slug; "
                        "give it a proper name in the admin"
                    )
                    % {"slug": slug}
                )

        self.check_annotations(where, line, data)
        self.actual["annotations"] += len(data["annotations"])

        for position, entry in enumerate(data["cross_references"]):
            self.check_crossref(f"{where}.cross_references[{position}]", line, claim_id, entry)

    def check_anchor(self, where: str, line: int | None, data: dict, source: SourcePlan) -> None:
        quote, anchor = data["quote"], data["anchor"]
        start, end = anchor["start"], anchor["end"]
        if end != start + len(quote):
            self.error(
                f"{where}.anchor.end",
                _("should be start + the quote's length, %(end)d") % {"end": start + len(quote)},
                line,
            )
            return
        if not data["anchored"]:
            return  # the quote is known to be gone from the text; its last place is kept
        text = self.texts.document(source.key)
        if text[start:end] != quote:
            found = text.find(quote)
            self.error(
                f"{where}.quote",
                (
                    _(
                        "not found at offset %(start)d of the text of source %(key)r "
                        "(it is at offset %(found)d)"
                    )
                    if found != -1
                    else _("not found at offset %(start)d of the text of source %(key)r")
                )
                % {"start": start, "key": source.key, "found": found},
                line,
            )
            return
        if anchor["prefix"] != text[max(0, start - CONTEXT_LENGTH) : start]:
            self.error(f"{where}.anchor.prefix", _("is not the text just before the quote"), line)
        if anchor["suffix"] != text[end : end + CONTEXT_LENGTH]:
            self.error(f"{where}.anchor.suffix", _("is not the text just after the quote"), line)
        if (
            self.texts.differs(source.key)
            and not self.held(Claim.objects.all()).filter(public_id=data["id"]).exists()
        ):
            # The claim is new here, but the database's copy of its source reads differently:
            # it must find its place in that copy, as after a correction.
            if (
                reanchor(
                    self.texts.stored(source.key),
                    quote=quote,
                    prefix=anchor["prefix"],
                    suffix=anchor["suffix"],
                    start=start,
                )
                is None
            ):
                self.error(
                    f"{where}.quote",
                    _(
                        "not found in the database's copy of source %(key)r, whose text "
                        "differs from the document's"
                    )
                    % {"key": source.key},
                    line,
                )

    def check_annotations(self, where: str, line: int | None, data: dict) -> bool:
        """Check the verdicts of a claim or cross-reference and the status they add up to."""
        User = get_user_model()
        for position, annotation in enumerate(data["annotations"]):
            path = f"{where}.annotations[{position}]"
            username = annotation["reviewer"]
            if username not in self.reviewers:
                try:
                    User.username_validator(username)
                except ValidationError as error:
                    self.error(f"{path}.reviewer", " ".join(error.messages), line)
                    continue
                self.reviewers.add(username)
            try:
                fields = verdict_fields(annotation)
            except ValueError:
                self.error(
                    f"{path}.at", _("%(value)r is not a time") % {"value": annotation["at"]}, line
                )
                return False
            try:
                verdict_check(verdict_values(**fields))
            except ValidationError as error:
                self.refuse(path, error, line)
        status, tally = tally_of_annotations(data["annotations"])
        if data["status"] != status:
            self.error(
                f"{where}.status",
                _("the verdicts listed amount to '%(status)s', not %(given)r")
                % {"status": status, "given": data["status"]},
                line,
            )
        elif data["tally"] != tally:
            self.error(
                f"{where}.tally",
                _("the verdicts listed amount to %(tally)s, not %(given)s")
                % {"tally": tally, "given": data["tally"]},
                line,
            )
        return True

    def check_crossref(self, where: str, line: int | None, claim_id: str, entry: dict) -> None:
        identity = crossref_identity(claim_id, entry)
        try:
            crossref_check(
                {"relation": identity[2], "note": entry["note"].strip()},
                ends=tuple(uuid.UUID(claim) for claim in identity[:2]),
            )
        except ValidationError as error:
            self.refuse(where, error, line)
            return
        if not self.check_annotations(where, line, entry):
            return
        key = pair_key(identity)
        content = {
            "identity": identity,
            "note": entry["note"].strip(),
            "annotations": sorted(annotation_key(a) for a in entry["annotations"]),
        }
        first = self.scratch.one("SELECT listed, content FROM crossref WHERE pair = ?", [key])
        if first is None:
            self.scratch.execute(
                "INSERT INTO crossref (pair, listed, content) VALUES (?, ?, ?)",
                [key, where, packed(content)],
            )
            self.actual["cross_references"] += 1
            self.actual["annotations"] += len(entry["annotations"])
            self.scratch.execute(
                "INSERT OR IGNORE INTO crossref_target (claim_id, listed) VALUES (?, ?)",
                [entry["claim"], where],
            )
            return
        first_content = unpacked(first[1])
        if first_content != content:
            differs = [
                name
                for name in ("identity", "note", "annotations")
                if first_content[name] != content[name]
            ]
            what = {"identity": _("direction"), "note": _("note"), "annotations": _("verdicts")}
            self.error(
                where,
                _("the same cross-reference as %(first)s but with a different %(names)s")
                % {"first": first[0], "names": ", ".join(what[name] for name in differs)},
                line,
            )

    # After the first reading

    def finish(self) -> None:
        self.seek_sources()
        for name in DOCUMENT_FIELDS:
            if name not in self.seen_fields:
                self.error(name, _("missing"))
        for where, line, data in self.deferred_anchors:
            source = self.plan(data["source"])
            if source is None:
                existing = self.held(Source.objects.all()).filter(key=data["source"]).first()
                if existing is None:
                    self.error(
                        f"{where}.source",
                        _("no source %(key)r in this document or in the database")
                        % {"key": data["source"]},
                        line,
                    )
                    continue
                source = SourcePlan(-1, existing.key, {}, existing.pk)
                self.keep_plan(source)
                self.texts.add(existing.key, existing.text)
            self.check_anchor(where, line, data, source)
        self.claim_ids.finish()
        for index, line, claim_id, first in self.claim_ids.duplicates():
            self.error(
                f"claims[{index}].id",
                _("%(id)s is also claims[%(index)s]'s id") % {"id": claim_id, "index": first},
                line,
            )
        targets = self.scratch.rows("SELECT claim_id, listed FROM crossref_target ORDER BY 1")
        for chunk in chunks(targets, 500):
            listed = dict(chunk)
            missing = set(listed) - set(self.claim_ids.positions(listed))
            found = {
                str(pk)
                for pk in self.held(Claim.objects.all())
                .filter(public_id__in=missing)
                .values_list("public_id", flat=True)
            }
            for claim_id in sorted(missing - found):
                self.error(
                    f"{listed[claim_id]}.claim",
                    _("no claim %(id)s in this document or in the database") % {"id": claim_id},
                )
        # An import adds and never edits, so it neither restores a retracted claim nor adds
        # one again beside it.
        # The retracted claims of the database are few beside a document's: each batch of
        # them is looked up in the document's ids.
        retracted = (
            self.held(Claim.all_objects.all())
            .retracted()
            .order_by()
            .values_list("public_id", flat=True)
        )
        for chunk in chunks(map(str, retracted.iterator(chunk_size=2000)), 500):
            for _public_id, index in sorted(
                self.claim_ids.positions(chunk).items(), key=lambda pair: pair[1]
            ):
                self.error(f"claims[{index}].id", retracted_here("claim"))
        # A record refused is not counted whole (a claim that breaks the schema is read no
        # further, its verdicts and cross-references with it): with refusals already found,
        # counts that differ would only blame the records named above a second time.
        if self.counts_given is not None and not self.errors:
            for name, count in self.actual.items():
                if self.counts_given[name] != count:
                    self.error(
                        f"counts.{name}",
                        _(
                            "the document says %(given)s but holds %(count)s: was it cut short "
                            "or edited?"
                        )
                        % {"given": self.counts_given[name], "count": count},
                    )
        if self.errors:
            raise ImportFailure(self.errors, more=self.more_errors)
