"""Checks shared by the services of every app."""

from __future__ import annotations

from collections.abc import Callable

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
