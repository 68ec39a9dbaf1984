from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery every app shares: edit conflicts, validation, history, text keys."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import checks  # noqa: F401  (registers the system checks)
