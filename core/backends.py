"""How Hecha finds the signed-in user of a request, and what they may do."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class UserBackend(ModelBackend):
    """Django's ModelBackend, with fewer queries on every page.

    Every page asks for the reader's choice of script (core.reading) and for their
    permissions (core.fragments.permissions_state, and the controls it draws). The first
    comes with the user, read in the same query; a user who never chose has none, and asking
    for it then costs nothing either. The second, the user's own permissions and their
    groups', take one query together instead of one each.
    """

    def get_user(self, user_id):
        users = get_user_model()
        try:
            user = users._default_manager.select_related("preferences").get(pk=user_id)
        except users.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            names = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                found = Permission.objects.values_list(*names)
            else:
                own = self._get_user_permissions(user_obj).values_list(*names).order_by()
                grouped = self._get_group_permissions(user_obj).values_list(*names).order_by()
                found = own.union(grouped)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in found}
        return user_obj._perm_cache
