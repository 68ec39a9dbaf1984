"""Response headers that Django does not set by itself."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from core.reading import PARAM, is_reading


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
            raise BadRequest(
                _("reading must be one of published, hant_tw, hant_hk or hans, not %(value)r.")
                % {"value": value}
            )
        return self.get_response(request)
