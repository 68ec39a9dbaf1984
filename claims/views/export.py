"""The claim list's Export links: the claims its filters select, as a file."""

from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from claims.exports import FILE_EXTENSIONS, MEDIA_TYPES, ClaimExport, filters_used
from claims.filters import ClaimFilterSet
from claims.models import Claim

WEB_FORMATS = ("json", "jsonl")


def export_response(export: ClaimExport, format: str) -> StreamingHttpResponse:
    """Return a download of `export`, streamed record by record."""
    chunks = export.json_chunks() if format == "json" else export.jsonl_lines()
    # Django encodes each piece in the charset of the content type, UTF-8.
    response = StreamingHttpResponse(chunks, content_type=MEDIA_TYPES[format])
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = (
        f'attachment; filename="hecha-claims-{stamp}.{FILE_EXTENSIONS[format]}"'
    )
    return response


@require_GET
def claim_export(request):
    """Return the reviewed claims that the claim list's filters select, as JSON or JSON Lines."""
    format = request.GET.get("format") or "json"
    filterset = ClaimFilterSet(request.GET, queryset=Claim.objects.reviewed(), request=request)
    # Unlike FilterView, FilterSet.qs silently drops invalid fields: a bad filter must not
    # turn into a file of every claim.
    errors = (
        {}
        if filterset.is_valid()
        else {name: list(messages) for name, messages in filterset.errors.items()}
    )
    if format not in WEB_FORMATS:
        errors["format"] = [_("Choose json or jsonl.")]
    if errors:
        return JsonResponse(
            {"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return export_response(ClaimExport(filterset.qs, filters=filters_used(filterset)), format)
