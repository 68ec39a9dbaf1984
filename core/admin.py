"""The admin of failed logins, with an action that lifts a lockout before it ends."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# django-axes registers its own admin of attempts; this one adds unlocking to it.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    actions = [*AccessAttemptAdmin.actions, "unlock"]

    @admin.action(
        description=_("Unlock the accounts and addresses of the selected attempts"),
        permissions=["delete"],
    )
    def unlock(self, request, queryset):
        # A lockout counts every failed attempt of the account and of the address, so
        # unlocking forgets all of them, not only the rows selected.
        usernames = {
            username for username in queryset.values_list("username", flat=True) if username
        }
        addresses = {
            address for address in queryset.values_list("ip_address", flat=True) if address
        }
        for username in usernames:
            reset(username=username)
        for address in addresses:
            reset(ip=address)
        self.message_user(
            request,
            ngettext(
                "Unlocked %(accounts)s; logging in from %(count)d address is open again too.",
                "Unlocked %(accounts)s; logging in from %(count)d addresses is open again too.",
                len(addresses),
            )
            % {
                "accounts": ", ".join(sorted(usernames)) or _("no account"),
                "count": len(addresses),
            },
            messages.SUCCESS,
        )
