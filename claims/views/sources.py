"""Pages for reading and editing sources, with the claims quoted from them marked."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from claims.candidates import sentence_hash
from claims.interchange import Figure
from claims.proposals import propose_figure
from claims.search import matching, ranked, search_terms
from claims.selectors import (
    claims_marked_in,
    dismissed_hashes,
    open_candidates,
    source_list_queryset,
    source_page_version,
    with_claim_counts,
)
from claims.services import candidates_accept, candidates_dismiss, source_create, source_update
from claims.views.claims import RANK_BOUND, paginate, ranked_page
from claims.views.retraction import retracted_detail
from core import reading
from core.fragments import Fragment, fragment_key, row_state
from core.history import history_entries
from core.pagination import bounded_count
from sources.forms import SourceForm
from sources.highlight import runs
from sources.models import Source
from sources.services import SOURCE_EDITABLE_FIELDS


def warn_of_publication_gaps(request, source: Source) -> None:
    """Say, after a save, what the source still lacks for a published fact-check."""
    if source.publication_gaps:
        messages.warning(
            request,
            _("Saved without a %(missing)s: a published fact-check needs both.")
            % {"missing": _(" or ").join(source.publication_gaps)},
        )


def source_list(request):
    """List the sources, with how many claims each makes; a search puts title matches first."""
    sources = source_list_queryset()
    query = request.GET.get("q", "").strip()
    if terms := search_terms(query):
        matches = ranked(matching(sources, query, keys=("search_key",)), query)
        page, count = ranked_page(request, matches, terms=terms)
    else:
        count = bounded_count(sources, filtered=False)
        page = paginate(request, sources, count=count)
    with_claim_counts(page.object_list)
    context = {
        "sources": page.object_list,
        # The rows are drawn once for every distinct page of sources and kept (core.fragments);
        # a source's count of claims is no field of its row, so the key holds it beside.
        "rows": Fragment.lookup(
            fragment_key(
                "source_list_rows",
                request,
                [(row_state(source), source.claim_count) for source in page.object_list],
            )
        ),
        "page": page,
        "q": query,
        "search_terms": search_terms(query),
        "ranked_among_newest": bool(search_terms(query)) and not count.exact,
        "rank_bound": RANK_BOUND,
    }
    return render(request, "sources/source_list.html", context)


def source_detail(request, pk, *, candidate_errors=(), status=200):
    """Show the article with every claim's quote marked and linked, and the sentences
    proposed as claims marked and queued for an editor.

    The page's content is kept drawn (core.fragments): on PostgreSQL, one query for the
    versions of its rows finds it, and the candidates are proposed only to draw it afresh.
    """
    # A queue sent back with its errors is drawn afresh.
    fresh = bool(candidate_errors)
    version = None if fresh else source_page_version(pk)
    fragment = Fragment.lookup(
        fragment_key("source_detail", request, pk, version[0]) if version else None
    )
    if fragment.pieces is not None:
        return kept_source_page(request, version[1], fragment, status=status)
    try:
        source = Source.objects.get(pk=pk)
    except Source.DoesNotExist:
        return retracted_detail(request, "source", pk)
    claims = claims_marked_in(source)
    dismissed = dismissed_hashes(source)
    if not fresh and fragment.key is None:
        # No row versions to go by (SQLite): the key is made of the rows just read.
        fragment = Fragment.lookup(source_page_key(request, source, claims, dismissed))
    if fragment.pieces is not None:
        return kept_source_page(request, source.title, fragment, status=status)
    candidates = open_candidates(source, claims=claims, dismissed=dismissed)
    items = [
        queue_item(source, number, candidate) for number, candidate in enumerate(candidates, 1)
    ]
    shown = reading.convert(source.text, source=source, target=reading.reading_of(request))
    context = {
        "title": source.title,
        "fragment": fragment,
        "source": source,
        "claims": claims,
        "runs": marked_runs(shown, claims, candidates),
        # Selecting words to quote is offered only on the text as published, whose offsets
        # and words are the ones a claim stores.
        "converted": shown.changed,
        "unanchored": [claim for claim in claims if not claim.is_anchored],
        "candidates": items,
        # A sentence is dismissed once for a source (a constraint says so).
        "dismissed_count": len(dismissed),
        "candidate_errors": candidate_errors,
    }
    return render(request, "sources/source_detail.html", context, status=status)


def kept_source_page(request, title: str, fragment: Fragment, *, status: int):
    """Return a source page whose content the cache holds, drawn with this request's token."""
    context = {"title": title, "fragment": fragment}
    return render(request, "sources/source_detail.html", context, status=status)


def source_page_key(request, source, claims, dismissed) -> str:
    """Return the cache key of a source page's content: every row it shows, as read above."""
    return fragment_key(
        "source_detail",
        request,
        row_state(source),
        [row_state(claim) for claim in claims],
        sorted(dismissed),
    )


def marked_runs(shown, claims, candidates):
    """Return the shown text's runs with claims' quotes (`run.ids`) and candidates
    (`run.candidate`, a number in the queue) marked. A candidate overlaps a claim's quote
    only where part of its sentence is quoted (open_candidates); the quote's mark is drawn
    there, the candidate's on the rest.

    `shown` is the article's text as converted for the reader (core.reading.convert); quotes
    and candidates are placed by their offsets in the text as published, carried over.
    """
    spans = [
        (claim.pk, claim.quote_start, claim.quote_end) for claim in claims if claim.is_anchored
    ]
    spans += [
        (f"candidate-{number}", candidate.start, candidate.end)
        for number, candidate in enumerate(candidates, 1)
    ]
    result = runs(shown.text, reading.map_spans(shown, spans))
    for run in result:
        names = [span_id for span_id in run.ids if isinstance(span_id, str)]
        run.candidate = names[0].removeprefix("candidate-") if names else None
        run.ids = [span_id for span_id in run.ids if not isinstance(span_id, str)]
        run.starts = [span_id for span_id in run.starts if not isinstance(span_id, str)]
    return result


def candidate_key(candidate) -> str:
    """Return how the queue's form names a candidate: its place and its sentence's hash."""
    return f"{candidate.start}:{sentence_hash(candidate.quote)}"


def queue_item(source, number, candidate):
    figure = propose_figure(
        candidate.quote, region=source.region, among=candidate.figures_to_propose()
    )
    return {
        "number": number,
        "key": candidate_key(candidate),
        "candidate": candidate,
        "figure": figure,
        "period": Figure(period_start=candidate.period_start, period_end=candidate.period_end),
        "edit_query": urlencode({"quote": candidate.quote, "start": candidate.start}),
    }


@require_POST
@permission_required("claims.add_claim", raise_exception=True)
def source_candidates(request, pk):
    """Make the chosen candidate sentences claims, or dismiss them, one or several at once."""
    source = get_object_or_404(Source, pk=pk)
    if "accept" in request.POST or "dismiss" in request.POST:
        action = "accept" if "accept" in request.POST else "dismiss"
        keys = [request.POST[action]]
    else:
        action = request.POST.get("bulk", "")
        keys = request.POST.getlist("pick")
    if action not in ("accept", "dismiss"):
        return source_detail(
            request, pk, candidate_errors=[_("Choose to accept or to dismiss.")], status=400
        )
    if not keys:
        return source_detail(
            request, pk, candidate_errors=[_("Select at least one candidate.")], status=400
        )
    proposed = {candidate_key(c): c for c in open_candidates(source)}
    gone = [key for key in keys if key not in proposed]
    if gone:
        message = _(
            "%(count)d of the selected sentences are no longer proposed: the text changed, or "
            "someone made them claims or dismissed them. Nothing was saved; here is the queue "
            "as it stands."
        ) % {"count": len(gone)}
        return source_detail(request, pk, candidate_errors=[message], status=400)
    chosen = [proposed[key] for key in dict.fromkeys(keys)]
    try:
        if action == "accept":
            made = candidates_accept(
                source=source, user=request.user, picks=[(c.start, c.quote) for c in chosen]
            )
            messages.success(
                request,
                ngettext("%(count)d claim added.", "%(count)d claims added.", len(made))
                % {"count": len(made)},
            )
        else:
            candidates_dismiss(
                source=source, user=request.user, sentences=[c.quote for c in chosen]
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d candidate dismissed; it will not be proposed again.",
                    "%(count)d candidates dismissed; they will not be proposed again.",
                    len(chosen),
                )
                % {"count": len(chosen)},
            )
    except ValidationError as error:
        return source_detail(request, pk, candidate_errors=error.messages, status=400)
    return redirect(reverse("sources:source_detail", args=[pk]) + "#candidates")


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
            warn_of_publication_gaps(request, source)
            proposed = len(open_candidates(source))
            if proposed:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d sentence states a figure or cites an origin and is proposed "
                        "as a claim below.",
                        "%(count)d sentences state a figure or cite an origin and are proposed "
                        "as claims below.",
                        proposed,
                    )
                    % {"count": proposed},
                )
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
            warn_of_publication_gaps(request, saved)
            if lost:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d claim no longer finds its quote in the text and is flagged "
                        "unanchored.",
                        "%(count)d claims no longer find their quote in the text and are "
                        "flagged unanchored.",
                        lost,
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
    """Show who changed which field of a source, and when; a retracted one's to editors only."""
    sources = (
        Source.all_objects if request.user.has_perm("sources.change_source") else Source.objects
    )
    source = get_object_or_404(sources, pk=pk)
    entries = history_entries(
        source, fields=(*SOURCE_EDITABLE_FIELDS, "retracted_at", "retraction_reason")
    )
    return render(request, "sources/source_history.html", {"source": source, "entries": entries})
