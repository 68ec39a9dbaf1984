"""The export format as the import sees it: where fields sit, and what its records add up to.

How each record maps to a row is claims.interchange's; here is what only an import needs.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from claims.interchange import RECORD_PATHS, TALLY_KEYS, datetime_from_text
from claims.services import tally_of

HEADER_FIELDS = ("schema_version", "exported_at", "filters")
DOCUMENT_FIELDS = (*HEADER_FIELDS, "sources", "claims", "counts")


def field_path(base: str, parts) -> str:
    text = base
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def refusals(where: str, error: ValidationError) -> list[tuple[str, str]]:
    """Return (where in the document, why) for each field a service refused in a record.

    Both readings name a refusal with it, so the first reading's error for a record and the
    one the second would give are the same words.
    """
    if not hasattr(error, "error_dict"):
        return [(where, " ".join(error.messages))]
    return [
        (
            where if name == NON_FIELD_ERRORS else f"{where}.{RECORD_PATHS.get(name, name)}",
            " ".join(message for e in errors for message in e.messages),
        )
        for name, errors in error.error_dict.items()
    ]


def latest_verdicts(annotations: list[dict]) -> list[str]:
    # Each reviewer's latest verdict counts; the list order breaks ties in time, as the
    # order of recording does in the database.
    latest = {}
    ordered = sorted(
        enumerate(annotations), key=lambda pair: (datetime_from_text(pair[1]["at"]), pair[0])
    )
    for _, annotation in ordered:
        latest[annotation["reviewer"]] = annotation["verdict"]
    return list(latest.values())


def tally_of_annotations(annotations: list[dict]) -> tuple[str, dict]:
    """Return the status and the tally, as a document gives them, that verdicts amount to."""
    tally = tally_of(latest_verdicts(annotations))
    return tally["review_status"], {key: tally[field] for key, field in TALLY_KEYS.items()}


def annotation_key(annotation: dict) -> tuple:
    return (
        annotation["reviewer"],
        annotation["verdict"],
        annotation["note"].strip(),
        datetime_from_text(annotation["at"]),
    )


def pair_key(identity: tuple[str, str, str]) -> str:
    """Return the pair a cross-reference joins, with its relation, as one string to keep.

    A pair carries a relation once, in either direction, as the database's constraint says.
    """
    low, high = sorted(identity[:2])
    return f"{low} {high} {identity[2]}"
