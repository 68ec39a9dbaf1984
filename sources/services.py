"""Every write to sources goes through these functions: views, admin and commands call them."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.models import Source
from sources.signals import source_text_changed

SOURCE_EDITABLE_FIELDS = (
    "key",
    "title",
    "outlet",
    "author",
    "published_on",
    "url",
    "script",
    "region",
    "text",
)


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


def clean_text(text: str) -> str:
    """Normalise line endings so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def full_clean_without_queries(obj) -> None:
    """Check a new row as full_clean() does, but only what needs no query.

    For rows saved in bulk: what is left (unique values, constraints, that related rows
    exist) the database enforces when the rows are written. Related fields are skipped
    because Django checks each with a query of its own.
    """
    related = [field.name for field in obj._meta.concrete_fields if field.is_relation]
    obj.full_clean(exclude=related, validate_unique=False, validate_constraints=False)


def _new_source(
    *,
    user: AbstractBaseUser,
    key: str,
    title: str,
    outlet: str,
    script: str,
    region: str,
    text: str,
    author: str = "",
    published_on: date | None = None,
    url: str = "",
) -> Source:
    return Source(
        key=key,
        title=title.strip(),
        outlet=outlet.strip(),
        author=author.strip(),
        published_on=published_on,
        url=url.strip(),
        script=script,
        region=region,
        text=clean_text(text),
        created_by=user,
    )


def source_build(*, user: AbstractBaseUser, **fields) -> Source:
    """Return a new source, checked but unsaved, for sources_bulk_create.

    `fields` are source_create's. The checks need no query; the database enforces that
    the key and the URL are not taken.
    """
    source = _new_source(user=user, **fields)
    full_clean_without_queries(source)
    return source


@transaction.atomic
def source_create(*, user: AbstractBaseUser, **fields) -> Source:
    """Add an article to Hecha.

    `fields`: key, title, outlet, script, region and text; optionally author, published_on
    and url.
    """
    source = _new_source(user=user, **fields)
    source.full_clean()
    source._history_user = user
    source.save()
    return source


@transaction.atomic
def sources_bulk_create(*, user: AbstractBaseUser, sources: list[Source]) -> list[Source]:
    """Save many sources made by source_build at once, each with its history entry.

    For imports, which check keys and URLs against the database beforehand: a clash that
    slipped through is refused by the database's constraints, and the import rolls back.
    """
    Source.objects.bulk_create(sources)
    Source.history.bulk_history_create(sources, default_user=user)
    return sources


@transaction.atomic
def source_update(
    *, source: Source, user: AbstractBaseUser, expected_version: int | None = None, **changes
) -> Source:
    """Change a source's metadata or text; a changed text re-anchors the claims quoting it.

    `expected_version` is the version the editor started from; if someone saved in
    between, the edit is refused with EditConflict instead of overwriting theirs.
    """
    unknown = set(changes) - set(SOURCE_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"source_update() got unexpected fields: {', '.join(sorted(unknown))}")
    source = Source.objects.select_for_update().get(pk=source.pk)
    check_version(source, expected_version, SOURCE_EDITABLE_FIELDS)
    if "text" in changes:
        changes["text"] = clean_text(changes["text"])
    for name in ("title", "outlet", "author", "url"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    changed = {name: value for name, value in changes.items() if getattr(source, name) != value}
    if not changed:
        return source
    for name, value in changed.items():
        setattr(source, name, value)
    source.version += 1
    source.full_clean()
    source._history_user = user
    source.save()
    if "text" in changed:
        source_text_changed.send(sender=Source, source=source, user=user)
    return source
