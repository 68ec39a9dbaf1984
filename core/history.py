"""Read the change history that django-simple-history keeps, as who changed what, when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

LONG_TEXT = 200


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str  # "created", "changed" or "deleted"
    changes: list[Change] = field(default_factory=list)


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    if len(text) > LONG_TEXT:
        return f"{text[:LONG_TEXT]}… ({len(text)} characters)"
    return text


def history_entries(obj, *, fields) -> list[HistoryEntry]:
    """Return the object's history, newest first, with the fields each change touched."""
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    labels = {name: str(obj._meta.get_field(name).verbose_name) for name in fields}
    entries, previous = [], None
    for record in records:
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        changes = []
        if previous is not None:
            for name in fields:
                old, new = getattr(previous, name), getattr(record, name)
                if old != new:
                    changes.append(Change(labels[name], _shown(old), _shown(new)))
        if kind != "changed" or changes:
            entries.append(HistoryEntry(record.history_date, record.history_user, kind, changes))
        previous = record
    entries.reverse()
    return entries
