"""Load the curated seed articles, claims and cross-references (format: seeds/README.md).

The demo accounts' sample verdicts on those claims (demo_verdicts.yaml) are loaded apart,
by create_demo_users: the seeds themselves carry no one's judgement.

Every record is read and checked first; then everything is written in one transaction
through the services, so a broken seed file saves nothing. Loading is idempotent: a record
already in the database as the seeds describe it is left alone.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from claims.interchange import Figure, date_text, source_fields
from claims.models import Claim, CrossReference, Verdict
from claims.services import (
    claim_create,
    claim_update,
    crossref_create,
    crossref_update,
    source_create,
    source_update,
    verdict_create,
)
from sources.anchors import QuoteNotFound, locate_quote
from sources.models import Source
from sources.text import FrontMatterError, read_article

# Seeded claims get the same public id in every database, derived from their key.
SEED_NAMESPACE = uuid.UUID("6f1c9a7e-3b52-4c1e-9d0a-2f8e5b7c4a10")

SOURCE_FIELDS = {"key", "title", "outlet", "author", "published", "url", "script", "region"}
# Where a saved page's article runs, for pages that carry site furniture around it.
BODY_FIELDS = {"body_starts", "body_ends"}
SOURCE_REQUIRED = {"key", "outlet", "script", "region"}
FRONT_MATTER_FIELDS = {"title": "title", "author": "author", "date": "published", "from": "url"}
CLAIM_FIELDS = {
    "key",
    "source",
    "quote",
    "occurrence",
    "summary",
    "attributed_to",
    "topics",
    "figure",
}
CROSSREF_FIELDS = {"from", "to", "relation", "note"}
DEMO_VERDICT_FIELDS = {"claim", "reviewer", "verdict", "note"}


class SeedError(Exception):
    """A seed file or record that cannot be loaded; the message names it and says why."""


def seed_public_id(claim_key: str) -> uuid.UUID:
    return uuid.uuid5(SEED_NAMESPACE, claim_key)


# A seeded record that an editor retracted is left so: loading the seeds again neither
# restores nor edits it.
RETRACTED = "retracted"


@dataclass
class LoadReport:
    """How many records a load created, changed and found already up to date."""

    counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def lines(self) -> list[str]:
        return [
            f"{kind}: {self.counts[(kind, 'created')]} created, "
            f"{self.counts[(kind, 'updated')]} updated, "
            f"{self.counts[(kind, 'unchanged')]} unchanged"
            + (
                f", {self.counts[(kind, RETRACTED)]} left retracted"
                if self.counts[(kind, RETRACTED)]
                else ""
            )
            for kind in ("sources", "claims", "cross-references")
        ]

    @property
    def changed(self) -> bool:
        return any(
            count
            for (_, outcome), count in self.counts.items()
            if outcome not in ("unchanged", RETRACTED)
        )


class _Records:
    """The records of one YAML file, with errors that name the file and the record."""

    def __init__(self, path: Path):
        self.name = path.name
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SeedError(f"{self.name}: the file is missing") from None
        except UnicodeDecodeError as error:
            raise SeedError(
                f"{self.name}: not UTF-8 text ({error.reason} at byte {error.start})"
            ) from None
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as error:
            raise SeedError(f"{self.name}: not valid YAML: {error}") from None
        if not isinstance(data, list):
            raise SeedError(f"{self.name}: expected a list of records")
        self.records = data

    def error(self, index: int, record, reason: str) -> SeedError:
        key = record.get("key") if isinstance(record, dict) else None
        label = f"record {index + 1}" + (f" ({key})" if key else "")
        return SeedError(f"{self.name}, {label}: {reason}")

    def __iter__(self):
        for index, record in enumerate(self.records):
            if not isinstance(record, dict):
                raise self.error(index, record, "expected a mapping of field names to values")
            yield index, record

    def check_fields(self, index, record, allowed, required):
        unknown = sorted(set(record) - allowed)
        if unknown:
            raise self.error(index, record, f"unknown field(s): {', '.join(unknown)}")
        missing = sorted(name for name in required if record.get(name) in (None, ""))
        if missing:
            raise self.error(index, record, f"missing field(s): {', '.join(missing)}")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None


def _year(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a year")
    return value


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _figure_value(name: str, value):
    # Named as an export's figure is, but typed by hand: numbers may be written as numbers
    # or with thousands separators, and anything may be left out.
    if name in Figure.DECIMALS:
        return _decimal(value)
    if name in Figure.YEARS:
        return _year(value)
    return _text(value)


def read_sources(directory: Path) -> dict[str, dict]:
    """Return each seed source's fields, keyed by source key, text read from its article."""
    records = _Records(directory / "sources.yaml")
    sources = {}
    for index, record in records:
        records.check_fields(index, record, SOURCE_FIELDS | BODY_FIELDS, SOURCE_REQUIRED)
        key = _text(record["key"])
        if key in sources:
            raise records.error(index, record, f"the key {key!r} is used twice")
        article_path = directory / f"{key}.txt"
        try:
            article = read_article(article_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise records.error(
                index, record, f"the article file {article_path.name} is missing"
            ) from None
        except UnicodeDecodeError as error:
            raise records.error(
                index, record, f"{article_path.name} is not UTF-8 text ({error.reason})"
            ) from None
        except FrontMatterError as error:
            raise records.error(index, record, f"{article_path.name}: {error}") from None
        try:
            text = _article_body(article.text, record.get("body_starts"), record.get("body_ends"))
        except ValueError as error:
            raise records.error(index, record, f"{article_path.name}: {error}") from None
        values = dict(record)
        for front_name, seed_name in FRONT_MATTER_FIELDS.items():
            if front_name in article.metadata:
                if seed_name in record:
                    raise records.error(
                        index,
                        record,
                        f"{seed_name!r} comes from the article's front matter; remove it here",
                    )
                values[seed_name] = article.metadata[front_name]
        if not _text(values.get("title")):
            raise records.error(index, record, "missing field(s): title")
        try:
            published_on = _date(values.get("published"))
        except ValueError as error:
            raise records.error(index, record, f"published: {error}") from None
        # A seed record names its fields as an export's source record does.
        sources[key] = source_fields(
            {
                **{name: _text(values.get(name)) for name in SOURCE_FIELDS},
                "key": key,
                "published": date_text(published_on),
                "text": text,
            }
        )
    return sources


def _article_body(text: str, starts: str | None, ends: str | None) -> str:
    """Return the article without what a saved page carries around it (logins, related links).

    The body runs from the first occurrence of `starts` to the end of the first occurrence
    of `ends` after it; either may be left out.
    """
    begin = 0
    if starts:
        begin = text.find(_text(starts))
        if begin < 0:
            raise ValueError(f"body_starts {starts!r} is not in the article")
    end = len(text)
    if ends:
        found = text.find(_text(ends), begin)
        if found < 0:
            raise ValueError(f"body_ends {ends!r} is not in the article after body_starts")
        end = found + len(_text(ends))
    return text[begin:end]


def read_claims(directory: Path, sources: dict[str, dict]) -> dict[str, dict]:
    """Return each seed claim's service arguments, keyed by claim key; quotes are checked."""
    records = _Records(directory / "claims.yaml")
    claims = {}
    for index, record in records:
        records.check_fields(index, record, CLAIM_FIELDS, {"key", "source", "quote"})
        key = _text(record["key"])
        if key in claims:
            raise records.error(index, record, f"the key {key!r} is used twice")
        source_key = _text(record["source"])
        if source_key not in sources:
            raise records.error(index, record, f"source {source_key!r} is not in sources.yaml")
        quote = str(record["quote"])
        occurrence = record.get("occurrence", 1)
        if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
            raise records.error(index, record, "occurrence must be a whole number from 1")
        try:
            locate_quote(sources[source_key]["text"], quote, occurrence=occurrence)
        except QuoteNotFound as error:
            raise records.error(
                index, record, f"quote not found in {source_key}.txt: {error}"
            ) from None
        topics = record.get("topics") or []
        if not isinstance(topics, list) or not all(isinstance(topic, str) for topic in topics):
            raise records.error(index, record, "topics must be a list of topic slugs")
        figure = record.get("figure") or {}
        if not isinstance(figure, dict):
            raise records.error(index, record, "figure must be a mapping")
        unknown = sorted(set(figure) - set(Figure.FIELD_NAMES))
        if unknown:
            raise records.error(index, record, f"unknown figure field(s): {', '.join(unknown)}")
        try:
            parsed = Figure(
                **{name: _figure_value(name, figure.get(name)) for name in Figure.FIELD_NAMES}
            )
        except ValueError as error:
            raise records.error(index, record, f"figure: {error}") from None
        claims[key] = {
            "source_key": source_key,
            "quote": quote,
            "occurrence": occurrence,
            "summary": _text(record.get("summary")),
            "attributed_to": _text(record.get("attributed_to")),
            "topics": topics,
            **parsed.fields(),
        }
    return claims


def read_crossrefs(directory: Path, claims: dict[str, dict]) -> list[tuple[int, dict]]:
    """Return the seed cross-references, each with its record index, claim keys checked."""
    records = _Records(directory / "crossrefs.yaml")
    crossrefs, pairs = [], set()
    for index, record in records:
        records.check_fields(index, record, CROSSREF_FIELDS, CROSSREF_FIELDS)
        from_key, to_key = _text(record["from"]), _text(record["to"])
        for name, key in (("from", from_key), ("to", to_key)):
            if key not in claims:
                raise records.error(index, record, f"{name}: claim {key!r} is not in claims.yaml")
        pair = (frozenset((from_key, to_key)), _text(record["relation"]))
        if pair in pairs:
            raise records.error(index, record, "this pair already carries this relation")
        pairs.add(pair)
        crossrefs.append(
            (
                index,
                {
                    "from": from_key,
                    "to": to_key,
                    "relation": _text(record["relation"]),
                    "note": _text(record["note"]),
                },
            )
        )
    return crossrefs


def _describe(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


@transaction.atomic
def load_seeds(directory: Path, *, user) -> LoadReport:
    """Load the seeds in `directory` as `user`, all or nothing."""
    sources = read_sources(directory)
    claims = read_claims(directory, sources)
    crossrefs = read_crossrefs(directory, claims)
    report = LoadReport()

    saved_sources = {}
    for key, fields in sources.items():
        try:
            saved_sources[key] = _upsert_source(fields, user=user, report=report)
        except ValidationError as error:
            raise SeedError(f"sources.yaml ({key}): {_describe(error)}") from None

    saved_claims = {}
    for key, fields in claims.items():
        try:
            saved_claims[key] = _upsert_claim(key, fields, saved_sources, user=user, report=report)
        except ValidationError as error:
            raise SeedError(f"claims.yaml ({key}): {_describe(error)}") from None

    for index, fields in crossrefs:
        try:
            _upsert_crossref(fields, saved_claims, user=user, report=report)
        except ValidationError as error:
            raise SeedError(
                f"crossrefs.yaml, record {index + 1} ({fields['from']} → {fields['to']}): {_describe(error)}"
            ) from None
    return report


def _upsert_source(fields: dict, *, user, report: LoadReport) -> Source:
    existing = Source.all_objects.filter(key=fields["key"]).first()
    if existing is None:
        report.add("sources", "created")
        return source_create(user=user, **fields)
    if existing.is_retracted:
        report.add("sources", RETRACTED)
        return existing
    changes = {name: value for name, value in fields.items() if getattr(existing, name) != value}
    if not changes:
        report.add("sources", "unchanged")
        return existing
    report.add("sources", "updated")
    return source_update(source=existing, user=user, expected_version=existing.version, **changes)


def _upsert_claim(
    key: str, fields: dict, sources: dict[str, Source], *, user, report: LoadReport
) -> Claim | None:
    fields = dict(fields)
    source = sources[fields.pop("source_key")]
    occurrence = fields.pop("occurrence")
    topics = fields.pop("topics")
    public_id = seed_public_id(key)
    existing = Claim.all_objects.filter(public_id=public_id).first()
    if existing is None and source.is_retracted:
        # Its source was retracted with its claims; the claim is not added back to it.
        report.add("claims", RETRACTED)
        return None
    if existing is not None and existing.is_retracted:
        report.add("claims", RETRACTED)
        return existing
    if existing is None:
        report.add("claims", "created")
        return claim_create(
            user=user,
            source=source,
            occurrence=occurrence,
            topics=topics,
            public_id=public_id,
            **fields,
        )
    if existing.source_id != source.pk:
        raise ValidationError(
            {"source": "A seeded claim cannot move to another source; give it a new key."}
        )
    start = locate_quote(source.text, fields["quote"], occurrence=occurrence).start
    changes = {name: value for name, value in fields.items() if getattr(existing, name) != value}
    topics_changed = set(topics) != set(existing.topics.values_list("slug", flat=True))
    if (
        not changes
        and not topics_changed
        and start == existing.quote_start
        and existing.is_anchored
    ):
        report.add("claims", "unchanged")
        return existing
    report.add("claims", "updated")
    return claim_update(
        claim=existing,
        user=user,
        expected_version=existing.version,
        start=start,
        topics=topics,
        **changes,
    )


def _upsert_crossref(
    fields: dict, claims: dict[str, Claim], *, user, report: LoadReport
) -> CrossReference | None:
    from_claim, to_claim = claims[fields["from"]], claims[fields["to"]]
    if any(claim is None or claim.is_retracted for claim in (from_claim, to_claim)):
        report.add("cross-references", RETRACTED)
        return None
    existing = CrossReference.all_objects.filter(
        Q(from_claim=from_claim, to_claim=to_claim) | Q(from_claim=to_claim, to_claim=from_claim),
        relation=fields["relation"],
    ).first()
    if existing is None:
        report.add("cross-references", "created")
        return crossref_create(
            user=user,
            from_claim=from_claim,
            to_claim=to_claim,
            relation=fields["relation"],
            note=fields["note"],
        )
    if existing.is_retracted:
        report.add("cross-references", RETRACTED)
        return existing
    if existing.note == fields["note"]:
        report.add("cross-references", "unchanged")
        return existing
    report.add("cross-references", "updated")
    return crossref_update(crossref=existing, user=user, note=fields["note"])


def read_demo_verdicts(directory: Path) -> list[tuple[int, dict]]:
    """Return the sample verdicts of demo_verdicts.yaml, each with its record index.

    Each names a claim of claims.yaml by its key, and a verdict Hecha knows.
    """
    claim_keys = {_text(record.get("key")) for _, record in _Records(directory / "claims.yaml")}
    records = _Records(directory / "demo_verdicts.yaml")
    verdicts = []
    for index, record in records:
        records.check_fields(index, record, DEMO_VERDICT_FIELDS, {"claim", "reviewer", "verdict"})
        key = _text(record["claim"])
        if key not in claim_keys:
            raise records.error(index, record, f"claim {key!r} is not in claims.yaml")
        kind = _text(record["verdict"])
        if kind not in Verdict.Kind.values:
            raise records.error(
                index, record, f"verdict must be one of {', '.join(Verdict.Kind.values)}"
            )
        verdicts.append(
            (
                index,
                {
                    "claim": key,
                    "reviewer": _text(record["reviewer"]),
                    "verdict": kind,
                    "note": _text(record.get("note")),
                },
            )
        )
    return verdicts


@transaction.atomic
def load_demo_verdicts(directory: Path, *, accounts: dict[str, AbstractBaseUser]) -> Counter:
    """Record the demo accounts' sample verdicts on the seeded claims, all or nothing.

    `accounts` are the demo accounts by username; every verdict's reviewer must be one. A
    verdict is recorded only where its account has given none on that claim yet, so a
    second run adds nothing, and neither does one after the account reviewed the claim
    itself. A claim not in the database (seeds not loaded) or retracted is skipped.
    Returns how many were "recorded", found "already" given, and "skipped".
    """
    outcome = Counter()
    for index, fields in read_demo_verdicts(directory):
        label = f"demo_verdicts.yaml, record {index + 1} ({fields['claim']})"
        reviewer = accounts.get(fields["reviewer"])
        if reviewer is None:
            raise SeedError(f"{label}: reviewer {fields['reviewer']!r} is not a demo account")
        claim = Claim.objects.filter(public_id=seed_public_id(fields["claim"])).first()
        if claim is None:
            outcome["skipped"] += 1
        elif claim.verdicts.filter(reviewer=reviewer).exists():
            outcome["already"] += 1
        else:
            try:
                verdict_create(
                    claim=claim, reviewer=reviewer, verdict=fields["verdict"], note=fields["note"]
                )
            except ValidationError as error:
                raise SeedError(f"{label}: {_describe(error)}") from None
            outcome["recorded"] += 1
    return outcome
