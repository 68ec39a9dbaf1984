"""The claim list's Export links: the claims its filters select, as a file."""

import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from claims.exports import FILE_EXTENSIONS, MEDIA_TYPES, ClaimExport, filters_used
from claims.filters import ClaimFilterSet
from claims.models import Claim

WEB_FORMATS = ("json", "jsonl", "claimreview")
# How many of the selected reviewed claims a ClaimReview download leaves out because their
# source lacks its URL or date; a header, as the file is streamed and JSON-LD has no room
# for it.
NOT_PUBLISHABLE_HEADER = "X-Hecha-Not-Publishable"


# An export up to this size is held in memory before it is sent; a larger one on disk.
SPOOL_IN_MEMORY = 8 * 1024 * 1024
SEND_BLOCK = 256 * 1024


def spooled(chunks: Iterator[str]) -> Iterator[bytes]:
    """Yield the export written whole to a temporary file first, then read back from it.

    An export reads in one snapshot transaction, so that each claim agrees with its
    verdicts and sources. Streamed straight to the client it would stay open as long as
    the slowest download took, minutes for a large file on a slow line, holding back
    PostgreSQL's vacuum meanwhile; written to a file first it lasts as long as the writing
    (seconds for a million claims). Background jobs write to their own files directly.
    """
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as file:
        for chunk in chunks:
            file.write(chunk.encode("utf-8"))
        file.seek(0)
        while block := file.read(SEND_BLOCK):
            yield block


def public_base_url(request) -> str:
    """Return where this Hecha is published: the setting, else the address asked at."""
    return settings.HECHA_PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def export_response(export: ClaimExport, format: str, *, request=None) -> StreamingHttpResponse:
    """Return a download of `export`, streamed record by record."""
    not_publishable = None
    if format == "json":
        chunks = export.json_chunks()
    elif format == "jsonl":
        chunks = export.jsonl_lines()
    else:
        not_publishable = export.not_publishable().count()
        chunks = export.claimreview_chunks(
            base_url=public_base_url(request), publisher=settings.HECHA_PUBLISHER
        )
    response = StreamingHttpResponse(spooled(chunks), content_type=MEDIA_TYPES[format])
    if not_publishable is not None:
        response[NOT_PUBLISHABLE_HEADER] = str(not_publishable)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = (
        f'attachment; filename="hecha-claims-{stamp}.{FILE_EXTENSIONS[format]}"'
    )
    return response


@require_GET
def claim_export(request):
    """Return the reviewed claims that the claim list's filters select, as JSON, JSON Lines
    or schema.org ClaimReview (which leaves out, and counts, claims not publishable)."""
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
        errors["format"] = [_("Choose json, jsonl or claimreview.")]
    if errors:
        return JsonResponse(
            {"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return export_response(
        ClaimExport(filterset.qs, filters=filters_used(filterset)), format, request=request
    )
