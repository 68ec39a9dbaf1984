"""How the API words its errors: as JSON, in the reader's language."""

from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"


def exception_handler(exc, context):
    """Answer as REST framework does, but say "not found" in the reader's language.

    Django's `get_object_or_404` words its Http404 in English ("No Claim matches the given
    query."), which REST framework passes on as it is.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


def not_found(request) -> JsonResponse:
    """Answer an API address that names nothing as the API's own 404s are answered."""
    return JsonResponse(
        {"detail": str(exceptions.NotFound.default_detail)},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
