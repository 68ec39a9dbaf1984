"""The export format as the import sees it: where fields sit, and how to read its values."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from claims.services import tally_of

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


def field_path(base: str, parts) -> str:
    text = base
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {"__all__": list(error.messages)}


def parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).astimezone(datetime.UTC)


def decimal_or_none(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def latest_verdicts(annotations: list[dict]) -> list[str]:
    # Each reviewer's latest verdict counts; the list order breaks ties in time, as the
    # order of recording does in the database.
    latest = {}
    ordered = sorted(enumerate(annotations), key=lambda pair: (parse_time(pair[1]["at"]), pair[0]))
    for _, annotation in ordered:
        latest[annotation["reviewer"]] = annotation["verdict"]
    return list(latest.values())


def tally_of_annotations(annotations: list[dict]) -> tuple[str, dict]:
    """Return the status and the tally, as a document gives them, that verdicts amount to."""
    tally = tally_of(latest_verdicts(annotations))
    return tally["review_status"], {
        name: tally[f"{name}_count"] for name in ("agree", "dispute", "needs_context")
    }


def annotation_key(annotation: dict) -> tuple:
    return (
        annotation["reviewer"],
        annotation["verdict"],
        annotation["note"].strip(),
        parse_time(annotation["at"]),
    )


def crossref_identity(claim_id: str, entry: dict) -> tuple[str, str, str]:
    """Return (from id, to id, relation) of a cross-reference listed under a claim."""
    if entry["direction"] == "outgoing":
        return claim_id, entry["claim"], entry["relation"]
    return entry["claim"], claim_id, entry["relation"]


def pair_key(identity: tuple[str, str, str]):
    # A pair carries a relation once, in either direction, as the database's constraint says.
    return frozenset(identity[:2]), identity[2]
