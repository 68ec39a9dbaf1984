"""Read the change history that django-simple-history keeps, as who changed what, when."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

from core.textdiff import Hunk, text_diff


@dataclass(frozen=True)
class Change:
    """How one field changed in one edit.

    `kind` says how to show it: "value" and "number" as old → new ("number" is a Decimal,
    to be shown as people write figures), "text" by its changed stretches in context
    (`hunks`), "set" by the names `added` and `removed`.
    """

    name: str
    label: str
    kind: str
    old: object = None
    new: object = None
    hunks: tuple[Hunk, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str  # "created", "changed" or "deleted"
    changes: list[Change] = field(default_factory=list)


KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def history_entries(
    obj, *, fields: Sequence[str], implied_by: Mapping[str, str] | None = None
) -> list[HistoryEntry]:
    """Return the object's history, newest first: one entry per edit, one change per field.

    `fields` are the fields shown, in that order; many-to-many fields that the history
    tracks may be among them. A change of a field in `implied_by` is left out when the
    field it names changed in the same edit: a new quote also moves its offsets.
    An edit that changed none of `fields` is left out.
    """
    fields = tuple(dict.fromkeys(fields))
    implied_by = implied_by or {}
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries, before = [], None
    for edit in _edits(records):
        first, last = edit[0], edit[-1]
        kind = KINDS[first.history_type]
        changes = []
        if kind == "changed" and before is not None:
            delta = last.diff_against(before, included_fields=fields, foreign_keys_are_objs=True)
            changed = {change.field: change for change in delta.changes}
            changes = [
                _change(obj._meta.get_field(name), changed[name].old, changed[name].new)
                for name in fields
                if name in changed and implied_by.get(name) not in changed
            ]
        if kind != "changed" or changes:
            entries.append(HistoryEntry(first.history_date, first.history_user, kind, changes))
        before = last
    entries.reverse()
    return entries


def _edits(records: list) -> list[list]:
    """Group the history records into edits.

    simple-history writes a record when an object is saved and another for each step of
    a change of its many-to-many fields (`topics.set()` removes, then adds), so one edit
    by one user can leave several records. A record that differs from the one before only
    in many-to-many fields, by the same user, belongs to that record's edit.
    """
    edits = []
    for record in records:
        if edits and _continues(record, edits[-1][-1]):
            edits[-1].append(record)
        else:
            edits.append([record])
    return edits


def _continues(record, previous) -> bool:
    return (
        record.history_type == "~"
        and previous.history_type != "-"
        and record.history_user_id == previous.history_user_id
        and all(
            getattr(record, tracked.attname) == getattr(previous, tracked.attname)
            for tracked in record.tracked_fields
        )
    )


def _change(model_field, old, new) -> Change:
    label = str(model_field.verbose_name)
    if model_field.many_to_many:
        reverse_name = get_m2m_reverse_field_name(model_field)
        # Each row's related object is the object itself, or a DeletedObject standing
        # for one deleted since; both have a pk and a name.
        old_items = {row[reverse_name].pk: str(row[reverse_name]) for row in old}
        new_items = {row[reverse_name].pk: str(row[reverse_name]) for row in new}
        return Change(
            model_field.name,
            label,
            "set",
            added=tuple(sorted(new_items[key] for key in new_items.keys() - old_items.keys())),
            removed=tuple(sorted(old_items[key] for key in old_items.keys() - new_items.keys())),
        )
    if isinstance(model_field, models.TextField):
        return Change(model_field.name, label, "text", hunks=tuple(text_diff(old, new)))
    if isinstance(model_field, models.DecimalField):
        return Change(model_field.name, label, "number", old=old, new=new)
    return Change(
        model_field.name, label, "value", old=_shown(model_field, old), new=_shown(model_field, new)
    )


def _shown(model_field, value) -> str | None:
    """Return a short value as a reader knows it: a choice's label, yes or no, a date."""
    if value is None or value == "":
        return None
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        # A time as the pages show one: to the minute, in the site's time zone.
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
