"""Lists put into words as the reader's language parts them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def clauses(items: Iterable) -> str:
    """Return items that may hold commas of their own on one line, each parted from the next
    as the reader's language parts clauses: "same topic; same period" in English,
    「共同主題；相同期間」 in Chinese."""
    # Translators: between two items of a list that already holds commas.
    return _("; ").join(str(item) for item in items)


def listed(items: Iterable) -> str:
    """Return names listed on one line as the reader's language lists them: "competition,
    models" in English, 「競爭、模型」 in Chinese."""
    return pgettext("list", ", ").join(str(item) for item in items)
