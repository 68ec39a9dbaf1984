"""Hecha's records in the terms of its export document, and back (schema/claims-export.schema.json).

Each mapping between a row and its record is written here once. The export writes its
records with the `*_record` functions; the import's two readings read them with the
`*_fields` functions into the arguments of the `*_build` services, and the seed loader,
whose files use the same names, reads its figures with `Figure`. Values have one canonical
text (decimals without exponent or trailing zeros, times in UTC with a Z), which is what
lets an export, imported and exported again, come back byte for byte.

claims.models imports `Figure` from here, so this module reads rows by their attributes
and imports no model.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from sources.anchors import Anchor

if TYPE_CHECKING:
    from claims.models import Claim, CrossReference, Verdict
    from sources.models import Source

# Wide enough for every figure a DecimalField(max_digits=30) holds, so normalising never rounds.
_DECIMAL_CONTEXT = Context(prec=40)

# Canonical text


def decimal_text(value: Decimal | None) -> str | None:
    """Return a figure as a plain decimal string: no exponent, no trailing zeros."""
    if value is None:
        return None
    if value == 0:
        return "0"
    return format(value.normalize(_DECIMAL_CONTEXT), "f")


def decimal_from_text(text: str | None) -> Decimal | None:
    """Return the decimal a document writes as text; decimal.InvalidOperation if it is none."""
    return None if text is None else Decimal(text)


def datetime_text(value: datetime.datetime) -> str:
    """Return a time in UTC as ISO 8601 with a Z, microseconds only when there are some."""
    if value.tzinfo is datetime.UTC and value.year >= 1000:
        # What the lines below write, a few times as fast (exports write a million).
        return value.replace(tzinfo=None).isoformat() + "Z"
    value = value.astimezone(datetime.UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


def datetime_from_text(text: str) -> datetime.datetime:
    """Return the time a document writes, in UTC; ValueError if it is not a time."""
    return datetime.datetime.fromisoformat(text).astimezone(datetime.UTC)


def date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def date_from_text(text: str | None) -> datetime.date | None:
    """Return the date a document writes; ValueError if it is not a date."""
    return datetime.date.fromisoformat(text) if text else None


# Figures


@dataclass(frozen=True)
class Figure:
    """The figure a claim states: as written, its value with bounds and hedge, unit, period.

    `scope`, what the figure measures, belongs to it too: the export's `figure` object and
    the seed files carry it there, and a figure's number means little without it. The
    attributes are named as the document names them; `fields()` gives the claim's own
    field names, as the services take them.
    """

    as_written: str = ""
    value: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    hedge: str = ""
    unit: str = ""
    period_start: int | None = None
    period_end: int | None = None
    scope: str = ""

    # The claim's field for each attribute, in the order of the document's keys.
    FIELD_NAMES: ClassVar[dict[str, str]] = {
        "as_written": "figure_text",
        "value": "value",
        "lower": "value_lower",
        "upper": "value_upper",
        "hedge": "hedge",
        "unit": "unit",
        "period_start": "period_start",
        "period_end": "period_end",
        "scope": "scope",
    }
    DECIMALS: ClassVar[tuple[str, ...]] = ("value", "lower", "upper")
    YEARS: ClassVar[tuple[str, ...]] = ("period_start", "period_end")

    @classmethod
    def from_claim(cls, claim: Claim) -> Figure:
        return cls(**{name: getattr(claim, field) for name, field in cls.FIELD_NAMES.items()})

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Figure:
        """Return the figure of claim fields given by name (a form's cleaned data, say)."""
        return cls(**{name: fields[field] for name, field in cls.FIELD_NAMES.items()})

    def fields(self) -> dict[str, Any]:
        """Return the claim's figure fields by name, as claim_build and claim_update take them."""
        return {field: getattr(self, name) for name, field in self.FIELD_NAMES.items()}

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None) -> Figure:
        """Return the figure of a document's `figure` object; null is no figure.

        A decimal that is not one raises decimal.InvalidOperation. The retired unit
        "year" is read as figure_without_year_unit reads it.
        """
        if record is None:
            return cls()
        return figure_without_year_unit(
            cls(
                **{
                    name: decimal_from_text(record[name]) if name in cls.DECIMALS else record[name]
                    for name in cls.FIELD_NAMES
                }
            )
        )

    def record(self) -> dict[str, Any] | None:
        """Return the figure as the document's `figure` object, None when there is none."""
        if self.is_empty:
            return None
        return {
            name: decimal_text(getattr(self, name))
            if name in self.DECIMALS
            else getattr(self, name)
            for name in self.FIELD_NAMES
        }

    @property
    def is_empty(self) -> bool:
        """Say whether the claim states no figure at all: nothing given, not even a scope."""
        return all(getattr(self, name) in (None, "") for name in self.FIELD_NAMES)


# How FIGURES.md names each hedge (claims.figures reads them so) and how a claim's `hedge`
# field names it; one to one, so a parsed figure and a claim's figure compare exactly.
HEDGE_OF_PARSED = {
    "exact": "",
    "about": "approximately",
    "at_least": "at_least",
    "more_than": "more_than",
    "at_most": "at_most",
    "less_than": "less_than",
    "range": "range",
}
PARSED_HEDGE = {hedge: parsed for parsed, hedge in HEDGE_OF_PARSED.items()}


def figure_from_parsed(parsed, *, scope: str = "") -> Figure:
    """Return a claim's figure for one that claims.figures read from text (a ParsedFigure)."""
    return Figure(
        as_written=parsed.text,
        value=parsed.value,
        lower=parsed.lower,
        upper=parsed.upper,
        hedge=HEDGE_OF_PARSED[parsed.hedge],
        unit=parsed.unit,
        period_start=parsed.period_start,
        period_end=parsed.period_end,
        scope=scope,
    )


# Until 2026 a claim's unit could be "year". In Hecha a year is a period, never a figure, and
# a number of years is a duration, unit "other"; documents and rows that still say "year"
# are read so.
RETIRED_YEAR_UNIT = "year"
_BARE_YEAR = re.compile(r"\s*[12][0-9]{3}\s*年?\s*")


def _is_year(value: Decimal | None) -> bool:
    return value is not None and value == value.to_integral_value() and 1000 <= value <= 2999


def figure_without_year_unit(figure: Figure) -> Figure:
    """Return the figure as Hecha reads one whose unit is the retired "year".

    A value that is a year (1000–2999, whole) becomes the period, unless a period is given
    already, and the figure is cleared, keeping what it says as written only when that is a
    real figure rather than the year itself; any other value is a duration, unit "other".
    A figure with another unit is returned as it is.
    """
    if figure.unit != RETIRED_YEAR_UNIT:
        return figure
    if not _is_year(figure.value):
        return dataclasses.replace(figure, unit="other")
    start, end = figure.value, figure.value
    if _is_year(figure.lower) and _is_year(figure.upper):
        start, end = figure.lower, figure.upper
    as_written = "" if _BARE_YEAR.fullmatch(figure.as_written) else figure.as_written
    return dataclasses.replace(
        figure,
        as_written=as_written,
        value=None,
        lower=None,
        upper=None,
        hedge="",
        unit="",
        period_start=int(start) if figure.period_start is None else figure.period_start,
        period_end=int(end) if figure.period_end is None else figure.period_end,
    )


# Sources


def source_record(source: Source) -> dict:
    """Return a source as the document carries it."""
    return {
        "key": source.key,
        "title": source.title,
        "outlet": source.outlet,
        "author": source.author,
        "published": date_text(source.published_on),
        "url": source.url,
        "script": source.script,
        "region": source.region,
        "text": source.text,
    }


def source_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return source_build's arguments for a source record but `user`.

    Raise ValueError if `published` is not a date.
    """
    return {
        "key": record["key"],
        "title": record["title"],
        "outlet": record["outlet"],
        "author": record.get("author", ""),
        "published_on": date_from_text(record.get("published")),
        "url": record.get("url", ""),
        "script": record["script"],
        "region": record["region"],
        "text": record["text"],
    }


# Claims


def anchor_of(record: Mapping[str, Any]) -> Anchor:
    """Return where a claim record says its quote stands."""
    anchor = record["anchor"]
    return Anchor(
        start=anchor["start"], end=anchor["end"], prefix=anchor["prefix"], suffix=anchor["suffix"]
    )


def claim_record(
    claim: Claim,
    *,
    source_key: str,
    topics: Iterable[str],
    verdicts: Iterable[Verdict],
    cross_references: Iterable[dict],
) -> dict:
    """Return a claim as the document carries it.

    `topics` are slugs; `cross_references` are crossref_record()s, of the references the
    document carries the other claim of.
    """
    return {
        "id": str(claim.public_id),
        "source": source_key,
        "quote": claim.quote,
        "anchor": {
            "start": claim.quote_start,
            "end": claim.quote_end,
            "prefix": claim.quote_prefix,
            "suffix": claim.quote_suffix,
        },
        "anchored": claim.is_anchored,
        "summary": claim.summary,
        "attributed_to": claim.attributed_to,
        "topics": sorted(topics),
        "figure": Figure.from_claim(claim).record(),
        "status": claim.review_status,
        "tally": tally_record(claim),
        "annotations": verdict_records(verdicts),
        "cross_references": sorted(
            cross_references,
            key=lambda entry: (entry["claim"], entry["relation"], entry["direction"]),
        ),
    }


def claim_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return claim_build's arguments for a claim record but `user` and `source`.

    A claim the document marks unanchored keeps the place it last stood (`lost_anchor`);
    any other is anchored at its `start`. Its topics are `record["topics"]`, slugs.
    Raise decimal.InvalidOperation if a figure's decimal is not one.
    """
    anchor = anchor_of(record)
    return {
        "public_id": uuid.UUID(record["id"]),
        "quote": record["quote"],
        "start": anchor.start,
        "lost_anchor": None if record["anchored"] else anchor,
        "summary": record["summary"],
        "attributed_to": record["attributed_to"],
        **Figure.from_record(record["figure"]).fields(),
    }


# Verdicts and tallies

# The tally's key for each count kept beside a claim or cross-reference.
TALLY_KEYS = {
    "agree": "agree_count",
    "dispute": "dispute_count",
    "needs_context": "needs_context_count",
}


def tally_record(target: Claim | CrossReference) -> dict[str, int]:
    return {key: getattr(target, field) for key, field in TALLY_KEYS.items()}


def verdict_record(verdict: Verdict) -> dict:
    return {
        "reviewer": verdict.reviewer.username,
        "verdict": verdict.verdict,
        "note": verdict.note,
        "at": datetime_text(verdict.created_at),
    }


def verdict_records(verdicts: Iterable[Verdict]) -> list[dict]:
    """Return verdicts as the document lists them, in the order they were given."""
    # Time, then reviewer; the primary key keeps two verdicts given in the same instant in the
    # order they were recorded, which is also the order an import records them in.
    ordered = sorted(verdicts, key=lambda v: (v.created_at, v.reviewer.username, v.pk))
    return [verdict_record(verdict) for verdict in ordered]


def verdict_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return verdict_build's arguments for a verdict record but its reviewer and target.

    The reviewer is the account named `record["reviewer"]`. Raise ValueError if `at` is
    not a time.
    """
    return {
        "verdict": record["verdict"],
        "note": record["note"],
        "created_at": datetime_from_text(record["at"]),
    }


# Cross-references


def crossref_record(
    crossref: CrossReference, *, direction: str, other_id: str, verdicts: Iterable[Verdict]
) -> dict:
    """Return a cross-reference as the document lists it under one of its two claims.

    `direction` is "outgoing" under its from_claim and "incoming" under its to_claim;
    `other_id` is the public id of the claim at the other end.
    """
    return {
        "relation": crossref.relation,
        "direction": direction,
        "claim": str(other_id),
        "note": crossref.note,
        "status": crossref.review_status,
        "tally": tally_record(crossref),
        "annotations": verdict_records(verdicts),
    }


def crossref_identity(claim_id: str, entry: Mapping[str, Any]) -> tuple[str, str, str]:
    """Return (from id, to id, relation) of a cross-reference listed under a claim."""
    if entry["direction"] == "outgoing":
        return claim_id, entry["claim"], entry["relation"]
    return entry["claim"], claim_id, entry["relation"]


# Where each field a service checks sits in its record, to name a refused one there.
RECORD_PATHS = {
    **{field: f"figure.{name}" for name, field in Figure.FIELD_NAMES.items()},
    "quote_start": "anchor.start",
    "quote_end": "anchor.end",
    "quote_prefix": "anchor.prefix",
    "quote_suffix": "anchor.suffix",
    "published_on": "published",
    "created_at": "at",
}
