"""Read an export (schema/claims-export.schema.json) back into Hecha, all or nothing.

The file is read twice, record by record, so memory stays bounded however large it is:
first every record is checked (against the schema, then for what the schema cannot say:
quotes that stand in their source's text, duplicate ids, cross-references to claims that
exist, verdicts that add up to the status given), and errors are collected as
`claims[12].figure.value: reason`; only when there are none is everything saved, in one
transaction, through the services.

An import adds and never edits: a source already in the database (by key, else by URL) or
a claim already there (by public id) is kept as it is, with a warning when the document
differs; only the verdicts and cross-references it lacks are added. So importing the same
file twice changes nothing.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from claims.exports import SCHEMA_PATH, SCHEMA_VERSION, decimal_text
from claims.models import Claim, CrossReference, Topic
from claims.services import (
    FIGURE_FIELDS,
    annotation_create,
    claim_create,
    crossref_create,
    review_status_of,
)
from sources.anchors import CONTEXT_LENGTH, Anchor, reanchor
from sources.models import Source
from sources.services import SOURCE_EDITABLE_FIELDS, clean_text, source_create

# One record (a source with its full text, or a claim with its verdicts) may be this long;
# a longer one is refused rather than read into memory. The file itself has no limit.
MAX_RECORD_CHARS = 64 * 1024 * 1024
READ_CHUNK_BYTES = 1024 * 1024
MAX_REPORTED = 100
PROGRESS_EVERY = 10_000

HEADER_FIELDS = ("schema_version", "exported_at", "filters")
DOCUMENT_FIELDS = (*HEADER_FIELDS, "sources", "claims", "counts")
# Where each figure field of a claim sits in the document.
FIGURE_PATHS = {
    "figure_text": "figure.as_written",
    "value": "figure.value",
    "value_lower": "figure.lower",
    "value_upper": "figure.upper",
    "hedge": "figure.hedge",
    "unit": "figure.unit",
    "period_start": "figure.period_start",
    "period_end": "figure.period_end",
    "scope": "figure.scope",
}
CLAIM_PATHS = {
    **FIGURE_PATHS,
    "quote": "quote",
    "summary": "summary",
    "attributed_to": "attributed_to",
    "quote_prefix": "anchor.prefix",
    "quote_suffix": "anchor.suffix",
    "quote_start": "anchor.start",
    "quote_end": "anchor.end",
}
SOURCE_PATHS = {"published_on": "published"}


class ImportFailure(Exception):
    """A file that cannot be imported; nothing was saved. `errors` name record, field, reason."""

    def __init__(self, errors: list[str], *, more: int = 0):
        self.errors = errors
        self.more = more
        lines = list(errors) + ([f"… and {more} more"] if more else [])
        super().__init__("\n".join(lines))


@dataclass
class ImportReport:
    """What an import created, what it found already there, and what it kept unchanged."""

    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    more_warnings: int = 0

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_REPORTED:
            self.warnings.append(message)
        else:
            self.more_warnings += 1

    def lines(self) -> list[str]:
        return [
            f"{label}: {self.counts[(kind, 'created')]} created, "
            f"{self.counts[(kind, 'existing')]} already there"
            for kind, label in (
                ("source", "sources"),
                ("claim", "claims"),
                ("annotation", "verdicts"),
                ("crossref", "cross-references"),
            )
        ] + [f"reviewers: {self.counts[('reviewer', 'created')]} created (inactive, cannot log in)"]

    @property
    def changed(self) -> bool:
        return any(count for (_, outcome), count in self.counts.items() if outcome == "created")


# Reading


@dataclass(frozen=True)
class Record:
    """One piece of a document: a top-level field, a source, a claim, or a JSON Lines end."""

    kind: str  # "field", "array", "source", "claim", "end"
    index: Any  # the field name, or the record's position among its kind
    data: Any
    line: int | None = None  # in JSON Lines


def detect_format(path: Path) -> str:
    """Return "json" or "jsonl" from the file name, else from the first line."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    with path.open("rb") as file:
        first = file.readline(READ_CHUNK_BYTES).strip()
    try:
        return "jsonl" if "type" in json.loads(first) else "json"
    except (ValueError, TypeError):
        return "json"


def read_records(path: Path, format: str) -> Iterator[Record]:
    """Yield the records of an export file one at a time; malformed files raise ImportFailure."""
    try:
        if format == "jsonl":
            yield from _jsonl_records(path)
        else:
            yield from _json_records(path)
    except FileNotFoundError:
        raise ImportFailure([f"{path.name}: no such file"]) from None
    except IsADirectoryError:
        raise ImportFailure([f"{path.name}: is a folder, not a file"]) from None
    except OSError as error:
        raise ImportFailure([f"{path.name}: cannot be read ({error.strerror})"]) from None


def _not_utf8(error: UnicodeDecodeError, offset: int, line: int) -> ImportFailure:
    return ImportFailure(
        [
            f"The file is not UTF-8 text: {error.reason} at byte {offset} (line {line}). Save it as UTF-8."
        ]
    )


def _jsonl_records(path: Path) -> Iterator[Record]:
    counters = Counter()
    offset, state = 0, "start"
    with path.open("rb") as file:
        number = 0
        while raw := file.readline(MAX_RECORD_CHARS * 4 + 1):
            number += 1
            if len(raw) > MAX_RECORD_CHARS * 4 and not raw.endswith(b"\n"):
                raise ImportFailure(
                    [f"line {number}: longer than {_limit()}; nothing was read further"]
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise _not_utf8(error, offset + error.start, number) from None
            offset += len(raw)
            if number == 1:
                text = text.removeprefix("\ufeff")
            if not text.strip():
                continue
            if len(text) > MAX_RECORD_CHARS:
                raise ImportFailure(
                    [f"line {number}: longer than {_limit()}; nothing was read further"]
                )
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                if not raw.endswith(b"\n") and _looks_cut(text, error):
                    raise ImportFailure(
                        [
                            f"line {number}: the file ends in the middle of a record: it was cut short"
                        ]
                    ) from None
                raise ImportFailure(
                    [f"line {number}, column {error.colno}: not valid JSON: {error.msg}"]
                ) from None
            kind = data.get("type") if isinstance(data, dict) else None
            if state == "start":
                if kind != "header":
                    raise ImportFailure(
                        [f'line {number}: the first line must be the header ("type": "header")']
                    )
                state = "body"
                yield Record("header", 0, data, number)
                continue
            if state == "end":
                raise ImportFailure([f"line {number}: there is more after the end line"])
            if kind == "end":
                state = "end"
                yield Record("end", 0, data, number)
            elif kind in ("source", "claim"):
                yield Record(kind, counters[kind], data, number)
                counters[kind] += 1
            else:
                raise ImportFailure(
                    [
                        f"line {number}: unknown record type {kind!r}; expected header, source, claim or end"
                    ]
                )
    if state == "start":
        raise ImportFailure(["The file is empty."])
    if state != "end":
        raise ImportFailure(['The file has no end line ("type": "end"): it was cut short.'])


def _looks_cut(text: str, error: json.JSONDecodeError) -> bool:
    return not text[error.pos :].strip() or error.msg.startswith("Unterminated string")


def _limit() -> str:
    return f"the limit of {MAX_RECORD_CHARS:,} characters for one record"


def _decoded_chunks(path: Path) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines, first = 0, 1, True
    with path.open("rb") as file:
        while True:
            raw = file.read(READ_CHUNK_BYTES)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as error:
                # The decoder puts bytes it held back from the last chunk before this one.
                lines += raw[: max(0, error.start - pending)].count(b"\n")
                raise _not_utf8(error, offset - pending + error.start, lines) from None
            offset += len(raw)
            lines += raw.count(b"\n")
            if first:
                text, first = text.removeprefix("\ufeff"), False
            if text:
                yield text
            if not raw:
                return


_DECODER = json.JSONDecoder()
_NOT_SPACE = re.compile(r"[^ \t\n\r]")


class _JsonReader:
    """Read a JSON document piece by piece: only one record is in memory at a time."""

    def __init__(self, chunks: Iterator[str]):
        self.chunks = chunks
        self.buffer = ""
        self.pos = 0
        self.dropped_lines = 0
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = next(self.chunks, None)
        if chunk is None:
            self.eof = True
            return False
        if self.pos > READ_CHUNK_BYTES:
            self.dropped_lines += self.buffer.count("\n", 0, self.pos)
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        self.buffer += chunk
        return True

    def where(self, position: int | None = None) -> str:
        position = self.pos if position is None else position
        line = self.dropped_lines + self.buffer.count("\n", 0, position) + 1
        column = position - self.buffer.rfind("\n", 0, position)
        return f"line {line}, column {column}"

    def cut_short(self) -> ImportFailure:
        return ImportFailure(
            [
                f"The document ends at {self.where(len(self.buffer))} before it is complete: it was cut short."
            ]
        )

    def peek(self) -> str | None:
        """Return the next character that is not white space, without taking it."""
        while True:
            match = _NOT_SPACE.search(self.buffer, self.pos)
            if match:
                self.pos = match.start()
                return self.buffer[self.pos]
            self.pos = len(self.buffer)
            if not self._fill():
                return None

    def take(self, allowed: str, expected: str) -> str:
        char = self.peek()
        if char is None:
            raise self.cut_short()
        if char not in allowed:
            raise ImportFailure([f"{self.where()}: not valid JSON: expected {expected}"])
        self.pos += 1
        return char

    def value(self):
        if self.peek() is None:
            raise self.cut_short()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if len(self.buffer) - self.pos > MAX_RECORD_CHARS:
                    raise ImportFailure(
                        [f"{self.where()}: a record longer than {_limit()}, or not valid JSON"]
                    ) from None
                if self._fill():
                    continue
                if _looks_cut(self.buffer, error):
                    raise self.cut_short() from None
                raise ImportFailure(
                    [f"{self.where(error.pos)}: not valid JSON: {error.msg}"]
                ) from None
            # A number at the very end of what has been read may go on in the next chunk.
            if end == len(self.buffer) and self._fill():
                continue
            self.pos = end
            return value


def _json_records(path: Path) -> Iterator[Record]:
    reader = _JsonReader(_decoded_chunks(path))
    if reader.peek() is None:
        raise ImportFailure(["The file is empty."])
    reader.take("{", "the document to be a JSON object ({…})")
    seen = set()
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            name = reader.value()
            if not isinstance(name, str):
                raise ImportFailure([f"{reader.where()}: not valid JSON: expected a field name"])
            reader.take(":", "':'")
            if name in seen:
                raise ImportFailure([f"{name}: given twice"])
            seen.add(name)
            if name in ("sources", "claims") and reader.peek() == "[":
                reader.pos += 1
                yield Record("array", name, None)
                kind, index = name[:-1], 0
                if reader.peek() == "]":
                    reader.pos += 1
                else:
                    while True:
                        yield Record(kind, index, reader.value())
                        index += 1
                        if reader.take(",]", "',' or ']'") == "]":
                            break
            else:
                yield Record("field", name, reader.value())
            if reader.take(",}", "',' or '}'") == "}":
                break
    if reader.peek() is not None:
        raise ImportFailure([f"{reader.where()}: more text after the end of the document"])


# Checking


@cache
def _validators():
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

    def validator(name):
        return Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]})

    return {
        name: validator(name)
        for name in ("source", "claim", "datetime", "filters", "counts", "schema_version")
    }


def _path(base: str, parts) -> str:
    text = base
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {"__all__": list(error.messages)}


def _parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).astimezone(datetime.UTC)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _latest_verdicts(annotations: list[dict]) -> list[str]:
    # Each reviewer's latest verdict counts; the list order breaks ties in time, as the
    # order of recording does in the database.
    latest = {}
    ordered = sorted(enumerate(annotations), key=lambda pair: (_parse_time(pair[1]["at"]), pair[0]))
    for _, annotation in ordered:
        latest[annotation["reviewer"]] = annotation["verdict"]
    return list(latest.values())


def _tally_of(annotations: list[dict]) -> tuple[str, dict]:
    verdicts = _latest_verdicts(annotations)
    return review_status_of(verdicts), {
        "agree": verdicts.count("agree"),
        "dispute": verdicts.count("dispute"),
        "needs_context": verdicts.count("needs_context"),
    }


def _annotation_key(annotation: dict) -> tuple:
    return (
        annotation["reviewer"],
        annotation["verdict"],
        annotation["note"].strip(),
        _parse_time(annotation["at"]),
    )


def _crossref_identity(claim_id: str, entry: dict) -> tuple[str, str, str]:
    """Return (from id, to id, relation) of a cross-reference listed under a claim."""
    if entry["direction"] == "outgoing":
        return claim_id, entry["claim"], entry["relation"]
    return entry["claim"], claim_id, entry["relation"]


def _pair_key(identity: tuple[str, str, str]):
    # A pair carries a relation once, in either direction, as the database's constraint says.
    return frozenset(identity[:2]), identity[2]


@dataclass
class _SourcePlan:
    index: int
    key: str
    fields: dict  # source_create's arguments
    existing_pk: int | None
    text: str  # where the claims must stand: the database's copy when there is one
    doc_text: str


class _Checker:
    """The first reading: check every record and remember what the second reading needs."""

    def __init__(self, format: str):
        self.format = format
        self.errors: list[str] = []
        self.more_errors = 0
        self.seen_fields: set[str] = set()
        self.counts_given = None
        self.sources: dict[str, _SourcePlan] = {}
        self.source_urls: dict[str, int] = {}
        self.claim_ids: dict[str, int] = {}
        self.deferred_anchors: list[tuple[str, int, dict]] = []
        self.crossrefs: dict[Any, tuple[str, tuple, dict]] = {}
        self.crossref_targets: dict[str, str] = {}  # other claim id -> where it is named
        self.actual = Counter(sources=0, claims=0, annotations=0, cross_references=0)
        self.reviewers: set[str] = set()
        self.topics = set(Topic.objects.values_list("slug", flat=True))
        self.warnings: list[str] = []

    def error(self, where: str, message: str, line: int | None = None) -> None:
        if self.format == "jsonl" and line is not None:
            message += f" (line {line})"
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(f"{where}: {message}")
        else:
            self.more_errors += 1

    def schema_errors(self, validator_name: str, data, base: str, line: int | None = None) -> bool:
        errors = sorted(
            _validators()[validator_name].iter_errors(data),
            key=lambda e: list(map(str, e.absolute_path)),
        )
        for error in errors:
            self.error(_path(base, error.absolute_path) or base, error.message, line)
        return bool(errors)

    # Records

    def add(self, record: Record) -> None:
        if record.kind == "header":
            # In JSON Lines the sources and claims are the lines themselves.
            self.seen_fields.update(("sources", "claims"))
            for name, value in record.data.items():
                if name != "type":
                    self.add_field(name, value, record.line)
            for name in HEADER_FIELDS:
                if name not in record.data:
                    self.error(name, "missing from the header line", record.line)
        elif record.kind == "field":
            self.add_field(record.index, record.data)
        elif record.kind == "array":
            self.seen_fields.add(record.index)
        elif record.kind == "end":
            self.add_field("counts", record.data.get("counts"), record.line)
            extra = sorted(set(record.data) - {"type", "counts"})
            if extra:
                self.error("end line", f"unknown field(s): {', '.join(extra)}", record.line)
        elif record.kind == "source":
            self.add_source(record.index, record.data, record.line)
        elif record.kind == "claim":
            self.add_claim(record.index, record.data, record.line)

    def add_field(self, name: str, value, line: int | None = None) -> None:
        if name == "@context":
            raise ImportFailure(
                [
                    "This is a schema.org ClaimReview export, which is for publishing; "
                    "import the json or jsonl export instead."
                ]
            )
        if name == "schema_version":
            if value != SCHEMA_VERSION:
                # Nothing else in the file can be read the same way: stop here.
                raise ImportFailure(
                    [f"schema_version: this Hecha reads version {SCHEMA_VERSION}, not {value!r}"]
                )
        elif name in ("sources", "claims"):
            self.error(name, "must be a list of records", line)
        elif name not in DOCUMENT_FIELDS:
            self.error(name, "unknown field", line)
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
        if key in self.sources:
            self.error(
                f"{where}.key", f"{key!r} is also sources[{self.sources[key].index}]'s key", line
            )
            return
        fields = {
            "key": key,
            "title": data["title"],
            "outlet": data["outlet"],
            "author": data.get("author", ""),
            "url": data.get("url", ""),
            "script": data["script"],
            "region": data["region"],
            "text": data["text"],
        }
        try:
            fields["published_on"] = (
                datetime.date.fromisoformat(data["published"]) if data.get("published") else None
            )
        except ValueError:
            self.error(f"{where}.published", f"{data['published']!r} is not a date", line)
            return
        candidate = Source(
            **{
                name: value.strip() if name in ("title", "outlet", "author", "url") else value
                for name, value in fields.items()
            }
        )
        candidate.text = clean_text(candidate.text)
        try:
            candidate.clean_fields(exclude=["created_by"])
        except ValidationError as error:
            for name, messages in _messages(error).items():
                self.error(f"{where}.{SOURCE_PATHS.get(name, name)}", " ".join(messages), line)
            return
        url = candidate.url
        if url and url in self.source_urls:
            self.error(f"{where}.url", f"is also sources[{self.source_urls[url]}]'s URL", line)
            return
        if url:
            self.source_urls[url] = index
        existing = Source.objects.filter(key=key).first()
        if existing is None and url:
            existing = Source.objects.filter(url=url).first()
        if existing is not None:
            different = [
                name
                for name in SOURCE_EDITABLE_FIELDS
                if name != "key" and getattr(existing, name) != getattr(candidate, name)
            ]
            if different:
                names = ", ".join(SOURCE_PATHS.get(name, name) for name in different)
                self.warnings.append(
                    f"{where} ({key}): already in the database as {existing.key!r} with a different "
                    f"{names}; the database's copy is kept"
                )
        self.sources[key] = _SourcePlan(
            index=index,
            key=key,
            fields={name: getattr(candidate, name) for name in fields},
            existing_pk=existing.pk if existing else None,
            text=existing.text if existing else candidate.text,
            doc_text=candidate.text,
        )

    def add_claim(self, index: int, data, line: int | None) -> None:
        where = f"claims[{index}]"
        self.actual["claims"] += 1
        if self.schema_errors("claim", data, where, line):
            return
        claim_id = data["id"]
        if claim_id in self.claim_ids:
            self.error(
                f"{where}.id", f"{claim_id} is also claims[{self.claim_ids[claim_id]}]'s id", line
            )
        else:
            self.claim_ids[claim_id] = index

        source = self.sources.get(data["source"])
        if source is None:
            # Hecha writes sources first; a document in another order is checked at the end.
            self.deferred_anchors.append(
                (where, line, {k: data[k] for k in ("source", "quote", "anchor", "anchored", "id")})
            )
        else:
            self.check_anchor(where, line, data, source)

        figure = data["figure"] or {}
        values = {
            "figure_text": figure.get("as_written", ""),
            "hedge": figure.get("hedge", ""),
            "unit": figure.get("unit", ""),
            "scope": figure.get("scope", ""),
        }
        try:
            for name, key in (
                ("value", "value"),
                ("value_lower", "lower"),
                ("value_upper", "upper"),
            ):
                values[name] = _decimal(figure.get(key))
        except InvalidOperation:  # the schema's pattern lets only plain decimals through
            self.error(f"{where}.figure", "not a decimal number", line)
            return
        values["period_start"] = figure.get("period_start")
        values["period_end"] = figure.get("period_end")
        anchor = data["anchor"]
        candidate = Claim(
            quote=data["quote"],
            quote_start=anchor["start"],
            quote_end=anchor["end"],
            quote_prefix=anchor["prefix"],
            quote_suffix=anchor["suffix"],
            summary=data["summary"].strip(),
            attributed_to=data["attributed_to"].strip(),
            **{
                name: value.strip() if isinstance(value, str) else value
                for name, value in values.items()
            },
        )
        try:
            candidate.clean_fields(exclude=["source", "created_by", "public_id"])
            candidate.clean()
        except ValidationError as error:
            for name, messages in _messages(error).items():
                self.error(f"{where}.{CLAIM_PATHS.get(name, name)}", " ".join(messages), line)

        for position, slug in enumerate(data["topics"]):
            if slug not in self.topics:
                self.error(
                    f"{where}.topics[{position}]",
                    f"unknown topic {slug!r}; add it in the admin first",
                    line,
                )

        self.check_annotations(where, line, data)
        self.actual["annotations"] += len(data["annotations"])

        for position, entry in enumerate(data["cross_references"]):
            self.check_crossref(f"{where}.cross_references[{position}]", line, claim_id, entry)

    def check_anchor(self, where: str, line: int | None, data: dict, source: _SourcePlan) -> None:
        quote, anchor = data["quote"], data["anchor"]
        start, end = anchor["start"], anchor["end"]
        if end != start + len(quote):
            self.error(
                f"{where}.anchor.end",
                f"should be start + the quote's length, {start + len(quote)}",
                line,
            )
            return
        if not data["anchored"]:
            return  # the quote is known to be gone from the text; its last place is kept
        text = source.doc_text
        if text[start:end] != quote:
            found = text.find(quote)
            hint = f" (it is at offset {found})" if found != -1 else ""
            self.error(
                f"{where}.quote",
                f"not found at offset {start} of the text of source {source.key!r}{hint}",
                line,
            )
            return
        if anchor["prefix"] != text[max(0, start - CONTEXT_LENGTH) : start]:
            self.error(f"{where}.anchor.prefix", "is not the text just before the quote", line)
        if anchor["suffix"] != text[end : end + CONTEXT_LENGTH]:
            self.error(f"{where}.anchor.suffix", "is not the text just after the quote", line)
        if (
            source.text != source.doc_text
            and not Claim.objects.filter(public_id=data["id"]).exists()
        ):
            # The claim is new here, but the database's copy of its source reads differently:
            # it must find its place in that copy, as after a correction.
            if (
                reanchor(
                    source.text,
                    quote=quote,
                    prefix=anchor["prefix"],
                    suffix=anchor["suffix"],
                    start=start,
                )
                is None
            ):
                self.error(
                    f"{where}.quote",
                    f"not found in the database's copy of source {source.key!r}, whose text differs from the document's",
                    line,
                )

    def check_annotations(self, where: str, line: int | None, data: dict) -> bool:
        """Check the verdicts of a claim or cross-reference and the status they add up to."""
        User = get_user_model()
        for position, annotation in enumerate(data["annotations"]):
            path = f"{where}.annotations[{position}]"
            if annotation["verdict"] == "dispute" and not annotation["note"].strip():
                self.error(f"{path}.note", "say why it is disputed: a dispute needs a note", line)
            username = annotation["reviewer"]
            if username not in self.reviewers:
                try:
                    User.username_validator(username)
                except ValidationError as error:
                    self.error(f"{path}.reviewer", " ".join(error.messages), line)
                    continue
                self.reviewers.add(username)
            try:
                _parse_time(annotation["at"])
            except ValueError:
                self.error(f"{path}.at", f"{annotation['at']!r} is not a time", line)
                return False
        status, tally = _tally_of(data["annotations"])
        if data["status"] != status:
            self.error(
                f"{where}.status",
                f"the verdicts listed amount to '{status}', not {data['status']!r}",
                line,
            )
        elif data["tally"] != tally:
            self.error(
                f"{where}.tally",
                f"the verdicts listed amount to {tally}, not {data['tally']}",
                line,
            )
        return True

    def check_crossref(self, where: str, line: int | None, claim_id: str, entry: dict) -> None:
        if entry["claim"] == claim_id:
            self.error(f"{where}.claim", "a claim cannot refer to itself", line)
            return
        if not self.check_annotations(where, line, entry):
            return
        identity = _crossref_identity(claim_id, entry)
        key = _pair_key(identity)
        content = {
            "identity": identity,
            "note": entry["note"].strip(),
            "annotations": sorted(_annotation_key(a) for a in entry["annotations"]),
        }
        first = self.crossrefs.get(key)
        if first is None:
            self.crossrefs[key] = (where, identity, content)
            self.actual["cross_references"] += 1
            self.actual["annotations"] += len(entry["annotations"])
            self.crossref_targets.setdefault(entry["claim"], where)
        elif first[2] != content:
            differs = [
                name
                for name in ("identity", "note", "annotations")
                if first[2][name] != content[name]
            ]
            what = {"identity": "direction", "note": "note", "annotations": "verdicts"}
            self.error(
                where,
                f"the same cross-reference as {first[0]} but with a different "
                + ", ".join(what[name] for name in differs),
                line,
            )

    # After the first reading

    def finish(self) -> None:
        for name in DOCUMENT_FIELDS:
            if name not in self.seen_fields:
                self.error(name, "missing")
        for where, line, data in self.deferred_anchors:
            source = self.sources.get(data["source"])
            if source is None:
                existing = Source.objects.filter(key=data["source"]).first()
                if existing is None:
                    self.error(
                        f"{where}.source",
                        f"no source {data['source']!r} in this document or in the database",
                        line,
                    )
                    continue
                source = _SourcePlan(
                    -1, existing.key, {}, existing.pk, existing.text, existing.text
                )
                self.sources[existing.key] = source
            self.check_anchor(where, line, data, source)
        missing = sorted(set(self.crossref_targets) - set(self.claim_ids))
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            found = {
                str(pk)
                for pk in Claim.objects.filter(public_id__in=chunk).values_list(
                    "public_id", flat=True
                )
            }
            for claim_id in chunk:
                if claim_id not in found:
                    self.error(
                        f"{self.crossref_targets[claim_id]}.claim",
                        f"no claim {claim_id} in this document or in the database",
                    )
        if self.counts_given is not None:
            for name, count in self.actual.items():
                if self.counts_given[name] != count:
                    self.error(
                        f"counts.{name}",
                        f"the document says {self.counts_given[name]} but holds {count}: was it cut short or edited?",
                    )
        if self.errors:
            raise ImportFailure(self.errors, more=self.more_errors)


# Saving


class _Writer:
    """The second reading: save every record through the services."""

    def __init__(self, checker: _Checker, *, user, report: ImportReport):
        self.checker = checker
        self.user = user
        self.report = report
        self.sources: dict[str, Source] = {}
        self.created_sources: set[str] = set()
        self.reviewers: dict[str, Any] = {}
        self.topics = {topic.slug: topic for topic in Topic.objects.all()}
        self.crossrefs_done: set = set()
        self.crossrefs_pending: dict[Any, tuple[str, dict, tuple]] = {}

    def add(self, record: Record) -> None:
        if record.kind == "source":
            self.add_source(record.data)
        elif record.kind == "claim":
            where = f"claims[{record.index}]"
            try:
                self.add_claim(where, record.data)
            except ValidationError as error:
                raise self.failure(where, error, record.line) from None

    def failure(self, where: str, error: ValidationError, line: int | None) -> ImportFailure:
        suffix = f" (line {line})" if self.checker.format == "jsonl" and line else ""
        return ImportFailure(
            [
                f"{where}.{CLAIM_PATHS.get(name, name)}: {' '.join(messages)}{suffix}"
                if name != "__all__"
                else f"{where}: {' '.join(messages)}{suffix}"
                for name, messages in _messages(error).items()
            ]
        )

    def source(self, key: str) -> Source:
        if key not in self.sources:
            plan = self.checker.sources[key]
            if plan.existing_pk is not None:
                self.sources[key] = Source.objects.get(pk=plan.existing_pk)
            else:
                self.sources[key] = source_create(user=self.user, **plan.fields)
                self.created_sources.add(key)
        return self.sources[key]

    def add_source(self, data: dict) -> None:
        key = data["key"]
        self.source(key)
        self.report.counts[
            ("source", "created" if key in self.created_sources else "existing")
        ] += 1

    def reviewer(self, username: str):
        if username not in self.reviewers:
            User = get_user_model()
            user = User.objects.filter(username=username).first()
            if user is None:
                # Verdicts keep their author; someone known only from a document gets an
                # account that cannot log in until an admin gives it a password.
                user = User(username=username, is_active=False)
                user.set_unusable_password()
                user.save()
                self.report.counts[("reviewer", "created")] += 1
            self.reviewers[username] = user
        return self.reviewers[username]

    def add_annotations(self, annotations: list[dict], *, new: bool, **target) -> None:
        (target_object,) = target.values()
        present = Counter()
        if not new:
            present.update(
                (reviewer, verdict, note, created_at.astimezone(datetime.UTC))
                for reviewer, verdict, note, created_at in target_object.annotations.values_list(
                    "reviewer__username", "verdict", "note", "created_at"
                )
            )
        for annotation in annotations:
            key = _annotation_key(annotation)
            if present[key]:
                present[key] -= 1
                self.report.counts[("annotation", "existing")] += 1
                continue
            annotation_create(
                reviewer=self.reviewer(annotation["reviewer"]),
                verdict=annotation["verdict"],
                note=annotation["note"],
                created_at=_parse_time(annotation["at"]),
                **target,
            )
            self.report.counts[("annotation", "created")] += 1

    def add_claim(self, where: str, data: dict) -> None:
        claim = Claim.objects.filter(public_id=data["id"]).first()
        new = claim is None
        if new:
            claim = self.create_claim(data)
            self.report.counts[("claim", "created")] += 1
        else:
            self.report.counts[("claim", "existing")] += 1
            self.compare(where, claim, data)
        self.add_annotations(data["annotations"], new=new, claim=claim)
        for position, entry in enumerate(data["cross_references"]):
            identity = _crossref_identity(data["id"], entry)
            key = _pair_key(identity)
            if key in self.crossrefs_done:
                continue
            other = Claim.objects.filter(public_id=entry["claim"]).first()
            if other is None:  # further on in the document
                self.crossrefs_pending.setdefault(
                    key, (f"{where}.cross_references[{position}]", entry, identity)
                )
                continue
            self.crossrefs_pending.pop(key, None)
            self.add_crossref(entry, identity, {data["id"]: claim, entry["claim"]: other})

    def create_claim(self, data: dict) -> Claim:
        source = self.source(data["source"])
        figure = data["figure"] or {}
        anchor = data["anchor"]
        start, lost = anchor["start"], None
        if not data["anchored"]:
            lost = Anchor(
                start=start, end=anchor["end"], prefix=anchor["prefix"], suffix=anchor["suffix"]
            )
        elif source.text != self.checker.sources[data["source"]].doc_text:
            start = reanchor(
                source.text,
                quote=data["quote"],
                prefix=anchor["prefix"],
                suffix=anchor["suffix"],
                start=start,
            ).start
        return claim_create(
            user=self.user,
            source=source,
            quote=data["quote"],
            start=start,
            lost_anchor=lost,
            summary=data["summary"],
            attributed_to=data["attributed_to"],
            topics=[self.topics[slug] for slug in data["topics"]],
            figure_text=figure.get("as_written", ""),
            value=_decimal(figure.get("value")),
            value_lower=_decimal(figure.get("lower")),
            value_upper=_decimal(figure.get("upper")),
            hedge=figure.get("hedge", ""),
            unit=figure.get("unit", ""),
            period_start=figure.get("period_start"),
            period_end=figure.get("period_end"),
            scope=figure.get("scope", ""),
            public_id=uuid.UUID(data["id"]),
        )

    def compare(self, where: str, claim: Claim, data: dict) -> None:
        figure = data["figure"] or {}
        given = {
            "source": self.source(data["source"]).pk,
            "quote": data["quote"],
            "summary": data["summary"].strip(),
            "attributed_to": data["attributed_to"].strip(),
            "topics": sorted(data["topics"]),
            "figure.as_written": figure.get("as_written", "").strip(),
            "figure.value": decimal_text(_decimal(figure.get("value"))),
            "figure.lower": decimal_text(_decimal(figure.get("lower"))),
            "figure.upper": decimal_text(_decimal(figure.get("upper"))),
            "figure.hedge": figure.get("hedge", ""),
            "figure.unit": figure.get("unit", ""),
            "figure.period_start": figure.get("period_start"),
            "figure.period_end": figure.get("period_end"),
            "figure.scope": figure.get("scope", "").strip(),
        }
        stored = {
            "source": claim.source_id,
            "quote": claim.quote,
            "summary": claim.summary,
            "attributed_to": claim.attributed_to,
            "topics": sorted(claim.topics.values_list("slug", flat=True)),
            **{
                FIGURE_PATHS[name]: decimal_text(getattr(claim, name))
                if name.startswith("value")
                else getattr(claim, name)
                for name in FIGURE_FIELDS
            },
        }
        different = [name for name in given if given[name] != stored[name]]
        if different:
            self.report.warn(
                f"{where} ({data['id']}): already in the database with a different "
                f"{', '.join(different)}; the database's version is kept"
            )

    def add_crossref(self, entry: dict, identity: tuple, claims: dict[str, Claim]) -> None:
        from_claim, to_claim = claims[identity[0]], claims[identity[1]]
        crossref = CrossReference.objects.filter(
            Q(from_claim=from_claim, to_claim=to_claim)
            | Q(from_claim=to_claim, to_claim=from_claim),
            relation=identity[2],
        ).first()
        new = crossref is None
        if new:
            crossref = crossref_create(
                user=self.user,
                from_claim=from_claim,
                to_claim=to_claim,
                relation=identity[2],
                note=entry["note"],
            )
            self.report.counts[("crossref", "created")] += 1
        else:
            self.report.counts[("crossref", "existing")] += 1
            if crossref.note != entry["note"].strip():
                self.report.warn(
                    f"cross-reference {identity[0]} {identity[2]} {identity[1]}: already in the "
                    "database with a different note; the database's note is kept"
                )
        self.add_annotations(entry["annotations"], new=new, crossref=crossref)
        self.crossrefs_done.add(_pair_key(identity))

    def finish(self) -> None:
        for where, entry, identity in self.crossrefs_pending.values():
            claims = {claim_id: Claim.objects.get(public_id=claim_id) for claim_id in identity[:2]}
            try:
                self.add_crossref(entry, identity, claims)
            except ValidationError as error:
                raise self.failure(where, error, None) from None


def import_claims(
    path: Path, *, user, dry_run: bool = False, format: str | None = None, progress=None
) -> ImportReport:
    """Import an export file as `user`: check everything, then save everything or nothing.

    With `dry_run`, everything is checked and saved, then rolled back: the report tells what
    an import would do. `progress`, if given, is called with a line of text every
    PROGRESS_EVERY claims.
    """
    path = Path(path)
    format = format or detect_format(path)
    checker = _Checker(format)
    for record in read_records(path, format):
        checker.add(record)
        if progress and record.kind == "claim" and (record.index + 1) % PROGRESS_EVERY == 0:
            progress(f"checked {record.index + 1} claims")
    checker.finish()
    report = ImportReport()
    for warning in checker.warnings:
        report.warn(warning)
    with transaction.atomic():
        writer = _Writer(checker, user=user, report=report)
        for record in read_records(path, format):
            writer.add(record)
            if progress and record.kind == "claim" and (record.index + 1) % PROGRESS_EVERY == 0:
                progress(f"saved {record.index + 1} claims")
        writer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return report
