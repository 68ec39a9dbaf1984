from django.shortcuts import render
from django.utils.translation import gettext as _

from claims.roles import administrators
from claims.selectors import overview_counts


def home(request):
    """Show what the database holds and where reviewing starts."""
    return render(request, "home.html", overview_counts())


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
    context = {"message": str(exception) if exception else "", "administrators": administrators()}
    return render(request, "403.html", context, status=403)
