"""The cross-reference list: claims that bear on each other side by side, and verdicts on them."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from claims.filters import CrossReferenceFilterSet
from claims.forms import VerdictForm
from claims.models import CrossReference, Verdict
from claims.search import search_terms
from claims.selectors import crossref_list_queryset, verdicts_on
from claims.services import verdict_create
from claims.views.claims import (
    RANK_BOUND,
    VERDICTS_PER_PAGE,
    is_filtered,
    only_searched,
    page_of,
    paginate,
    query_without,
)
from claims.views.retraction import retracted_detail
from core.fragments import Fragment, fragment_key, row_state
from core.pagination import bounded_count, share_estimate
from core.redirects import page_to_return_to


def crossref_list(request):
    """Show cross-referenced claims side by side, so competing figures compare at a glance."""
    queryset = crossref_list_queryset()
    filterset = CrossReferenceFilterSet(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    crossrefs = filterset.qs if valid else queryset.none()
    # A search's count stops where the claim list's does: counting ten thousand pairs that
    # hold a common word reads both claims of each (half a second at a million claims). So
    # does a topic's: it is looked up for both claims of each pair (0.56 s). And as on the
    # claim list, a selection other than a search that the planner puts far past that bound
    # is not counted at all: a topic's thousand pairs took 40 ms of a 60 ms page.
    cleaned = filterset.form.cleaned_data if valid else {}
    looked_up_pair_by_pair = bool(cleaned.get("q") or cleaned.get("topic"))
    # A search for a word too common to list its claims, and for nothing else, is estimated
    # from the share of the newest claims that hold it: counting a thousand pairs holding
    # `semiconductor` walked 5,800 pairs, each with its two claims (46 ms).
    estimate = (
        share_estimate(CrossReference, filterset.count_share, crossrefs.db)
        if only_searched(filterset)
        else None
    )
    count = bounded_count(
        crossrefs,
        filtered=not valid or is_filtered(filterset),
        bound=RANK_BOUND if looked_up_pair_by_pair else None,
        estimate_selection=valid and (not cleaned.get("q") or estimate is not None),
        estimate=estimate,
        parts=filterset.count_parts,
    )
    page = paginate(request, crossrefs, count=count)
    context = {
        # The cards are drawn once for every distinct page of rows and kept (core.fragments).
        "fragment": Fragment.lookup(
            fragment_key(
                "crossref_list",
                request,
                [
                    [
                        row_state(row)
                        for row in (
                            crossref,
                            crossref.from_claim,
                            crossref.from_claim.source,
                            crossref.to_claim,
                            crossref.to_claim.source,
                        )
                    ]
                    for crossref in page.object_list
                ],
            )
            if valid
            else None
        ),
        "filterset": filterset,
        "page": page,
        "crossrefs": page.object_list,
        "valid": valid,
        "search_terms": search_terms(filterset.form.cleaned_data.get("q") or "") if valid else [],
        "page_query": query_without(request, "page"),
        "verdict_form": VerdictForm(),
        "relations": CrossReference.Relation.choices,
    }
    return render(request, "claims/crossref_list.html", context, status=200 if valid else 400)


def crossref_detail(request, pk):
    """Show a cross-reference: both claims side by side, the relation, the note and verdicts."""
    try:
        crossref = crossref_list_queryset().select_related("created_by").get(pk=pk)
    except CrossReference.DoesNotExist:
        return retracted_detail(request, "crossref", pk)
    # Who gave the verdicts the tally counts, and why, as a claim's page lists its own.
    verdicts = page_of(
        request, Paginator(verdicts_on(crossref), VERDICTS_PER_PAGE), "verdicts_page"
    )
    return render(
        request,
        "claims/crossref_detail.html",
        {"crossref": crossref, "annotations": verdicts, "verdict_form": VerdictForm()},
    )


@require_POST
@permission_required("claims.add_verdict", raise_exception=True)
def crossref_annotate(request, pk):
    """Record the signed-in reviewer's verdict on a cross-reference."""
    crossref = get_object_or_404(CrossReference, pk=pk)
    form = VerdictForm(request.POST)
    back = page_to_return_to(request)
    if form.is_valid():
        verdict_create(
            reviewer=request.user,
            crossref=crossref,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("Your verdict “%(verdict)s” on the cross-reference is recorded.")
            % {"verdict": Verdict.Kind(form.cleaned_data["verdict"]).label},
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return HttpResponseRedirect(back) if back else redirect("claims:crossref_list")
