"""JSON lookups behind the filters whose values are too many to list in a page.

Each returns at most LOOKUP_LIMIT suggestions, found through an index, as
`{"results": [{"value": ..., "label": ...}]}`; the filter box takes `value`.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from claims.models import Claim
from claims.search import matching
from claims.selectors import values_starting_with
from sources.models import Source

LOOKUP_LIMIT = 20


def _results(results):
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


@require_GET
def source_lookup(request):
    """Return sources whose title, outlet, author or key hold every word typed, newest first."""
    text = request.GET.get("q", "").strip()
    if not text:
        return _results([])
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
def outlet_lookup(request):
    """Return the outlets that start with the text typed."""
    text = request.GET.get("q", "").strip()
    if not text:
        return _results([])
    outlets = values_starting_with(Source.objects.all(), "outlet", text, limit=LOOKUP_LIMIT)
    return _results([{"value": outlet, "label": outlet} for outlet in outlets])


@require_GET
def cited_lookup(request):
    """Return the cited origins that start with the text typed."""
    text = request.GET.get("q", "").strip()
    if not text:
        return _results([])
    origins = values_starting_with(Claim.objects.all(), "attributed_to", text, limit=LOOKUP_LIMIT)
    return _results([{"value": origin, "label": origin} for origin in origins])
