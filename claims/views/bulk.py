"""Act on many claims at once: every claim the list's filters select, or the ones ticked.

A first request shows what would happen and to how many claims; only the confirmation,
posted from that page, writes anything, through the same services as one claim's page.
"""

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from claims.filters import ClaimFilterSet
from claims.forms import BulkActionForm
from claims.models import Claim
from claims.selectors import claim_list_queryset
from claims.services import claims_assign, verdict_build, verdicts_bulk_create
from claims.views.claims import labelled_errors

# A bigger selection is an export-sized job, not a click: narrow the filters first.
BULK_LIMIT = 5_000
# The parameters of this page; everything else in the query string is the list's filters.
OWN_PARAMETERS = (
    "action",
    "reviewer",
    "note",
    "ids",
    "selected",
    "confirm",
    "csrfmiddlewaretoken",
)


def _ids_of(data: QueryDict) -> list[str]:
    # "3,8,21", or one `ids` per ticked box of the claim list (its "all on this page" box
    # carries the page's ids joined), or both.
    return [
        part.strip() for value in data.getlist("ids") for part in value.split(",") if part.strip()
    ]


def _filters_of(data: QueryDict) -> QueryDict:
    filters = data.copy()
    for name in (*OWN_PARAMETERS, "page", "per_page", "format"):
        filters.pop(name, None)
    return filters


def _selection(request, data: QueryDict):
    """Return the selected claims' queryset, or the invalid FilterSet that refused them."""
    filterset = ClaimFilterSet(_filters_of(data), queryset=claim_list_queryset(), request=request)
    if not filterset.is_valid():
        return None, filterset
    claims = filterset.qs
    ids = _ids_of(data)
    if ids:
        if not all(part.isdigit() and len(part) <= 18 for part in ids):
            return None, filterset
        claims = claims.filter(pk__in={int(part) for part in ids})
    return claims, filterset


@require_http_methods(["GET", "POST"])
def claims_bulk(request):
    """Show what an action on the selected claims would do; do it once confirmed."""
    data = request.POST if request.method == "POST" else request.GET
    form = BulkActionForm(data)
    claims, filterset = _selection(request, data)
    filters = _filters_of(data)
    context = {
        "form": form,
        "filters": filters.urlencode(),
        "filter_items": [(name, value) for name in filters for value in filters.getlist(name)],
        "ids": ",".join(dict.fromkeys(_ids_of(data))),
    }
    if data.get("selected") and not _ids_of(data):
        # From the claim list's boxes with none ticked: acting on every claim instead
        # would surprise.
        context["errors"] = [("", _("Tick the claims to act on first."))]
        return render(request, "claims/claims_bulk.html", context, status=400)
    if claims is None:
        context["errors"] = labelled_errors(filterset.form) or [
            ("", _("ids must be claim numbers."))
        ]
        return render(request, "claims/claims_bulk.html", context, status=400)
    if not form.is_valid():
        context["errors"] = labelled_errors(form)
        return render(request, "claims/claims_bulk.html", context, status=400)
    action = form.cleaned_data["action"]
    needed = "claims.add_assignment" if action == BulkActionForm.ASSIGN else "claims.add_verdict"
    if not request.user.has_perm(needed):
        raise PermissionDenied(_("Your role does not allow this action."))
    # Counted as far as the limit: a selection of half a million claims is refused as
    # soon as it is known to be too large, not after every claim is counted.
    count = claims.order_by()[: BULK_LIMIT + 1].count()
    context["count"] = count
    context["action_label"] = dict(form.fields["action"].choices)[action]
    if count > BULK_LIMIT:
        context["errors"] = [
            (
                "",
                _(
                    "More than %(limit)s claims are selected; act on at most %(limit)s at "
                    "once. Narrow the selection with the filters."
                )
                % {"limit": intcomma(BULK_LIMIT)},
            )
        ]
        return render(request, "claims/claims_bulk.html", context, status=400)
    if request.method == "GET" or data.get("confirm") != "yes":
        return render(request, "claims/claims_bulk.html", context)
    try:
        done = _act(
            action,
            form.cleaned_data,
            list(claims.select_related(None).prefetch_related(None).only("pk")),
            request.user,
        )
    except ValidationError as error:
        context["errors"] = [("", message) for message in error.messages]
        return render(request, "claims/claims_bulk.html", context, status=400)
    messages.success(request, done)
    return redirect(reverse("claims:claim_list") + (f"?{context['filters']}" if filters else ""))


def _act(action: str, cleaned: dict, claims: list[Claim], user) -> str:
    if action == BulkActionForm.ASSIGN:
        reviewer = cleaned["reviewer"]
        added = claims_assign(claims=claims, reviewer=reviewer, user=user)
        message = ngettext(
            "%(added)s claim assigned to %(reviewer)s.",
            "%(added)s claims assigned to %(reviewer)s.",
            added,
        ) % {"added": intcomma(added), "reviewer": reviewer.get_username()}
        if added < len(claims):
            waiting = len(claims) - added
            message += " " + ngettext(
                "%(waiting)s was already waiting for them.",
                "%(waiting)s were already waiting for them.",
                waiting,
            ) % {"waiting": intcomma(waiting)}
        return message
    verdicts_bulk_create(
        verdicts=[
            verdict_build(reviewer=user, claim=claim, verdict=action, note=cleaned["note"])
            for claim in claims
        ]
    )
    return ngettext(
        "Your verdict is recorded on %(count)s claim.",
        "Your verdict is recorded on %(count)s claims.",
        len(claims),
    ) % {"count": intcomma(len(claims))}
