"""Who a request to the API comes from: `Authorization: Bearer <token>`, or the session."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import ApiToken, token_digest
from api.services import api_token_mark_used


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate a request by the API token in its Authorization header.

    The request then acts as the token's owner, with the owner's roles as they are now;
    `request.auth` is the token, whose scope the permissions read.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session may still authenticate the request
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after “Bearer”, with no spaces in it.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(digest=token_digest(secret))
            .first()
        )
        # A revoked token and one that never existed get the same answer, so that the answer
        # says nothing about which tokens were ever made.
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this token is disabled."))
        api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 that names the scheme, rather than a 403.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describe the token scheme in the OpenAPI schema."""

    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made on the API tokens page (/account/tokens/).",
        }
