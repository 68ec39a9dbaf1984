"""A reviewer's record: every verdict they have given, for accountability and proof-reading."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render

from claims.filters import VerdictFilterSet
from claims.models import Verdict
from claims.search import RANK_BOUND, search_terms
from claims.selectors import verdict_counts_of, verdicts_given_by
from claims.views.claims import labelled_errors, paginate, query_without
from core.pagination import bounded_count


def reviewer_detail(request, username):
    """List the verdicts one reviewer has given, newest first, as the filters select."""
    reviewer = get_object_or_404(get_user_model(), username=username)
    queryset = verdicts_given_by(reviewer)
    filterset = VerdictFilterSet(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    verdicts = filterset.qs if valid else queryset.none()
    terms = search_terms(filterset.form.cleaned_data.get("q") or "") if valid else []
    # A search counts as far as the lists count one: counting ten thousand verdicts whose
    # claims hold a common word read the claims of many more.
    count = bounded_count(
        verdicts, bound=RANK_BOUND if terms else None, parts=filterset.count_parts
    )
    page = paginate(request, verdicts, count=count)
    counts = verdict_counts_of(reviewer)
    context = {
        "reviewer": reviewer,
        "filterset": filterset,
        "page": page,
        "verdicts": page.object_list,
        "result_count": count,
        "valid": valid,
        "filter_errors": labelled_errors(filterset.form) if not valid else [],
        "counts": [(kind.value, kind.label, counts[kind.value]) for kind in Verdict.Kind],
        "total": sum(counts.values()),
        "search_terms": terms,
        "page_query": query_without(request, "page"),
    }
    return render(request, "claims/reviewer_detail.html", context, status=200 if valid else 400)
