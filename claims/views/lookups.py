"""JSON lookups behind the filters whose values are too many to list in a page.

Each returns at most LOOKUP_LIMIT suggestions, found through an index, as
`{"results": [{"value": ..., "label": ...}]}`; the filter box takes `value`.
"""

import functools

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from claims.models import Claim
from claims.search import matching
from claims.selectors import values_starting_with
from sources.models import Source

LOOKUP_LIMIT = 20


def _results(results):
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


def _typed(view):
    """Give `view` the text typed (`q`), stripped; text that can find nothing (none, or a
    NUL, which no stored text holds and PostgreSQL refuses to compare) finds nothing, as the
    claim lookup's does."""

    @functools.wraps(view)
    def lookup(request):
        text = request.GET.get("q", "").strip()
        if not text or "\x00" in text:
            return _results([])
        return view(request, text)

    return lookup


@require_GET
@_typed
def source_lookup(request, text):
    """Return sources whose title, outlet, author or key hold every word typed, newest first."""
    sources = matching(
        Source.objects.only("key", "title", "outlet", "published_on"), text, keys=("search_key",)
    ).order_by("-pk")[:LOOKUP_LIMIT]
    return _results(
        [
            {
                "value": source.key,
                "label": f"{source.title} — {source.outlet}"
                + (f", {source.published_on:%Y-%m-%d}" if source.published_on else ""),
            }
            for source in sources
        ]
    )


@require_GET
@_typed
def outlet_lookup(request, text):
    """Return the outlets that start with the text typed."""
    outlets = values_starting_with(Source.objects.all(), "outlet", text, limit=LOOKUP_LIMIT)
    return _results([{"value": outlet, "label": outlet} for outlet in outlets])


@require_GET
@_typed
def cited_lookup(request, text):
    """Return the cited origins that start with the text typed."""
    origins = values_starting_with(Claim.objects.all(), "attributed_to", text, limit=LOOKUP_LIMIT)
    return _results([{"value": origin, "label": origin} for origin in origins])
