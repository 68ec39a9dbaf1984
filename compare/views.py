"""Pages that set competing figures side by side: suggestions, charts, lineages."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from claims.figures import parse_figures
from claims.filters import ClaimFilterSet
from claims.models import Claim, CrossReference, Topic
from claims.search import RANK_BOUND, among_newest_matches, search_terms
from claims.selectors import claim_list_queryset
from claims.views.claims import PAGE_SIZES, is_ranked, numbered_page
from compare.charts import chart_svg
from compare.filters import SuggestionQueueFilterSet
from compare.models import Origin
from compare.selectors import crossref_suggestions, lineage, origin_of
from compare.services import crossref_suggestions_kept, suggestion_accept, suggestion_dismiss
from compare.units import on_axis, ratio, rounded, written_digits
from core.fragments import Fragment, fragment_key, row_state
from core.redirects import page_to_return_to

QUEUE_CLAIMS = 40  # the recently changed claims whose suggestions the queue gathers
CHART_LIMIT = 60
LINEAGE_PER_PAGE = 100


def _back(request, claim):
    return HttpResponseRedirect(
        page_to_return_to(request) or claim.get_absolute_url() + "#suggestions"
    )


def _other(request):
    other = request.POST.get("other", "")
    if not other.isascii() or not other.isdigit():
        raise BadRequest(_("Say which claim the suggestion pairs with (other=<claim id>)."))
    return get_object_or_404(Claim, pk=int(other))


@require_POST
@permission_required("claims.add_crossreference", raise_exception=True)
def suggestion_accept_view(request, pk):
    """Record a suggested cross-reference, with the relation the editor chose."""
    claim = get_object_or_404(Claim, pk=pk)
    other = _other(request)
    relation = request.POST.get("relation", "")
    if relation not in CrossReference.Relation.values:
        raise BadRequest(_("Choose a relation: %s.") % ", ".join(CrossReference.Relation.values))
    try:
        suggestion_accept(
            user=request.user,
            claim=claim,
            other=other,
            relation=relation,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Claims %(a)s and %(b)s are now linked: %(relation)s.")
            % {"a": claim.pk, "b": other.pk, "relation": CrossReference.Relation(relation).label},
        )
    return _back(request, claim)


@require_POST
@permission_required("claims.add_crossreference", raise_exception=True)
def suggestion_dismiss_view(request, pk):
    """Set a suggestion aside for good, with the editor's reason."""
    claim = get_object_or_404(Claim, pk=pk)
    other = _other(request)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why the two claims need no cross-reference."))
        return _back(request, claim)
    try:
        suggestion_dismiss(user=request.user, claim=claim, other=other, reason=reason)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Claim %(b)s will not be suggested for claim %(a)s again.")
            % {"a": claim.pk, "b": other.pk},
        )
    return _back(request, claim)


def suggestion_queue(request):
    """List suggestions for recently changed claims, filtered by topic, relation and source."""
    claims = (
        Claim.objects.select_related("source")
        # The articles are not shown, nor compared.
        .defer("source__text", "source__search_key")
        .order_by("-updated_at", "-pk")
    )
    filterset = SuggestionQueueFilterSet(request.GET, queryset=claims)
    valid = filterset.is_valid()
    relation = filterset.form.cleaned_data.get("relation") if valid else ""
    rows, seen = [], set()
    queued = list((filterset.qs if valid else claims.none())[:QUEUE_CLAIMS])
    suggestions = crossref_suggestions_kept(claims=queued, limit=3)
    for claim in queued:
        for suggestion in suggestions[claim.pk]:
            pair = frozenset((claim.pk, suggestion.claim.pk))
            if pair in seen or (relation and suggestion.relation != relation):
                continue
            seen.add(pair)
            rows.append({"claim": claim, "suggestion": suggestion})
    rows.sort(key=lambda row: -row["suggestion"].score)
    page = numbered_page(request, Paginator(rows, PAGE_SIZES[0]))
    context = {
        "page": page,
        "rows": page.object_list,
        "filterset": filterset,
        "valid": valid,
        "queue_claims": QUEUE_CLAIMS,
    }
    return render(request, "compare/suggestion_list.html", context, status=200 if valid else 400)


def stated_multiples(claim: Claim) -> list:
    """Return the multiples (倍) stated in a claim's quote, as an article wrote them."""
    return [
        figure
        for figure in parse_figures(claim.quote, region=claim.source.region)
        if figure.unit == "times"
    ]


def pair_compare(request, a, b):
    """Set two figures side by side on one axis, with the ratio and any ratio stated."""
    if a == b:
        raise BadRequest(_("A claim is compared with another claim: choose two different ones."))
    first, second = (
        get_object_or_404(Claim.objects.select_related("source"), pk=pk) for pk in (a, b)
    )
    sides = []
    for claim in (first, second):
        axis = on_axis(claim)
        sides.append(
            {
                "claim": claim,
                "axis": axis,
                # A converted amount is no surer than the figure it came from: 2兆 new Taiwan
                # dollars is some 63.5 billion US dollars, not 63,492,063,492.06.
                "shown": (
                    rounded(axis.value, max(written_digits(claim), 3))
                    if axis is not None and axis.rate is not None
                    else getattr(axis, "value", None)
                ),
                "multiples": stated_multiples(claim),
            }
        )
    axis_a, axis_b = sides[0]["axis"], sides[1]["axis"]
    computed = gap = None
    if axis_a and axis_b and axis_a.unit == axis_b.unit and axis_a.value and axis_b.value:
        big, small = max(axis_a.value, axis_b.value), min(axis_a.value, axis_b.value)
        computed = ratio(big, small)
        if small > 0:
            # 4,850億 against 4,580億 is 1.1× but a gap of 5.9%, which is what a checker weighs.
            gap = ((big / small - 1) * 100).quantize(Decimal("0.1"))
    crossrefs = CrossReference.objects.filter(
        Q(from_claim=first, to_claim=second) | Q(from_claim=second, to_claim=first)
    )
    context = {
        "sides": sides,
        "computed": computed,
        "gap": gap,
        "crossrefs": crossrefs,
        "stated": [m for side in sides for m in side["multiples"]],
        # A bound or an estimate (超過2兆, 約1,840億) makes the ratio and the gap no surer.
        "hedged": [side["claim"] for side in sides if side["claim"].hedge],
    }
    return render(request, "compare/pair_compare.html", context)


def chart_selection(request) -> tuple[list[Claim], list[CrossReference], str, bool]:
    """Return the claims a chart shows, the links among them and its title, from the query,
    and whether a search ranked only its newest matches (RANK_BOUND) for want of ranking
    them all."""
    among_newest = False
    queryset = claim_list_queryset().prefetch_related("topics")
    if "ids" in request.GET:
        raw = [part.strip() for part in request.GET["ids"].split(",") if part.strip()]
        if not raw or not all(part.isascii() and part.isdigit() for part in raw):
            raise BadRequest(_("ids must be claim ids separated by commas, e.g. ids=3,8,21."))
        claims = list(queryset.filter(pk__in=[int(p) for p in raw])[:CHART_LIMIT])
        title = _("Chosen figures")
    elif "claim" in request.GET:
        pk = request.GET["claim"]
        if not pk.isascii() or not pk.isdigit():
            raise BadRequest(_("claim must be a claim's id."))
        claim = get_object_or_404(Claim, pk=int(pk))
        linked = CrossReference.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
        ids = {claim.pk} | {p for r in linked for p in (r.from_claim_id, r.to_claim_id)}
        claims = list(queryset.filter(pk__in=ids))
        title = _("Claim %(pk)s and the figures linked to it") % {"pk": claim.pk}
    else:
        filterset = ClaimFilterSet(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise BadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
        selected = filterset.qs
        if is_ranked(filterset):
            # As the claim list ranks a search: among the newest matches only. Ranking every
            # claim that holds a common word (人工智能, in one in eight) took a second.
            terms = search_terms(filterset.form.cleaned_data["q"])
            selected, among_newest = among_newest_matches(selected, terms=terms, bound=RANK_BOUND)
        claims = list(selected.filter(value__isnull=False)[:CHART_LIMIT])
        # The filter has checked the topic's slug; the title names the topic as it is named.
        topic = Topic.objects.filter(slug=request.GET.get("topic") or None).first()
        title = (
            _("Figures on %(topic)s") % {"topic": topic}
            if topic
            else _("Figures of the claim list")
        )
    ids = [c.pk for c in claims]
    crossrefs = list(CrossReference.objects.filter(from_claim_id__in=ids, to_claim_id__in=ids))
    return claims, crossrefs, title, among_newest


def chart(request):
    """Show competing figures on one axis, with their periods beside them."""
    claims, crossrefs, title, among_newest = chart_selection(request)
    context = {
        "title": title,
        "ranked_among_newest": among_newest,
        "rank_bound": RANK_BOUND,
        "svg": chart_svg(claims, crossrefs, title=title),
        "claims": claims,
        "query": request.GET.urlencode(),
    }
    return render(request, "compare/chart.html", context)


def chart_download(request):
    """Return the chart as an SVG file of its own."""
    claims, crossrefs, title, _among_newest = chart_selection(request)
    response = HttpResponse(chart_svg(claims, crossrefs, title=title), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="hecha-chart.svg"'
    return response


def origin_list(request):
    """List the cited origins, each with how many claims cite it."""
    from django.db.models import Count

    # Retracted claims no longer cite anything.
    standing = Q(claim_links__claim__retracted_at__isnull=True)
    origins = Origin.objects.annotate(claim_count=Count("claim_links", filter=standing)).order_by(
        "-claim_count", "name"
    )
    return render(request, "compare/origin_list.html", {"origins": origins})


def origin_lineage(request, pk):
    """Trace every claim citing an origin, in order of publication, with its mutations."""
    origin = get_object_or_404(Origin, pk=pk)
    return _lineage_page(request, origin, lineage(origin=origin), primary=None)


def claim_suggestions(request, pk):
    """Serve a claim's suggested cross-references, apart from its page.

    Scoring the candidates takes longer than the rest of the claim page, so the page asks for
    them once it is shown (`?part=panel`, the panel alone) and links here for readers without
    scripts (the panel in a page of its own).
    """
    claim = get_object_or_404(
        Claim.objects.select_related("source").defer("source__text", "source__search_key"), pk=pk
    )
    panel = request.GET.get("part") == "panel"
    context = {
        "claim": claim,
        # The lineage is traced only from an origin Hecha recognises.
        "origin": origin_of(claim) if claim.attributed_to else None,
        "suggestions": crossref_suggestions(claim=claim),
        "relations": CrossReference.Relation.choices,
        # Accepting or dismissing leads back to the page the editor works through: the claim
        # page the panel is shown in, or this page, for the suggestions left.
        "back": claim.get_absolute_url() + "#suggestions" if panel else request.get_full_path(),
    }
    if panel:
        return render(request, "compare/includes/suggestions_panel.html", context)
    return render(request, "compare/claim_suggestions.html", context)


def figure_lineage(request, pk):
    """Trace the renditions of one primary figure across outlets and scripts."""
    claim = get_object_or_404(Claim.objects.select_related("source"), pk=pk)
    origin = origin_of(claim)
    if origin is None:
        raise BadRequest(_("Claim %s names no cited origin Hecha recognises.") % claim.pk)
    return _lineage_page(request, origin, lineage(origin=origin, primary=claim), primary=claim)


def _lineage_page(request, origin: Origin, renditions: list, *, primary: Claim | None):
    """Render a page of a lineage: an origin cited by thousands of claims (the State
    Council, in 3,507 of a million) made one page of 3.4 MB."""
    page = numbered_page(request, Paginator(renditions, LINEAGE_PER_PAGE))
    context = {
        "origin": origin,
        "page": page,
        "renditions": page.object_list,
        "primary": primary,
        # A hundred claim cards took most of the page's time to draw: drawn once for every
        # distinct page of renditions and kept (core.fragments).
        "fragment": Fragment.lookup(
            fragment_key(
                "lineage",
                request,
                row_state(origin),
                [
                    (
                        row_state(rendition.claim),
                        row_state(rendition.claim.source),
                        rendition.primary and rendition.primary.pk,
                        rendition.mutations,
                        rendition.suggested_relation,
                    )
                    for rendition in page.object_list
                ],
            )
        ),
    }
    return render(request, "compare/lineage.html", context)
