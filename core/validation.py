"""Checks shared by the services of every app."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def full_clean_without_queries(obj: models.Model) -> None:
    """Check a new row as full_clean() does, but only what needs no query.

    For rows saved in bulk: what is left (unique values, constraints, that related rows
    exist) the database enforces when the rows are written. Related fields are skipped
    because Django checks each with a query of its own.
    """
    related = [field.name for field in obj._meta.concrete_fields if field.is_relation]
    obj.full_clean(exclude=related, validate_unique=False, validate_constraints=False)


def constraint_message(model: type[models.Model], name: str) -> str:
    """Return what a model's database constraint says when a row breaks it."""
    (constraint,) = [c for c in model._meta.constraints if c.name == name]
    return constraint.violation_error_message


def save_unless_taken(obj: models.Model, *, check: Callable[[], None]) -> None:
    """Save `obj` once `check` finds nothing taken; a rival who wins the race gets the same refusal.

    `check` raises the ValidationError a duplicate deserves (a key, a URL, a pair already
    there). Two writers can both pass it before either inserts; the database then refuses
    the second insert. Checking again after the refusal sees the first writer's row, so the
    second writer is told what a sequential duplicate is told, never shown a server error.
    """
    check()
    try:
        # A savepoint, so that the refused insert leaves the transaction usable for the check.
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        check()
        raise


def values_check(
    model: type[models.Model],
    values: Mapping[str, Any],
    rules: Callable[[Mapping[str, Any]], dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Check a new row given as plain values, as full_clean_without_queries checks a row.

    `values` are the row's fields by name (related fields and fields left at their
    defaults left out); each is checked by its model field, as Model.clean_fields checks
    it, then `rules`, the model's own rules as clean() states them, say what else is wrong,
    by field. Raise the ValidationError full_clean would, with the same messages; else
    return the values the fields read differently (a decimal given as text, say). For
    imports, which check a million rows: no model instance is made, and a value that is
    plainly sound (a short string, an int in range) is passed without Django's field
    machinery, which is asked only about the others, and for every message.
    """
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    doubtful = set()
    for name, value in values.items():
        sound = _sound_value(model, name)
        if sound is None or not sound(value):
            doubtful.add(name)
    # In the order of the model's fields, as full_clean names them.
    for field in model._meta.fields if doubtful else ():
        if field.name not in doubtful:
            continue
        value = values[field.name]
        if field.blank and value in field.empty_values:
            continue
        try:
            cleaned[field.name] = field.clean(value, None)
        except ValidationError as error:
            errors[field.name] = error.error_list
    if rules is not None:
        # On the values as the fields read them, as clean() sees them after clean_fields().
        for name, message in rules({**values, **cleaned} if cleaned else values).items():
            errors.setdefault(name, []).append(ValidationError(message))
    if errors:
        raise ValidationError(errors)
    return cleaned


@cache
def _sound_value(model: type[models.Model], name: str) -> Callable[[Any], bool] | None:
    """Return a test that a value of the field passes every check of Field.clean, or None.

    Made from the field's own definition (null, blank, max_length, choices and its
    validators), so that it says no more than the field does: a value it does not pass is
    checked by the field itself, which also words the refusal.
    """
    field = model._meta.get_field(name)
    limits: list[Callable[[Any], bool]] = []
    for validator in field.validators:
        if isinstance(validator, validators.MaxLengthValidator):
            limits.append(lambda value, limit=validator.limit_value: len(value) <= limit)
        elif isinstance(validator, validators.MinValueValidator):
            limits.append(lambda value, limit=validator.limit_value: value >= limit)
        elif isinstance(validator, validators.MaxValueValidator):
            limits.append(lambda value, limit=validator.limit_value: value <= limit)
        elif isinstance(validator, validators.ProhibitNullCharactersValidator):
            limits.append(lambda value: "\x00" not in value)
        else:
            return None  # a validator this does not know: the field checks every value
    if field.choices:
        choices = frozenset(value for value, _ in field.flatchoices)
        limits.append(choices.__contains__)
    kinds = {
        models.CharField: str,
        models.TextField: str,
        models.BooleanField: bool,
        models.UUIDField: uuid.UUID,
        models.DateTimeField: datetime.datetime,
        models.DateField: datetime.date,
    }
    if isinstance(field, models.IntegerField) and not field.choices:
        kind = int
    else:
        kind = kinds.get(type(field))
    if kind is None:
        return None
    null, blank = field.null, field.blank

    def sound(value) -> bool:
        if value is None:
            return null
        if type(value) is not kind or (not blank and value in field.empty_values):
            return False
        for limit in limits:
            if not limit(value):
                return False
        return True

    return sound
