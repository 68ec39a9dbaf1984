"""Changes to a source, which move the quotes of the claims made from it and retitle them.

New sources are written by `sources.services`; a change lives here because a corrected text
re-anchors every claim quoting it, in the same transaction, and `sources` knows nothing of
claims.
"""

from __future__ import annotations

from typing import Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import Claim
from claims.services.claims import claims_reanchor, claims_refresh_search_keys
from core.validation import save_unless_taken
from core.versioning import check_version
from sources.models import Source
from sources.services import (
    SOURCE_EDITABLE_FIELDS,
    TRIMMED_FIELDS,
    SourceFields,
    clean_text,
    source_check_unique,
    source_search_key,
)


@transaction.atomic
def source_update(
    *,
    source: Source,
    user: AbstractBaseUser,
    expected_version: int,
    **changes: Unpack[SourceFields],
) -> Source:
    """Change a source's metadata or text; a changed text re-anchors the claims quoting it.

    `expected_version` is the version the editor started from; if someone saved in
    between, the edit is refused with EditConflict instead of overwriting theirs, and
    without one (None from a form that lacked it) it is refused as well.
    """
    unknown = set(changes) - set(SOURCE_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"source_update() got unexpected fields: {', '.join(sorted(unknown))}")
    source = Source.objects.select_for_update().get(pk=source.pk)
    check_version(source, expected_version, SOURCE_EDITABLE_FIELDS)
    if "text" in changes:
        changes["text"] = clean_text(changes["text"])
    for name in TRIMMED_FIELDS:
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    changed = {name: value for name, value in changes.items() if getattr(source, name) != value}
    if not changed:
        return source
    for name, value in changed.items():
        setattr(source, name, value)
    source.search_key = source_search_key(source)
    source.version += 1
    source.full_clean(validate_unique=False, validate_constraints=False)
    source._history_user = user
    save_unless_taken(source, check=lambda: source_check_unique(source))
    if "text" in changed:
        claims_reanchor(source=source, user=user)
    if "published_on" in changed:
        # The claims' copy of the date orders the claim list; like a key, it is no edit
        # of the claims.
        Claim.all_objects.filter(source=source).update(source_published_on=source.published_on)
    if "title" in changed:
        # Each claim's key holds its source's title, for the claim list's search.
        claims_refresh_search_keys(source=source)
    return source
