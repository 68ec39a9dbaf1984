"""Counts as a reader reads them, whether exact, capped or the database's estimate."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from core.pagination import Count

register = template.Library()


@register.filter
def counted(count: Count) -> str:
    """Write a bounded count (core.pagination.bounded_count): "about 1,000,000" for an
    estimate, "more than 10,000" where counting stopped, the number itself otherwise."""
    shown = intcomma(count.value)
    if count.estimate:
        return _("about %(number)s") % {"number": shown}
    if not count.exact:
        return _("more than %(number)s") % {"number": shown}
    return shown
