import math

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import DisallowedHost
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults

from api.exceptions import API_PREFIX
from api.exceptions import not_found as api_not_found
from claims.roles import administrators
from claims.selectors import overview_counts, queue_counts
from core.logins import lockout_ends_at


def home(request):
    """Show what the database holds and where reviewing starts."""
    return render(request, "home.html", {**overview_counts(), **queue_counts(request.user)})


@login_not_required
def favicon(request):
    """Send browsers, which ask for /favicon.ico on every page (the admin's too), to the icon."""
    return redirect(static("favicon.svg"), permanent=True)


def bad_request(request, exception):
    """Say what was wrong with the request instead of a bare 400."""
    message = (
        str(exception)
        if exception and str(exception)
        else _("The request could not be understood.")
    )
    # A request refused for its Host header has no host of this site to go back to: asking
    # for it again would raise in the handler and answer 500.
    try:
        host = request.get_host()
    except DisallowedHost:
        host = None
    # The page the request came from, on this site, to go back to; a `javascript:` link
    # would break the pages' content security policy.
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if host
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={host}, require_https=request.is_secure()
        )
        else ""
    )
    return render(request, "400.html", {"message": message, "back": back}, status=400)


def page_not_found(request, exception):
    """Say that the address names nothing: Hecha's page, or the API's JSON under its prefix."""
    if request.path_info.startswith(API_PREFIX):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    """Explain that the signed-in user's role does not allow this."""
    context = {"message": str(exception) if exception else "", "administrators": administrators()}
    return render(request, "403.html", context, status=403)


def login_locked_out(request, original_response=None, credentials=None):
    """Refuse a login while its account or address is locked out, and say until when."""
    until = lockout_ends_at(request, credentials)
    # Rounded up: "in 15 minutes" right after the lockout, never "in 0 minutes" before its end.
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {
        "form": AuthenticationForm(request),
        "locked_until": until,
        "minutes_left": ngettext("%(count)d minute", "%(count)d minutes", minutes)
        % {"count": minutes},
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/login.html", context, status=429)
