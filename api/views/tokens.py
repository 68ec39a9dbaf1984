"""The signed-in user's API tokens: make one (its secret is shown once), revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.forms import ApiTokenForm
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


@never_cache  # the answer to a new token holds its secret: no cache may keep it
def token_list(request):
    """List the user's tokens and make new ones; a new token's secret is shown only now."""
    secret = created = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                created, secret = api_token_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = ApiTokenForm(user=request.user)
    else:
        form = ApiTokenForm(user=request.user)
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user).select_related("revoked_by"),
        "created": created,
        "secret": secret,
    }
    return render(request, "api/apitoken_list.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request, pk):
    """Revoke one of the user's tokens; tools using it are refused from the next request on."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, user=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:token_list")
