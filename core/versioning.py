"""Edits made from an old copy of a record are refused, with what changed meanwhile."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class EditConflict(ValidationError):
    """Someone else saved the object after the editor loaded it."""

    def __init__(self, current, changed_fields: dict[str, tuple]):
        self.current = current
        self.changed_fields = changed_fields
        described = _("; ").join(
            _("%(field)s: now “%(new)s” (was “%(old)s”)")
            % {
                "field": current._meta.get_field(name).verbose_name,
                "new": _excerpt(new),
                "old": _excerpt(old),
            }
            for name, (old, new) in changed_fields.items()
        )
        super().__init__(
            _(
                "This %(name)s was changed by someone else while you were editing it, so your "
                "changes were not saved. Their changes: %(changes)s. Reload the page to start "
                "from their version."
            )
            % {"name": current._meta.verbose_name, "changes": described or _("none visible")},
            code="edit_conflict",
        )


def _excerpt(value, limit=80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def missing_version(model) -> ValidationError:
    """Return the refusal of an edit that does not say which version it was made from."""
    return ValidationError(
        _(
            "This edit does not say which version of the %(name)s it was made from, so it "
            "cannot be checked against changes saved since; it was not saved. Reload the page "
            "and make your changes again."
        )
        % {"name": model._meta.verbose_name},
        code="version_missing",
    )


def check_version(obj, expected_version: int | None, fields) -> None:
    """Refuse an edit made from an older version of `obj` than the one in the database.

    An edit without a version is refused too: it could overwrite any newer save unseen.
    """
    if expected_version is None:
        raise missing_version(type(obj))
    if expected_version == obj.version:
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
