"""The claim page's panel of suggested cross-references.

An inclusion tag rather than a context processor: it runs only where the claim page asks for
it, so no other page pays for the suggestions' queries, and the claims app needs nothing from
this one but the `{% load compare %}` in its template.
"""

from django import template

from claims.models import CrossReference
from compare.selectors import crossref_suggestions

register = template.Library()


@register.inclusion_tag("compare/includes/suggestions_panel.html", takes_context=True)
def suggestions_panel(context, claim):
    return {
        "claim": claim,
        "suggestions": crossref_suggestions(claim=claim),
        "relations": CrossReference.Relation.choices,
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
