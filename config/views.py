from django.db.models import Count
from django.shortcuts import render

from claims.models import Claim, CrossReference, ReviewStatus
from sources.models import Source


def home(request):
    """Show what the database holds and where reviewing starts."""
    counts = dict(
        Claim.objects.order_by()
        .values_list("review_status")
        .annotate(count=Count("pk"))
        .values_list("review_status", "count")
    )
    statuses = [(status.label, counts.get(status.value, 0)) for status in ReviewStatus]
    return render(
        request,
        "home.html",
        {
            "source_count": Source.objects.count(),
            "claim_count": sum(counts.values()),
            "crossref_count": CrossReference.objects.count(),
            "statuses": statuses,
        },
    )
