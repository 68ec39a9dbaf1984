"""Reading Hecha needs a role: one check that every page, export and lookup passes."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from claims.roles import administrators, can_read


def role_not_required(view):
    """Mark a view that an account without a role may use, such as logging out."""
    view.role_required = False
    return view


class ViewerRoleRequiredMiddleware:
    """Refuse signed-in users who hold no role, on every URL, with a page that says whom to ask.

    It sits after LoginRequiredMiddleware and lets through the views that need no login
    (logging in) and those marked `role_not_required` (logging out); every other view,
    the admin's and any page added later, is checked without having to ask for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if not getattr(view_func, "role_required", True):
            return None
        user = request.user
        if not user.is_authenticated or can_read(user):
            # Anonymous visitors are sent to log in by LoginRequiredMiddleware.
            return None
        message = _(
            "Your account has no role yet: reading Hecha needs the Viewer role or one above it."
        )
        if not request.accepts("text/html"):
            return JsonResponse({"error": message}, status=403)
        return render(
            request,
            "403.html",
            {"message": message, "administrators": administrators()},
            status=403,
        )
