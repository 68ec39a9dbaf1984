"""The words the admin shows of installed apps that ship no Chinese.

django-axes (its login attempts, failures and log) and django-tasks' database backend (its
task results) mark their words for translation but carry no catalog in Chinese, so their
admin pages stood in English under a Chinese interface. Their words are listed here, as
they spell them, so that `makemessages` keeps them in Hecha's catalogs, which Django reads
before any app's. Nothing imports this module; a new release of either app that changes a
word needs the word here too (core/tests/test_installed_apps_messages.py says which).
"""

from django.utils.translation import gettext_noop, pgettext_lazy

DJANGO_AXES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
)

DJANGO_TASKS = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("args kwargs"),
    gettext_noop("backend name"),
    gettext_noop("enqueued at"),
    gettext_noop("exception class path"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    gettext_noop("return value"),
    gettext_noop("run after"),
    gettext_noop("started at"),
    gettext_noop("status"),
    gettext_noop("task path"),
    gettext_noop("traceback"),
    gettext_noop("worker id"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)
