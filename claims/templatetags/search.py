"""Marks, in the results of a search, the words it found, whichever script they are in."""

from django import template

from claims.search import highlighted

register = template.Library()


@register.simple_tag
def marked(text, terms=None):
    """Return `text` escaped, with the words `terms` (the search's folded words) in <mark>.

    `{% marked claim.quote search_terms %}`: on a page without a search, `search_terms` is
    not set and the text is only escaped, so shared templates use it unconditionally.
    """
    return highlighted("" if text is None else str(text), terms or [])
