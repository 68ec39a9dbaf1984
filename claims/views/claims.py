"""Pages for finding, reading, reviewing and editing claims."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims.candidates import cited_origin
from claims.exports import ClaimExport
from claims.filters import ClaimFilterSet
from claims.forms import ClaimForm, CrossReferenceCreateForm, VerdictForm
from claims.models import Claim, Verdict
from claims.proposals import form_values, propose_figure
from claims.search import highlight_parts, matching, ranked, search_terms
from claims.selectors import claim_detail_queryset, claim_list_queryset, verdicts_on
from claims.services import (
    CLAIM_EDITABLE_FIELDS,
    claim_publish,
    claim_unpublish,
    crossref_create,
    publication_refusals,
    verdict_create,
)
from core.history import history_entries
from sources.highlight import passage
from sources.models import Source

PAGE_SIZES = (25, 50, 100)
# A much-reviewed claim shows its newest verdicts first and the rest a page at a time.
VERDICTS_PER_PAGE = 50
# Longer than any sentence the candidate queue proposes; a selection beyond is not a quote.
MAX_PROPOSAL_QUOTE = 5000
LOOKUP_LIMIT = 20


def paginate(request, queryset, *, default_size=PAGE_SIZES[0]):
    """Return the requested page of `queryset`; a malformed page or size is a bad request."""
    size = request.GET.get("per_page") or str(default_size)
    # Compared as text: Python refuses to read an integer of over 4,300 digits.
    if size.lstrip("0") not in map(str, PAGE_SIZES):
        raise BadRequest(
            _("per_page must be one of %(sizes)s.") % {"sizes": ", ".join(map(str, PAGE_SIZES))}
        )
    return page_of(request, Paginator(queryset, int(size)))


def page_of(request, paginator: Paginator, parameter: str = "page"):
    """Return the page the query string names; a malformed or missing page is a bad request."""
    number = request.GET.get(parameter) or "1"
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        raise BadRequest(_("%(name)s must be a whole number.") % {"name": parameter}) from None
    except EmptyPage:
        raise BadRequest(
            _("There is no page %(page)s; the last page is %(last)d.")
            % {"page": number[:20], "last": paginator.num_pages}
        ) from None


def query_without(request, *names):
    """Return the current query string without the given parameters."""
    return urlencode(
        [(key, value) for key, value in request.GET.items() if key not in names and value != ""]
    )


def labelled_errors(form):
    """Return a form's errors as (field label, message) pairs, for a summary at the top."""
    return [
        (form.fields[name].label if name in form.fields else "", message)
        for name, messages in form.errors.items()
        for message in messages
    ]


def claim_list(request):
    """List the claims that the filters select, with their status and figures."""
    queryset = claim_list_queryset()
    filterset = ClaimFilterSet(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    page = paginate(request, filterset.qs if valid else queryset.none())
    context = {
        "filterset": filterset,
        "page": page,
        "claims": page.object_list,
        "result_count": page.paginator.count,
        "valid": valid,
        "search_terms": search_terms(filterset.form.cleaned_data.get("q") or "") if valid else [],
        "filter_errors": labelled_errors(filterset.form) if not valid else [],
        "page_query": query_without(request, "page"),
        "export_query": query_without(request, "page", "per_page", "format"),
        "page_sizes": PAGE_SIZES,
    }
    return render(request, "claims/claim_list.html", context, status=200 if valid else 400)


def claim_detail(request, pk, *, verdict_form=None, crossref_form=None, status=200):
    """Show a claim in its passage, with its figure, cross-references and verdicts."""
    claim = get_object_or_404(claim_detail_queryset(), pk=pk)
    before, quoted, after, cut_before, cut_after = passage(
        claim.source.text, claim.quote_start, claim.quote_end
    )
    references = [
        {"crossref": ref, "other": ref.to_claim, "direction": "outgoing"}
        for ref in claim.outgoing_references.all()
    ] + [
        {"crossref": ref, "other": ref.from_claim, "direction": "incoming"}
        for ref in claim.incoming_references.all()
    ]
    references.sort(key=lambda item: (item["crossref"].relation, item["other"].pk))
    verdicts = page_of(request, Paginator(verdicts_on(claim), VERDICTS_PER_PAGE), "verdicts_page")
    find = request.GET.get("find", "").strip()
    context = {
        "claim": claim,
        "source": claim.source,
        "passage": {
            "before": before,
            "quote": quoted,
            "after": after,
            "cut_before": cut_before,
            "cut_after": cut_after,
        },
        "references": references,
        "annotations": verdicts,
        "verdict_form": verdict_form or VerdictForm(auto_id="verdict_%s"),
        "crossref_form": crossref_form or CrossReferenceCreateForm(claim=claim),
        "find": find,
        "candidates": lookup_candidates(find, exclude=claim.pk) if find else [],
        "find_terms": search_terms(find) if find else [],
        "publication_refusals": [] if claim.is_published else publication_refusals(claim),
    }
    return render(request, "claims/claim_detail.html", context, status=status)


def lookup_candidates(text, *, exclude=None):
    """Return the claims in which every word of `text` is found, those quoting them first."""
    matches = ranked(
        matching(Claim.objects.select_related("source"), text, keys=("search_key",)).order_by(
            "source__title", "quote_start", "pk"
        ),
        text,
    )
    if exclude is not None:
        matches = matches.exclude(pk=exclude)
    return list(matches[:LOOKUP_LIMIT])


@require_GET
def claim_lookup(request):
    """Return claims matching `q` as JSON, for choosing the other claim of a cross-reference."""
    text = request.GET.get("q", "").strip()
    exclude = request.GET.get("exclude")
    if exclude is not None and not re.fullmatch(r"[0-9]{1,18}", exclude):
        return JsonResponse({"errors": {"exclude": [_("Give a claim number.")]}}, status=400)
    if len(text) < 1:
        return JsonResponse({"results": []})
    terms = search_terms(text)
    results = [
        {
            "id": claim.pk,
            "quote": claim.quote,
            # The quote cut into [text, matched] runs, for the page to mark the words found.
            "quote_parts": highlight_parts(claim.quote, terms),
            "source": claim.source.title,
            "outlet": claim.source.outlet,
            "figure": claim.figure_text,
            "url": reverse("claims:claim_detail", args=[claim.pk]),
        }
        for claim in lookup_candidates(text, exclude=int(exclude) if exclude else None)
    ]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


@require_POST
@permission_required("claims.add_verdict", raise_exception=True)
def claim_annotate(request, pk):
    """Record the signed-in reviewer's verdict on a claim."""
    claim = get_object_or_404(Claim, pk=pk)
    form = VerdictForm(request.POST, auto_id="verdict_%s")
    if not form.is_valid():
        return claim_detail(request, pk, verdict_form=form, status=400)
    verdict_create(
        reviewer=request.user,
        claim=claim,
        verdict=form.cleaned_data["verdict"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        _("Your verdict “%(verdict)s” is recorded.")
        % {"verdict": Verdict.Kind(form.cleaned_data["verdict"]).label},
    )
    return redirect(reverse("claims:claim_detail", args=[pk]) + "#verdicts")


@require_POST
@permission_required("claims.add_crossreference", raise_exception=True)
def claim_crossref_create(request, pk):
    """Link a claim to another claim with a relation and a note."""
    claim = get_object_or_404(Claim, pk=pk)
    form = CrossReferenceCreateForm(request.POST, claim=claim)
    if form.is_valid():
        try:
            crossref_create(
                user=request.user,
                from_claim=claim,
                to_claim=form.cleaned_data["to_claim"],
                relation=form.cleaned_data["relation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cross-reference added."))
            return redirect(reverse("claims:claim_detail", args=[pk]) + "#crossrefs")
    return claim_detail(request, pk, crossref_form=form, status=400)


@require_POST
@permission_required("claims.publish_claim", raise_exception=True)
def claim_publish_view(request, pk):
    """Publish a reviewed claim on its public page, or say why it cannot be."""
    claim = get_object_or_404(Claim, pk=pk)
    try:
        claim = claim_publish(claim=claim, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, _("Not published: %(reason)s") % {"reason": message})
    else:
        messages.success(request, _("Published: anyone can now read this fact-check."))
    return redirect(reverse("claims:claim_detail", args=[pk]) + "#publication")


@require_POST
@permission_required("claims.publish_claim", raise_exception=True)
def claim_unpublish_view(request, pk):
    """Take a claim's public page down."""
    claim_unpublish(claim=get_object_or_404(Claim, pk=pk), user=request.user)
    messages.success(request, _("Unpublished: the public page is gone."))
    return redirect(reverse("claims:claim_detail", args=[pk]) + "#publication")


@permission_required("claims.change_claim", raise_exception=True)
def claim_edit(request, pk):
    """Change what a claim says; an edit from an outdated copy is refused, not merged."""
    claim = get_object_or_404(Claim.objects.select_related("source"), pk=pk)
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=claim)
        if form.is_valid():
            try:
                saved = form.save_with(request.user)
            except ValidationError as error:  # an EditConflict too: it says what changed
                form.add_error(None, error)
            else:
                messages.success(request, _("Claim saved."))
                return redirect("claims:claim_detail", pk=saved.pk)
    else:
        form = ClaimForm(instance=claim)
    return render(
        request,
        "claims/claim_form.html",
        {"form": form, "claim": claim, "source": claim.source},
        status=form_status(form),
    )


@permission_required("claims.add_claim", raise_exception=True)
def claim_create_view(request, source_pk):
    """Add a claim to a source, usually from text selected in the article."""
    source = get_object_or_404(Source, pk=source_pk)
    if request.method == "POST":
        form = ClaimForm(request.POST, source=source)
        if form.is_valid():
            try:
                claim = form.save_with(request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Claim added."))
                return redirect("claims:claim_detail", pk=claim.pk)
    else:
        quote = request.GET.get("quote", "")
        initial = {"quote": quote, "start": request.GET.get("start") or None}
        if quote.strip():
            # A quote selected in the article comes with the figure and origin it states.
            initial["attributed_to"] = cited_origin(quote)[1]
            figure = propose_figure(quote, region=source.region)
            if figure is not None:
                initial.update(form_values(figure), figure_proposed=True)
        form = ClaimForm(source=source, initial=initial)
    return render(
        request,
        "claims/claim_form.html",
        {"form": form, "claim": None, "source": source},
        status=form_status(form),
    )


def form_status(form):
    """Return 400 for a form with errors, 200 for one shown again only to propose a figure."""
    if not form.errors or (len(form.errors) == 1 and form.figure_was_proposed):
        return 200
    return 400


@require_GET
def figure_proposal(request, source_pk):
    """Return, as JSON, the figure the quote `quote` states, read as the claim form reads it."""
    source = get_object_or_404(Source.objects.only("pk", "region"), pk=source_pk)
    quote = request.GET.get("quote", "")
    if len(quote) > MAX_PROPOSAL_QUOTE:
        return JsonResponse(
            {
                "errors": {
                    "quote": [_("Give at most %(max)d characters.") % {"max": MAX_PROPOSAL_QUOTE}]
                }
            },
            status=400,
        )
    figure = propose_figure(quote, region=source.region) if quote.strip() else None
    return JsonResponse(
        {
            "figure": None if figure is None else form_values(figure),
            "attributed_to": cited_origin(quote)[1] if quote.strip() else "",
        },
        json_dumps_params={"ensure_ascii": False},
    )


def claim_history(request, pk):
    """Show who changed which field of a claim, and when."""
    claim = get_object_or_404(Claim.objects.select_related("source"), pk=pk)
    entries = history_entries(
        claim,
        fields=(
            *CLAIM_EDITABLE_FIELDS,
            "topics",
            "quote_start",
            "is_anchored",
            # Who published is the entry's author; the time says published or taken down.
            "published_at",
        ),
        # A new quote is anchored anew; its offset is shown only when a correction of
        # the source moved the quote itself.
        implied_by={"quote_start": "quote"},
    )
    return render(request, "claims/claim_history.html", {"claim": claim, "entries": entries})


NOT_PUBLISHABLE_SHOWN = 50


def export_overview(request):
    """Explain the export formats and offer the whole set of reviewed claims."""
    not_publishable = ClaimExport(Claim.objects.reviewed()).not_publishable()
    return render(
        request,
        "claims/export.html",
        {
            "reviewed_count": Claim.objects.reviewed().count(),
            "not_publishable_count": not_publishable.count(),
            "not_publishable": not_publishable.select_related("source")
            .defer("source__text")
            .order_by("source__title", "quote_start", "pk")[:NOT_PUBLISHABLE_SHOWN],
            "published_count": Claim.objects.published().count(),
        },
    )
