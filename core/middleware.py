"""Response headers that Django does not set by itself."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, get_resolver, resolve
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


def not_found_page(request, exception: Http404):
    """Return the project's own 404 page (its handler404) for an address that names nothing."""
    return get_resolver().resolve_error_handler(404)(request, exception)


class NotFoundPageMiddleware:
    """Answer an address that names nothing (a claim deleted, a number mistyped) with Hecha's
    own 404 page, in development as in production.

    With DEBUG on, Django answers it with its debug page, which lists every address of the
    site; `make run` starts Hecha that way, and a user who mistypes a claim's number should
    see what a user sees.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            try:
                resolve(request.path_info)
            except Resolver404 as error:
                return not_found_page(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return not_found_page(request, exception)
        return None


def enclosing_page(path: str) -> str:
    """Return the nearest address above `path` that names a page: /claims/93/ for
    /claims/93/annotate/, / if none does."""
    parts = [part for part in path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{part}/" for part in parts)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"


class FormAddressMiddleware:
    """Send a browser that opens an address only a form posts to (/claims/93/annotate/,
    after a refused form and a switch of language, or from the history) to the page that
    holds the form, instead of an empty 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django's own empty 405; the API's, which say what they allow in JSON, stay.
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            return HttpResponseRedirect(enclosing_page(request.path_info))
        return response


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
