"""The claim list's Export links: the claims its filters select, as a file."""

import logging
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from claims.exports import FILE_EXTENSIONS, MEDIA_TYPES, ClaimExport, filters_used
from claims.filters import ClaimFilterSet
from claims.models import Claim
from claims.services.export_texts import export_texts_keep_written

WEB_FORMATS = ("json", "jsonl", "claimreview")
# How many of the selected reviewed claims a ClaimReview download leaves out because their
# source lacks its URL or date; a header, as the file is streamed and JSON-LD has no room
# for it.
NOT_PUBLISHABLE_HEADER = "X-Hecha-Not-Publishable"

logger = logging.getLogger(__name__)


def in_utf8(chunks: Iterator[str | bytes]) -> Iterator[bytes]:
    """Yield the chunks of an export in UTF-8: text encoded, bytes as they come."""
    for chunk in chunks:
        yield chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")


def cut_short_on_error(chunks: Iterator[bytes], *, request=None) -> Iterator[bytes]:
    """Yield `chunks`; when one fails, log it and raise again, so the download is cut short.

    Raised again, the error makes the server answer with an error if nothing was sent yet
    (the export is written to a file before sending), or drop the connection without the
    end of the response, so the client sees an incomplete download; every format is also
    valid only when complete (the JSON closes after `counts`, JSON Lines ends with an `end`
    line), so a file saved anyway does not pass for a whole export.
    """
    sent = 0
    try:
        for chunk in chunks:
            sent += len(chunk)
            yield chunk
    except Exception:
        asked = ""
        if request is not None:
            asked = f" {request.get_full_path()} for {request.user.get_username()}"
        logger.exception(
            "Export download%s failed after %d bytes; the download is cut short.",
            asked,
            sent,
        )
        raise


# An export up to this size is held in memory before it is sent; a larger one on disk.
SPOOL_IN_MEMORY = 8 * 1024 * 1024
SEND_BLOCK = 256 * 1024


def spooled(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Yield the export written whole to a temporary file first, then read back from it.

    An export reads in one snapshot transaction, so that each claim agrees with its
    verdicts and sources. Streamed straight to the client it would stay open as long as
    the slowest download took, minutes for a large file on a slow line, holding back
    PostgreSQL's vacuum meanwhile; written to a file first it lasts as long as the writing
    (seconds for a million claims). Background jobs write to their own files directly.
    """
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as file:
        for chunk in chunks:
            file.write(chunk)
        file.seek(0)
        while block := file.read(SEND_BLOCK):
            yield block


def texts_kept_after(chunks: Iterator[str | bytes], export: ClaimExport) -> Iterator[str | bytes]:
    """Yield an export's `chunks`, then keep the texts it wrote afresh, as the command and
    the background job do: the next export reads them instead of writing them again.

    The file is whole by then; a failure to keep them is logged by the service, and no
    page is left to tell it on.
    """
    yield from chunks
    export_texts_keep_written(export=export)


def public_base_url(request) -> str:
    """Return where this Hecha is published: the setting, else the address asked at."""
    return settings.HECHA_PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def export_response(export: ClaimExport, format: str, *, request=None) -> StreamingHttpResponse:
    """Return a download of `export`, streamed record by record."""
    not_publishable, published_at = None, {}
    if format == "claimreview":
        not_publishable = export.not_publishable().count()
        published_at = {"base_url": public_base_url(request), "publisher": settings.HECHA_PUBLISHER}
    chunks = export.chunks_as(format, **published_at)
    # Written in UTF-8, the charset of the content type.
    chunks = cut_short_on_error(in_utf8(texts_kept_after(chunks, export)), request=request)
    response = StreamingHttpResponse(spooled(chunks), content_type=MEDIA_TYPES[format])
    if not_publishable is not None:
        response[NOT_PUBLISHABLE_HEADER] = str(not_publishable)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = (
        f'attachment; filename="hecha-claims-{stamp}.{FILE_EXTENSIONS[format]}"'
    )
    return response


def export_selection(request) -> tuple[ClaimFilterSet, str, JsonResponse | None]:
    """Return the filters and format an export asks for, and a 400 naming what is wrong.

    For the download here and the background job alike. Unlike FilterView, FilterSet.qs
    silently drops invalid fields: a bad filter must not turn into a file of every claim.
    """
    format = request.GET.get("format") or "json"
    filterset = ClaimFilterSet(request.GET, queryset=Claim.objects.reviewed(), request=request)
    errors = (
        {}
        if filterset.is_valid()
        else {name: list(messages) for name, messages in filterset.errors.items()}
    )
    if format not in WEB_FORMATS:
        errors["format"] = [_("Choose json, jsonl or claimreview.")]
    refusal = None
    if errors:
        refusal = JsonResponse(
            {"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return filterset, format, refusal


@require_GET
def claim_export(request):
    """Return the reviewed claims that the claim list's filters select, as JSON, JSON Lines
    or schema.org ClaimReview (which leaves out, and counts, claims not publishable).

    A selection of more than HECHA_EXPORT_INLINE_LIMIT claims is written by a background
    job instead, so that no request reads for minutes: asking for it shows a page whose
    button starts the job (jobs:job_export, with the same query string).
    """
    filterset, format, refusal = export_selection(request)
    if refusal is not None:
        return refusal
    limit = settings.HECHA_EXPORT_INLINE_LIMIT
    # Counted no further than the limit: past it, the exact number does not change the answer.
    if filterset.qs.order_by()[: limit + 1].count() > limit:
        # The jobs app writes it; its page starts the job with a POST of the same query.
        return render(
            request,
            "claims/export_job_confirm.html",
            {"limit": limit, "query": request.GET.urlencode()},
        )
    return export_response(
        ClaimExport(filterset.qs, filters=filters_used(filterset)), format, request=request
    )
