"""Response headers that Django does not set by itself."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import get_resolver
from django.utils.translation import gettext as _

from core.reading import PARAM, is_reading


def bad_request_page(request, exception: BadRequest):
    """Return the project's own 400 page (its handler400) for a request refused."""
    return get_resolver().resolve_error_handler(400)(request, exception)


class BadRequestPageMiddleware:
    """Answer a request a view refuses (BadRequest: ?page=abc, a filter's bad value) with
    Hecha's own 400 page, saying what was wrong, in development as in production.

    With DEBUG on, Django answers it with its debug page, traceback and settings, for what
    is the user's mistake and not the code's; `make run` starts Hecha that way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadRequest):
            return bad_request_page(request, exception)
        return None


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header of settings.PERMISSIONS_POLICY with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ReadingParamMiddleware:
    """Refuse a page asked for with a `?reading=` that names no reading script.

    Pages read the parameter where they convert text, deep in templates; checking it here
    turns a wrong value into a 400 that says what to give, never a page half converted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request.GET.get(PARAM)
        if value is not None and not is_reading(value):
            refused = BadRequest(
                _("reading must be one of published, hant_tw, hant_hk or hans, not %(value)r.")
                % {"value": value}
            )
            return bad_request_page(request, refused)
        return self.get_response(request)
