from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")

    def ready(self):
        from claims.roles import ensure_role_groups

        # Permissions only exist once every app has migrated, so the role groups are
        # brought up to date after each migrate rather than in a migration.
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="claims_roles")
