from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

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
    statuses = [
        (status.value, status.label, counts.get(status.value, 0)) for status in ReviewStatus
    ]
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


def bad_request(request, exception):
    """Say what was wrong with the request instead of a bare 400."""
    message = (
        str(exception)
        if exception and str(exception)
        else _("The request could not be understood.")
    )
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception):
    """Explain that the signed-in user's role does not allow this."""
    return render(request, "403.html", {"message": str(exception) if exception else ""}, status=403)
