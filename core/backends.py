"""How Hecha finds the signed-in user of a request, and what they may do."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import CharField, Value

# In the rows of a user's permissions, a group they belong to: its name where a permission's
# codename stands, and this where its app's label does, which no app has.
_GROUP = ""


def group_names(user) -> set[str]:
    """Return the names of the groups `user` belongs to, read once for the request.

    The role check of every page needs them (claims.roles), and the same pages need the
    user's permissions: UserBackend reads both by one query. Read apart when another
    backend gave the permissions, or none were read (an inactive user).
    """
    if not hasattr(user, "_group_names"):
        user.get_all_permissions()
        if not hasattr(user, "_group_names"):
            user._group_names = set(user.groups.values_list("name", flat=True))
    return user._group_names


class UserBackend(ModelBackend):
    """Django's ModelBackend, with fewer queries on every page.

    Every page asks for the reader's choice of script (core.reading), for their role (the
    groups they belong to, claims.roles) and for their permissions
    (core.fragments.permissions_state, and the controls it draws). The first comes with the
    user, read in the same query; a user who never chose has none, and asking for it then
    costs nothing either. The others, the user's own permissions, their groups' and the
    groups' names, take one query together instead of one each.
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
                # Every role is a superuser's: their groups are never asked for.
                found = Permission.objects.values_list(*names)
            else:
                own = self._get_user_permissions(user_obj).values_list(*names).order_by()
                grouped = self._get_group_permissions(user_obj).values_list(*names).order_by()
                groups = (
                    user_obj.groups.annotate(app=Value(_GROUP, output_field=CharField()))
                    .values_list("app", "name")
                    .order_by()
                )
                found = own.union(grouped, groups)
            permissions, groups_named = set(), set()
            for app_label, codename in found:
                if app_label == _GROUP:
                    groups_named.add(codename)
                else:
                    permissions.add(f"{app_label}.{codename}")
            user_obj._perm_cache = permissions
            if not user_obj.is_superuser:
                user_obj._group_names = groups_named
        return user_obj._perm_cache
