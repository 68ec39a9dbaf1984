from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_db_apps


class CoreConfig(AppConfig):
    """Machinery every app shares: edit conflicts, validation, history, text keys."""

    # The one this module's name in INSTALLED_APPS loads; the others are named in full.
    default = True
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import checks  # noqa: F401  (registers the system checks)


class HechaAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on Hecha's site (core.admin_site), made when the apps are loaded.

    Named in INSTALLED_APPS in place of django.contrib.admin; never the core app's own.
    """

    default = False
    default_site = "core.admin_site.HechaAdminSite"


class LoginAttemptsConfig(axes_apps.AppConfig):
    """django-axes, named in Chinese in the admin's index (it ships no Chinese)."""

    default = False
    verbose_name = _("Login limits")


class TaskResultsConfig(tasks_db_apps.TasksAppConfig):
    """django-tasks' database backend, named in Chinese in the admin's index."""

    default = False
    verbose_name = _("Task queue")
