"""Writes of new sources: views, admin, imports and the seed loader call them.

A change to an existing source can move the quotes of the claims made from it, so
`source_update` lives with the claims, in `claims.services.sources`, where it re-anchors
them in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.search_keys import compose_key
from core.validation import full_clean_without_queries, save_unless_taken
from sources.keys import propose_key
from sources.models import Source

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
# Metadata that is kept without the white space typed around it.
TRIMMED_FIELDS = ("title", "outlet", "author", "url")


def clean_text(text: str) -> str:
    """Normalise line endings so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_search_key(source: Source) -> str:
    """Return a source's stored search key: its title, then its outlet, author and key."""
    return compose_key(source.title, (source.outlet, source.author, source.key))


class SourceFields(TypedDict, total=False):
    """A source's editable fields, as source_build, source_create and source_update take them.

    A new source needs a title, an outlet, a script, a region and its text (and a key,
    which source_create proposes when it is left out); a change names only what changes.
    """

    key: str
    title: str
    outlet: str
    author: str
    published_on: date | None
    url: str
    script: str
    region: str
    text: str


def source_build(*, user: AbstractBaseUser, **fields: Unpack[SourceFields]) -> Source:
    """Return a new source, checked without a query but unsaved, for an import.

    The database enforces that the key and the URL are not taken when it is saved.
    """
    source = source_check(user=user, **fields)
    source.search_key = source_search_key(source)
    return source


def source_check(*, user: AbstractBaseUser, **fields: Unpack[SourceFields]) -> Source:
    """Return a new source checked as source_build checks it, its search key left empty.

    An import's first reading checks every source and saves none: folding keys it would
    throw away took a fourteenth of that reading.
    """
    source = Source(created_by=user, **fields)
    for name in TRIMMED_FIELDS:
        setattr(source, name, getattr(source, name).strip())
    source.text = clean_text(source.text)
    full_clean_without_queries(source)
    return source


@transaction.atomic
def source_create(*, user: AbstractBaseUser, **fields: Unpack[SourceFields]) -> Source:
    """Add an article to Hecha, recording `user` as the one who added it.

    Without a key, one is proposed from the URL or the title (see sources.keys).
    """
    if not fields.get("key", "").strip():
        fields["key"] = propose_key(
            title=fields.get("title", ""),
            url=fields.get("url", ""),
            # A retracted source keeps its key: it may be restored.
            taken=lambda k: Source.all_objects.filter(key=k).exists(),
        )
    source = source_build(user=user, **fields)
    source._history_user = user
    # What source_build left to the database: the key and the URL not taken.
    save_unless_taken(source, check=lambda: source_check_unique(source))
    return source


def source_check_unique(source: Source) -> None:
    """Refuse a source whose key or URL another source already has, retracted or not."""
    retracted = Source.all_objects.retracted().exclude(pk=source.pk)
    errors = {}
    if retracted.filter(key=source.key).exists():
        errors["key"] = RETRACTED_HOLDS % {"what": _("key")}
    if source.url and retracted.filter(url=source.url).exists():
        errors["url"] = RETRACTED_HOLDS % {"what": _("URL")}
    if errors:
        raise ValidationError(errors, code="retracted_duplicate")
    source.validate_unique()
    source.validate_constraints()


# The unique checks of Django's forms and models see only what the default manager holds,
# which leaves retracted sources out; their keys and URLs are still taken.
RETRACTED_HOLDS = _(
    "A retracted source has this %(what)s: an editor can restore it from the Retracted page."
)
