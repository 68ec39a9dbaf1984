"""Edits made from an old copy of a record are refused, with what changed meanwhile."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class EditConflict(ValidationError):
    """Someone else saved the object after the editor loaded it."""

    def __init__(self, current, changed_fields: dict[str, tuple]):
        self.current = current
        self.changed_fields = changed_fields
        described = "; ".join(
            f"{current._meta.get_field(name).verbose_name}: now “{_excerpt(new)}” (was “{_excerpt(old)}”)"
            for name, (old, new) in changed_fields.items()
        )
        super().__init__(
            f"This {current._meta.verbose_name} was changed by someone else while you were "
            f"editing it, so your changes were not saved. Their changes: {described or 'none visible'}. "
            "Reload the page to start from their version.",
            code="edit_conflict",
        )


def _excerpt(value, limit=80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def check_version(obj, expected_version: int | None, fields) -> None:
    """Refuse an edit made from an older version of `obj` than the one in the database."""
    if expected_version is None or expected_version == obj.version:
        return
    loaded = obj.history.filter(version=expected_version).order_by("-history_date").first()
    changed = {}
    if loaded is not None:
        changed = {
            name: (getattr(loaded, name), getattr(obj, name))
            for name in fields
            if getattr(loaded, name) != getattr(obj, name)
        }
    raise EditConflict(obj, changed)
