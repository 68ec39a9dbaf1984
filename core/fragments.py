"""Keep the HTML of a page's costly parts, under keys made of everything those parts show.

A page's view makes the key with `fragment_key`, from the rows it has already read to draw the
fragment (`row_state`, `user_state`), and its template wraps the fragment in
`{% fragment key %}…{% endfragment %}` (core/templatetags/fragments.py). The key is a digest
of:

- the values of every field of every row the fragment is drawn from, as loaded: any change to
  any of them, by a service, an `update()` or by hand in the database, makes another key;
- the code that draws it: Hecha's templates, Python files and compiled translations, and
  the versions of Django and the installed packages, so a new release never serves a
  fragment drawn by the previous one;
- the reader's side: interface language, time zone, script prefix, reading script (and the
  one they chose, which the reading notice offers), the page's full path and query, and the
  permissions of the signed-in user (never who they are: readers with the same permissions
  share a fragment, which holds nothing of anyone's own).

So a fragment is never stale, whichever process or machine drew it: a changed record is
simply found under a new key, and the old entry ages out of the cache. This holds for the
per-process memory cache, the default, as for a cache that every worker and machine shares
(HECHA_CACHE_BACKEND). A fragment is drawn with a placeholder for the CSRF token, which is
put back per request; nothing else per user may be drawn inside one.

Reading the rows to make a key costs a page most of its time once the drawing is kept. On
PostgreSQL a view can instead make the key from a digest of the versions of those rows, read in
one query (claims.selectors.claim_page_version), and read the rows themselves only when the
fragment is not kept yet.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.urls import get_script_prefix
from django.utils import timezone, translation

from core import reading

# What a field left out of a query (`defer`, `only`) counts as: the fragment cannot show it.
NOT_LOADED = "<not loaded>"
CODE_SUFFIXES = {".py", ".html", ".txt", ".mo"}
NOT_DRAWING = {"tests", "migrations", "__pycache__"}


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Return a digest of the code that draws Hecha's pages, worked out once per process."""
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=16)
    # Installed packages (Django's admin, django-filter's widgets...) by their names and
    # versions, as their metadata folders are named: reading their files cost a worker's
    # first page a third of a second, and their metadata a tenth.
    for folder in sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}):
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith((".dist-info", ".egg-info")):
                    digest.update(f"{name};".encode())
    base = Path(settings.BASE_DIR).resolve()
    folders = {base / "templates", base / "locale", base / "config"}
    folders.update(
        path
        for path in (Path(config.path).resolve() for config in apps.get_app_configs())
        if path.is_relative_to(base) and "site-packages" not in path.parts
    )
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix not in CODE_SUFFIXES or not path.is_file():
                continue
            # Tests and migrations draw nothing.
            if NOT_DRAWING.intersection(path.relative_to(folder).parts[:-1]):
                continue
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _field_names(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def row_state(row: Model | None) -> tuple:
    """Return a row's model and the values of all the fields it was loaded with."""
    if row is None:
        return ()
    values = row.__dict__
    return (row._meta.label, *[values.get(name, NOT_LOADED) for name in _field_names(type(row))])


def loaded_state(row: Model | None, depth: int = 3) -> tuple:
    """Return row_state of a row and of every row loaded with it, to `depth` links away.

    The rows loaded with it are those that `select_related` joined in and those that
    `prefetch_related` read: all that drawing the row can show without another query.
    """
    if row is None:
        return ()
    state = [row_state(row)]
    if depth:
        for name, related in sorted(row._state.fields_cache.items()):
            state.append((name, loaded_state(related, depth - 1)))
        for name, rows in sorted(getattr(row, "_prefetched_objects_cache", {}).items()):
            state.append((name, [loaded_state(other, depth - 1) for other in rows]))
    return tuple(state)


def user_state(user) -> tuple:
    """Return what a page shows of a user named on it: the username, by which it links."""
    return () if user is None else (user.pk, user.get_username())


def permissions_state(user) -> tuple:
    """Return what decides the controls a user is shown: their permissions, not who they are."""
    if not user.is_authenticated or not user.is_active:
        return ()
    if user.is_superuser:
        return ("superuser",)
    return tuple(sorted(user.get_all_permissions()))


def fragment_key(name: str, request, *state, converted: bool = True) -> str:
    """Return the cache key of fragment `name` of this page, drawn from `state` for `request`.

    `converted` says that the fragment shows texts in the reader's script; the admin's,
    which shows them as stored, does not, and needs no reading of the reader's choice.
    """
    reader = (
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        reading.reading_of(request) if converted else None,
        reading.chosen_reading(request) if converted else None,
        request.get_full_path(),
        permissions_state(request.user),
    )
    # Pickled rather than repr()'d: twice as fast on rows' dates and decimals, and as exact
    # (equal bytes unpickle to equal values).
    digest = hashlib.blake2b(
        pickle.dumps((code_version(), reader, state), protocol=5), digest_size=20
    )
    return f"hecha:fragment:{name}:{digest.hexdigest()}"


@dataclass
class Fragment:
    """A part of a page under its key, with its HTML when the cache holds it (`pieces`)."""

    key: str | None
    # The HTML cut where the CSRF token goes; None when it is still to be drawn.
    pieces: list[str] | None = None

    @classmethod
    def lookup(cls, key: str | None) -> Fragment:
        """Return the fragment of `key`, drawn if the cache holds it; None keeps nothing."""
        if not key or not settings.HECHA_FRAGMENT_CACHE_SECONDS:
            return cls(None)
        return cls(key, cache.get(key))

    def keep(self, pieces: list[str]) -> None:
        self.pieces = pieces
        cache.set(self.key, pieces, settings.HECHA_FRAGMENT_CACHE_SECONDS)
