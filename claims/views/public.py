"""Published fact-checks: pages anyone may read, without an account or a role.

Only claims an Editor has published are shown; any other address under /fact-checks/ is a
404 for everyone, signed in or not, so that the public pages never reveal that an
unpublished claim exists.
"""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from claims.exports import RATINGS, claim_review, review_reasons
from claims.middleware import role_not_required
from claims.models import Claim, Verdict
from claims.views.claims import PAGE_SIZES, page_of
from claims.views.export import public_base_url

# Inside <script>, "</script>" or "<!--" in a quote would end or change the block; escaped
# as JSON \u sequences they read the same to any JSON-LD parser.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(record: dict) -> str:
    """Return a record as JSON safe to place inside a <script type="application/ld+json">."""
    return mark_safe(json.dumps(record, ensure_ascii=False).translate(SCRIPT_ESCAPES))


def _published():
    return Claim.objects.published().select_related("source").defer("source__text")


@require_GET
@login_not_required
@role_not_required
def fact_check_list(request):
    """List the published fact-checks, most recently published first."""
    page = page_of(request, Paginator(_published().order_by("-published_at", "-pk"), PAGE_SIZES[0]))
    return render(request, "claims/fact_check_list.html", {"page": page, "claims": page})


@require_GET
@login_not_required
@role_not_required
def fact_check_detail(request, public_id):
    """Show a published claim's fact-check, with its ClaimReview for search engines.

    A published claim retracted since is gone for good (410), and the page says it was
    withdrawn, so that readers and aggregators who linked to it drop it.
    """
    try:
        claim = _published().get(public_id=public_id)
    except Claim.DoesNotExist:
        withdrawn = Claim.all_objects.published().filter(
            public_id=public_id, retracted_at__isnull=False
        )
        if withdrawn.exists():
            return render(
                request,
                "claims/fact_check_withdrawn.html",
                {"publisher": settings.HECHA_PUBLISHER},
                status=410,
            )
        raise Http404 from None
    verdicts = list(
        Verdict.objects.filter(claim=claim).only("reviewer_id", "verdict", "note", "created_at")
    )
    review = claim_review(
        claim,
        base_url=public_base_url(request),
        publisher=settings.HECHA_PUBLISHER,
        verdicts=verdicts,
    )
    rating = review["reviewRating"]
    context = {
        "claim": claim,
        "source": claim.source,
        "rating_value": RATINGS[claim.review_status][0],
        "rating": rating,
        "reasons": review_reasons(claim, verdicts),
        # A date, so the page writes it in the reader's language.
        "reviewed_on": parse_date(review.get("datePublished") or ""),
        "publisher": settings.HECHA_PUBLISHER,
        "claim_review_json": json_ld({"@context": "https://schema.org", **review}),
    }
    return render(request, "claims/fact_check_detail.html", context)
