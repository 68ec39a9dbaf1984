"""Checks shared by the services of every app."""

from __future__ import annotations

from django.db import models


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
