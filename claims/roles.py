"""Hecha's roles: groups whose permissions say what each kind of user may do."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.translation import pgettext

from core.backends import group_names

VIEWER, REVIEWER, EDITOR = "Viewer", "Reviewer", "Editor"

VIEW = [
    "sources.view_source",
    "claims.view_claim",
    "claims.view_crossreference",
    "claims.view_verdict",
    "claims.view_topic",
]
ANNOTATE = ["claims.add_verdict"]
EDIT = [
    "sources.add_source",
    "sources.change_source",
    "claims.add_claim",
    "claims.change_claim",
    "claims.add_crossreference",
    "claims.change_crossreference",
    "claims.add_assignment",
]
PUBLISH = ["claims.publish_claim"]

ROLE_PERMISSIONS = {
    VIEWER: VIEW,
    REVIEWER: VIEW + ANNOTATE,
    EDITOR: VIEW + ANNOTATE + EDIT + PUBLISH,
}

SYSTEM_USERNAME = "hecha"


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups, or bring their permissions back to what the roles grant."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # absent only while apps are half-migrated
                permissions.append(permission)
        group.permissions.set(permissions)


def can_read(user) -> bool:
    """Return whether `user` holds the Viewer role or one above it; staff hold every role."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return not group_names(user).isdisjoint(ROLE_PERMISSIONS)


def administrators():
    """Return the accounts that can give others a role, for the pages that say whom to ask."""
    return get_user_model().objects.filter(is_active=True, is_superuser=True).order_by("username")


def role_label(role: str) -> str:
    """Return a role's name, as role_of gives it, in the reader's language."""
    labels = {
        "Admin": pgettext("role", "Admin"),
        EDITOR: pgettext("role", "Editor"),
        REVIEWER: pgettext("role", "Reviewer"),
        VIEWER: pgettext("role", "Viewer"),
    }
    return labels.get(role, role)


def role_of(user) -> str:
    """Return the name of the highest role a user holds, for display."""
    if user.is_superuser:
        return "Admin"
    names = group_names(user)
    for role in (EDITOR, REVIEWER, VIEWER):
        if role in names:
            return role
    return ""


def get_system_user():
    """Return the account that seeds and other unattended loads act as; it cannot log in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "Hecha", "last_name": "(system)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
