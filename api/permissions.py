"""What a request may do through the API: its user's roles, narrowed by its token's scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.models import ApiToken
from claims.roles import ROLE_PERMISSIONS, VIEWER


class ReadsHecha(permissions.BasePermission):
    """Allow users who hold the Viewer role or one above it: the permissions it grants."""

    message = _(
        "Your account has no role yet: reading Hecha needs the Viewer role or one above it."
    )

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(ROLE_PERMISSIONS[VIEWER]))


class RecordsVerdicts(permissions.BasePermission):
    """Allow writes only to Reviewers, and through a token only when it has the review scope.

    Reads pass: ReadsHecha decides those.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if isinstance(request.auth, ApiToken) and not request.auth.may_review:
            self.message = _(
                "This token may only read. Make a token with the review scope to record verdicts."
            )
            return False
        if not request.user.has_perm("claims.add_verdict"):
            self.message = _("Recording verdicts needs the Reviewer role or one above it.")
            return False
        return True
