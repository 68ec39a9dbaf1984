"""Pages for reading and editing sources, with the claims quoted from them marked."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from claims.search import matching, ranked, search_terms
from claims.selectors import claims_marked_in, source_list_queryset, with_claim_counts
from claims.services import source_create, source_update
from claims.views.claims import RANK_BOUND, paginate, ranked_page
from core.history import history_entries
from core.pagination import bounded_count
from sources.forms import SourceForm
from sources.highlight import runs
from sources.models import Source
from sources.services import SOURCE_EDITABLE_FIELDS


def source_list(request):
    """List the sources, with how many claims each makes; a search puts title matches first."""
    sources = source_list_queryset()
    query = request.GET.get("q", "").strip()
    if search_terms(query):
        matches = ranked(matching(sources, query, keys=("search_key",)), query)
        page, count = ranked_page(request, matches)
    else:
        count = bounded_count(sources, filtered=False)
        page = paginate(request, sources, count=count)
    with_claim_counts(page.object_list)
    context = {
        "sources": page.object_list,
        "page": page,
        "q": query,
        "search_terms": search_terms(query),
        "ranked_among_newest": bool(search_terms(query)) and not count.exact,
        "rank_bound": RANK_BOUND,
    }
    return render(request, "sources/source_list.html", context)


def source_detail(request, pk):
    """Show the article with every claim's quote marked and linked."""
    source = get_object_or_404(Source.objects.select_related("created_by"), pk=pk)
    claims = claims_marked_in(source)
    spans = [
        (claim.pk, claim.quote_start, claim.quote_end) for claim in claims if claim.is_anchored
    ]
    context = {
        "source": source,
        "claims": claims,
        "runs": runs(source.text, spans),
        "unanchored": [claim for claim in claims if not claim.is_anchored],
    }
    return render(request, "sources/source_detail.html", context)


def _source_fields(form):
    return {name: form.cleaned_data[name] for name in SOURCE_EDITABLE_FIELDS}


@permission_required("sources.add_source", raise_exception=True)
def source_create_view(request):
    """Add an article."""
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = source_create(user=request.user, **_source_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Source added. Select text in the article to add a claim."))
            return redirect("sources:source_detail", pk=source.pk)
    return render(
        request,
        "sources/source_form.html",
        {"form": form, "source": None},
        status=400 if form.errors else 200,
    )


@permission_required("sources.change_source", raise_exception=True)
def source_edit(request, pk):
    """Change an article's metadata or correct its text; claims are anchored again."""
    source = get_object_or_404(Source, pk=pk)
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            saved = source_update(
                source=Source.objects.get(pk=pk),
                user=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                **_source_fields(form),
            )
        except ValidationError as error:  # an EditConflict too: it says what changed
            form.add_error(None, error)
        else:
            lost = saved.claims.filter(is_anchored=False).count()
            messages.success(request, _("Source saved."))
            if lost:
                messages.warning(
                    request,
                    _(
                        "%(count)d claim(s) no longer find their quote in the text and are flagged unanchored."
                    )
                    % {"count": lost},
                )
            return redirect("sources:source_detail", pk=saved.pk)
    return render(
        request,
        "sources/source_form.html",
        {"form": form, "source": source},
        status=400 if form.errors else 200,
    )


def source_history(request, pk):
    """Show who changed which field of a source, and when."""
    source = get_object_or_404(Source, pk=pk)
    entries = history_entries(source, fields=SOURCE_EDITABLE_FIELDS)
    return render(request, "sources/source_history.html", {"source": source, "entries": entries})
