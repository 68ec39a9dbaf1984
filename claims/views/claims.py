"""Pages for finding, reading, reviewing and editing claims."""

import re
from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims.exports import ClaimExport
from claims.filters import ClaimFilterSet
from claims.forms import ClaimForm, CrossReferenceCreateForm, VerdictForm
from claims.models import Claim, Verdict
from claims.proposals import form_values, propose_figure, propose_origin
from claims.search import RANK_BOUND, matching, newest_matches, ranked, search_terms
from claims.selectors import (
    claim_detail_queryset,
    claim_list_queryset,
    claim_page_version,
    open_figure_places,
    verdicts_on,
)
from claims.services import (
    CLAIM_EDITABLE_FIELDS,
    claim_publish,
    claim_unpublish,
    crossref_create,
    publication_refusals,
    verdict_create,
)
from claims.views.retraction import retracted_detail
from core import pagination, reading
from core.arrays import among
from core.fragments import Fragment, fragment_key, row_state, user_state
from core.history import history_entries
from core.pagination import (
    AFTER,
    BEFORE,
    Count,
    KeysetPage,
    KeysetPaginator,
    bounded_count,
)
from sources.highlight import passage
from sources.models import Source

PAGE_SIZES = (25, 50, 100)
# A much-reviewed claim shows its newest verdicts first and the rest a page at a time.
VERDICTS_PER_PAGE = 50
# Longer than any sentence the candidate queue proposes; a selection beyond is not a quote.
MAX_PROPOSAL_QUOTE = 5000
LOOKUP_LIMIT = 20


def page_size(request, *, default_size=PAGE_SIZES[0]) -> int:
    """Return the page size asked for; one that is not offered is a bad request."""
    size = request.GET.get("per_page") or str(default_size)
    # Compared as text: Python refuses to read an integer of over 4,300 digits.
    if size.lstrip("0") not in map(str, PAGE_SIZES):
        raise BadRequest(
            _("The page size must be one of %(sizes)s.")
            % {"sizes": ", ".join(map(str, PAGE_SIZES))}
        )
    return int(size)


def page_number(request) -> int:
    """Return the page number asked for, 1 when none; one that is not a number is refused."""
    number = request.GET.get("page") or "1"
    # Python refuses to read an integer of over 4,300 digits; no list has that many pages.
    if not number.isascii() or not number.isdigit() or len(number.lstrip("0")) > 18:
        raise BadRequest(_("The page number must be a whole number from 1 up."))
    return int(number)


def no_such_page(number, count: Count, size: int) -> BadRequest:
    if count.exact:
        last = max(1, -(-count.value // size))
        return BadRequest(
            _("There is no page %(page)s; the last page is %(last)d.")
            % {"page": number, "last": last}
        )
    return BadRequest(
        _(
            "Pages numbered past %(rows)s rows are not offered: follow Next from a page, "
            "or narrow the filters."
        )
        % {"rows": f"{pagination.COUNT_BOUND:,}"}
    )


def paginate(request, queryset, *, count: Count, default_size=PAGE_SIZES[0]) -> KeysetPage:
    """Return the requested page of `queryset`, in its order.

    Next and Previous carry cursors (`after`, `before`; see core.pagination), so a page a
    million rows deep costs what the first does. A numbered `page` is still read by OFFSET
    within the first COUNT_BOUND rows, where that is cheap; past them it is refused.
    """
    size = page_size(request, default_size=default_size)
    cursorless = query_without(request, "page", AFTER, BEFORE)
    paginator = KeysetPaginator(
        queryset, size, query=query_without(request, "page", AFTER, BEFORE, "per_page")
    )
    after, before = request.GET.get(AFTER, ""), request.GET.get(BEFORE, "")
    if after or before:
        page = paginator.page(after=after, before=before)
    else:
        number = page_number(request)
        offset = (number - 1) * size
        if number < 1 or offset >= max(pagination.COUNT_BOUND, size):
            raise no_such_page(number, count, size)
        page = paginator.page_at(offset)
        if number > 1 and not page.object_list:
            raise no_such_page(number, count, size)
    link_pages(page, count, cursorless, cursors=True)
    return page


def link_pages(page: KeysetPage, count: Count, query: str, *, cursors: bool) -> None:
    """Give `page` its count and the query strings of the pages before and after it."""
    page.count, page.count_is_exact = count.value, count.exact
    page.count_is_estimate = count.estimate
    prefix = f"{query}&" if query else ""
    if cursors:
        if page.has_next:
            page.next_query = f"{prefix}{AFTER}={page.next_cursor}"
        if page.has_previous:
            # Back to the first page, a plain link: it then shows its page number and
            # needs no cursor.
            if page.start <= page.per_page:
                page.previous_query = query
            else:
                page.previous_query = f"{prefix}{BEFORE}={page.previous_cursor}"
    else:
        if page.has_next:
            page.next_query = f"{prefix}page={page.number + 1}"
        if page.has_previous:
            page.previous_query = f"{prefix}page={page.number - 1}"


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


def numbered_page(request, paginator: Paginator, parameter: str = "page"):
    """Return page_of's page with the links includes/pagination.html draws: its number of
    pages, and the query strings of the pages before and after it."""
    page = page_of(request, paginator, parameter)
    query = query_without(request, parameter)
    prefix = f"{query}&" if query else ""
    page.is_paged = paginator.num_pages > 1
    page.num_pages = paginator.num_pages
    page.next_query = f"{prefix}{parameter}={page.number + 1}" if page.has_next() else ""
    page.previous_query = f"{prefix}{parameter}={page.number - 1}" if page.has_previous() else None
    return page


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


def is_filtered(filterset) -> bool:
    """Return whether any filter narrows the list (a sort alone does not)."""
    return bool(_narrowing(filterset))


def only_searched(filterset) -> bool:
    """Return whether a search (`q`) is all that narrows a valid list."""
    return filterset.is_valid() and _narrowing(filterset) == ["q"]


def _narrowing(filterset) -> list[str]:
    return [
        name
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort" and value not in (None, "", [], False)
    ]


def ranked_page(request, matches, *, terms: Sequence[str]) -> tuple[KeysetPage, Count]:
    """Return the page of a search most relevant first, and how many it matched.

    `matches` is the search ordered by relevance. Only its newest RANK_BOUND matches are
    ranked, read newest first along the primary key, which stops as soon as it has them
    whatever the table's size; the same reading counts the matches up to that bound, so a
    search's count stops there ("more than 1,000"). The pages are numbered: they stay within
    RANK_BOUND rows.
    """
    size = page_size(request)
    number = page_number(request)
    if request.GET.get(AFTER) or request.GET.get(BEFORE):
        raise BadRequest(_("A search most relevant first has numbered pages, not page links."))
    newest, more = newest_matches(matches, bound=RANK_BOUND, terms=terms)
    count = Count(RANK_BOUND, exact=False) if more else Count(len(newest))
    offset = (number - 1) * size
    if number < 1 or offset >= RANK_BOUND:
        raise no_such_page(number, count, size)
    # The ids as one array: a parameter each cost Django and psycopg some milliseconds.
    rows = list(matches.filter(among("pk", newest))[offset : offset + size + 1])
    if number > 1 and not rows:
        raise no_such_page(number, count, size)
    page = KeysetPage(rows[:size], size, offset, len(rows) > size, offset > 0)
    link_pages(page, count, query_without(request, "page", AFTER, BEFORE), cursors=False)
    return page, count


def is_ranked(filterset) -> bool:
    """Return whether the list comes most relevant first: a search the user did not sort."""
    cleaned = filterset.form.cleaned_data
    return bool(cleaned.get("q")) and not cleaned.get("sort")


def claim_list_page(request, filterset) -> tuple[KeysetPage, Count]:
    """Return the page of claims the filters select, and how many they select."""
    if is_ranked(filterset):
        return ranked_page(
            request, filterset.qs, terms=search_terms(filterset.form.cleaned_data["q"])
        )
    searched = bool(filterset.form.cleaned_data.get("q"))
    filtered = is_filtered(filterset)
    # A search's count stops where its ranking does: a common word is in a claim in eight,
    # and counting ten thousand of them means reading eighty thousand keys.
    count = bounded_count(
        filterset.qs,
        filtered=filtered,
        bound=RANK_BOUND if searched else None,
        # The planner's estimate of a search's matches is a guess: those are counted.
        estimate_selection=not searched,
        # Unfiltered, the table's own estimate serves.
        estimate=filterset.selection_estimate if filtered else None,
    )
    return paginate(request, filterset.page_qs, count=count), count


def claim_list_cursor_at(params: dict, position: int) -> str:
    """Return the cursor that the claim list gives for its row at `position` (0-based).

    For benchmarks and tools that start a walk in the middle of a long list; it reads its
    way there by OFFSET once.
    """
    filterset = ClaimFilterSet(params, queryset=claim_list_queryset())
    if not filterset.is_valid():
        raise ValueError(filterset.errors)
    paginator = KeysetPaginator(filterset.qs, PAGE_SIZES[0], query=urlencode(params))
    row = paginator.queryset.order_by(*(key.order_by() for key in paginator.keys))[position]
    return paginator.encode(row, position)


def claim_list(request):
    """List the claims that the filters select, with their status and figures."""
    queryset = claim_list_queryset()
    filterset = ClaimFilterSet(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    if valid:
        page, count = claim_list_page(request, filterset)
    else:
        page_size(request)
        count = Count(0)
        page = KeysetPage([], PAGE_SIZES[0], 0, False, False)
        link_pages(page, count, "", cursors=False)
    context = {
        "filterset": filterset,
        "page": page,
        "claims": page.object_list,
        # The filter form and the rows are drawn once for every distinct query and page of
        # rows, and kept (core.fragments); a form with errors is drawn afresh.
        "filters": Fragment.lookup(claim_filters_key(request, filterset) if valid else None),
        "rows": Fragment.lookup(claim_rows_key(request, page.object_list) if valid else None),
        "count": count,
        "valid": valid,
        # Relevance ranked only the newest matches when there were more.
        "ranked_among_newest": valid and page.count_is_exact is False and is_ranked(filterset),
        "rank_bound": RANK_BOUND,
        "values_across_units": valid and filterset.sorts_values_across_units,
        "search_terms": search_terms(filterset.form.cleaned_data.get("q") or "") if valid else [],
        "filter_errors": labelled_errors(filterset.form) if not valid else [],
        "export_query": query_without(request, "page", "per_page", "format", AFTER, BEFORE),
        "page_sizes": PAGE_SIZES,
    }
    return render(request, "claims/claim_list.html", context, status=200 if valid else 400)


def claim_filters_key(request, filterset) -> str:
    """Return the cache key of the claim list's filter form: the choices it offers.

    The values it shows are the query's, which every key holds. The topics read here are the
    ones the form draws (claims.filters.ReadOnceChoiceFilter), so the page reads them once,
    whether the form is drawn or kept.
    """
    form = filterset.form
    return fragment_key(
        "claim_list_filters",
        request,
        # The filters on the reader's own work are offered only to a signed-in reader.
        tuple(form.fields),
        [row_state(topic) for topic in form.fields["topic"].queryset],
        # The chosen source is shown by its title.
        row_state(_chosen_source(form.cleaned_data.get("source"))),
    )


def _chosen_source(ids: list[int] | None) -> Source | None:
    """The one source the source filter chose, with the fields the form shows of it."""
    if not ids or len(ids) != 1:
        return None
    return Source.objects.only("pk", "key", "title").filter(pk=ids[0]).first()


def claim_rows_key(request, claims) -> str:
    """Return the cache key of the claim list's rows: every row they show, as read above.

    Each row shows its claim, the claim's source and topics, and no user: the tick boxes
    offered to reviewers follow the reader's permissions, which every key holds.
    """
    return fragment_key(
        "claim_list_rows",
        request,
        [
            (
                row_state(claim),
                row_state(claim.source),
                [row_state(topic) for topic in claim.topics.all()],
            )
            for claim in claims
        ],
    )


def claim_detail(request, pk, *, verdict_form=None, crossref_form=None, status=200):
    """Show a claim in its passage, with its figure, cross-references and verdicts.

    The page's content is kept drawn (core.fragments): on PostgreSQL, one query for the
    versions of its rows finds it, and the rows are read only to draw it afresh.
    """
    find = request.GET.get("find", "").strip()
    # A form sent back with its errors, or a search for the other claim, is drawn afresh.
    fresh = bool(verdict_form or crossref_form or find)
    version = None if fresh else claim_page_version(pk)
    fragment = Fragment.lookup(
        fragment_key("claim_detail", request, pk, version) if version else None
    )
    if fragment.pieces is not None:
        return kept_claim_page(request, pk, fragment, status=status)
    try:
        claim = claim_detail_queryset().get(pk=pk)
    except Claim.DoesNotExist:
        return retracted_detail(request, "claim", pk)
    references = [
        {"crossref": ref, "other": ref.to_claim, "direction": "outgoing"}
        for ref in claim.outgoing_references.all()
    ] + [
        {"crossref": ref, "other": ref.from_claim, "direction": "incoming"}
        for ref in claim.incoming_references.all()
    ]
    references.sort(key=lambda item: (item["crossref"].relation, item["other"].pk))
    verdicts = page_of(request, Paginator(verdicts_on(claim), VERDICTS_PER_PAGE), "verdicts_page")
    if not fresh and fragment.key is None:
        # No row versions to go by (SQLite): the key is made of the rows just read.
        fragment = Fragment.lookup(claim_page_key(request, claim, references, verdicts))
    if fragment.pieces is not None:
        return kept_claim_page(request, pk, fragment, status=status)
    context = {
        "claim_number": pk,
        "fragment": fragment,
        "claim": claim,
        "source": claim.source,
        # Worked out only when the page is drawn, not when it comes from the cache.
        "passage": SimpleLazyObject(lambda: claim_passage(request, claim)),
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


def kept_claim_page(request, pk, fragment: Fragment, *, status: int):
    """Return a claim page whose content the cache holds, drawn with this request's token."""
    return render(
        request,
        "claims/claim_detail.html",
        {"claim_number": pk, "fragment": fragment},
        status=status,
    )


def claim_passage(request, claim) -> dict:
    """Return a claim's quote in its passage, in the reader's script."""
    before, quoted, after, cut_before, cut_after = passage(
        claim.source.text, claim.quote_start, claim.quote_end
    )
    before, quoted, after, _converted = reading.passage(
        before, quoted, after, source=claim.source, target=reading.reading_of(request)
    )
    return {
        "before": before,
        "quote": quoted,
        "after": after,
        "cut_before": cut_before,
        "cut_after": cut_after,
    }


def claim_page_key(request, claim, references, verdicts) -> str:
    """Return the cache key of a claim page's content: every row it shows, as read above."""
    return fragment_key(
        "claim_detail",
        request,
        row_state(claim),
        row_state(claim.source),
        [user_state(user) for user in (claim.created_by, claim.figure_confirmed_by)],
        user_state(claim.published_by),
        [row_state(topic) for topic in claim.topics.all()],
        [
            (
                item["direction"],
                row_state(item["crossref"]),
                row_state(item["other"]),
                row_state(item["other"].source),
            )
            for item in references
        ],
        (verdicts.number, verdicts.paginator.count),
        [(row_state(verdict), user_state(verdict.reviewer)) for verdict in verdicts],
    )


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
    target = reading.reading_of(request)
    results = [
        {
            "id": claim.pk,
            "quote": claim.quote,
            # The quote cut into [text, matched] runs, for the page to mark the words found,
            # in the reader's script; "quote" stays as published.
            "quote_parts": reading.marked_parts(
                claim.quote, source=claim.source, target=target, terms=terms
            ),
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


def start_in(request) -> int | None:
    """Return where the quote a link brings stands in its article (`start`), or None when
    the link gives no place, or one that is not a number."""
    start = request.GET.get("start", "")
    return int(start) if start.isdigit() else None


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
            # A quote selected in the article comes with the figure and origin it states: one
            # no claim quotes yet where others in it are.
            start = start_in(request)
            initial["attributed_to"] = propose_origin(quote, text=source.text, start=start)
            figure = propose_figure(
                quote,
                region=source.region,
                among=open_figure_places(source, quote=quote, start=start),
            )
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
    source = get_object_or_404(Source.objects.only("pk", "region", "text"), pk=source_pk)
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
            "attributed_to": propose_origin(quote, text=source.text) if quote.strip() else "",
        },
        json_dumps_params={"ensure_ascii": False},
    )


def claim_history(request, pk):
    """Show who changed which field of a claim, and when; a retracted one's to editors only."""
    claims = Claim.objects
    if request.user.has_perm("claims.change_claim"):
        claims = Claim.all_objects
    claim = get_object_or_404(claims.select_related("source"), pk=pk)
    entries = history_entries(
        claim,
        fields=(
            *CLAIM_EDITABLE_FIELDS,
            "topics",
            "quote_start",
            "is_anchored",
            # Who published is the entry's author; the time says published or taken down.
            "published_at",
            # Likewise who retracted or restored it, and why.
            "retracted_at",
            "retraction_reason",
        ),
        # A new quote is anchored anew; its offset is shown only when a correction of
        # the source moved the quote itself.
        implied_by={"quote_start": "quote"},
    )
    return render(request, "claims/claim_history.html", {"claim": claim, "entries": entries})


NOT_PUBLISHABLE_SHOWN = 50


def export_overview(request):
    """Explain the export formats and offer the whole set of reviewed claims."""
    reviewed = Claim.objects.reviewed()
    not_publishable = ClaimExport(reviewed).not_publishable()
    return render(
        request,
        "claims/export.html",
        {
            # Counted as the lists count (the planner's estimate where it is far past the
            # bound): counting 700,000 reviewed claims took half a second.
            "reviewed_count": bounded_count(reviewed, estimate_selection=True),
            "not_publishable_count": bounded_count(not_publishable, estimate_selection=True),
            "not_publishable": not_publishable.select_related("source")
            .defer("source__text")
            .order_by("source__title", "quote_start", "pk")[:NOT_PUBLISHABLE_SHOWN],
            "published_count": Claim.objects.published().count(),
        },
    )
