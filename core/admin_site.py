"""Hecha's admin site: Django's, with its sidebar kept drawn.

Every admin page listed every app and model the user may see, worked out and drawn afresh:
some 3 ms of a change list's 20-30 at a million claims. The list is now worked out only
when drawn, and the sidebar that draws it is kept (templates/admin/nav_sidebar.html) under
a key of what it shows: the models the user may reach (their permissions), the page it
marks as current (the path) and the language.
"""

from django.contrib import admin
from django.utils.functional import SimpleLazyObject

from core.fragments import Fragment, fragment_key


class HechaAdminSite(admin.AdminSite):
    """The site every ModelAdmin registers with: core.apps.HechaAdminConfig's default."""

    def get_app_list(self, request, app_label=None):
        # Lazy: a page whose sidebar is kept draws neither it nor the list.
        parent = super().get_app_list
        return SimpleLazyObject(lambda: parent(request, app_label))

    def each_context(self, request):
        context = super().each_context(request)
        context["nav_sidebar_fragment"] = SimpleLazyObject(
            lambda: Fragment.lookup(fragment_key("admin_nav_sidebar", request, converted=False))
        )
        return context
