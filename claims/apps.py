from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def reanchor_claims_of(sender, *, source, user, **kwargs):
    from claims.services import claims_reanchor

    claims_reanchor(source=source, user=user)


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")

    def ready(self):
        from claims.roles import ensure_role_groups
        from sources.signals import source_text_changed

        # Permissions only exist once every app has migrated, so the role groups are
        # brought up to date after each migrate rather than in a migration.
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="claims_roles")
        source_text_changed.connect(reanchor_claims_of, dispatch_uid="claims_reanchor")
