"""The one page of the core app: choosing the script article and claim text is read in."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import reading
from core.redirects import page_to_return_to
from core.services import preferences_set_reading


@require_POST
@login_not_required
def reading_set(request):
    """Remember the reader's choice of script and go back to the page it was made on.

    Signed-in users keep it with their account; visitors of the public fact-check pages
    keep it in their session.
    """
    choice = request.POST.get("reading", "")
    if not reading.is_reading(choice):
        raise BadRequest(_("Choose how to show text: as published, Traditional or Simplified."))
    if request.user.is_authenticated:
        preferences_set_reading(user=request.user, reading=choice)
    else:
        reading.remember_reading(request, choice)
    return HttpResponseRedirect(page_to_return_to(request) or "/")
