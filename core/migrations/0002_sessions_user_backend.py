"""Keep readers signed in when their sessions name the authentication backend of before.

A session records the backend that signed its user in, and Django signs out a session whose
backend is no longer listed in AUTHENTICATION_BACKENDS. core.backends.UserBackend took the
place of Django's ModelBackend, which it extends: the sessions it signed in carry on as its
own. Sessions kept elsewhere than in the database are left as they are.
"""

import logging

from django.conf import settings
from django.db import migrations
from django.utils import timezone

BEFORE = "django.contrib.auth.backends.ModelBackend"
NOW = "core.backends.UserBackend"
BACKEND_KEY = "_auth_user_backend"  # django.contrib.auth.BACKEND_SESSION_KEY


def rename_backend(apps, schema_editor, *, old: str = BEFORE, new: str = NOW) -> None:
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    sessions = apps.get_model("sessions", "Session").objects.using(schema_editor.connection.alias)
    # A session signed with another secret key reads as {}, and is left as it is; decode()
    # would log a warning for each, about sessions nobody sent.
    unreadable = logging.getLogger("django.security.SuspiciousSession")
    disabled, unreadable.disabled = unreadable.disabled, True
    try:
        for session in sessions.filter(expire_date__gt=timezone.now()).iterator():
            data = store.decode(session.session_data)
            if data.get(BACKEND_KEY) == old:
                data[BACKEND_KEY] = new
                session.session_data = store.encode(data)
                session.save(update_fields=["session_data"])
    finally:
        unreadable.disabled = disabled


def restore_backend(apps, schema_editor) -> None:
    rename_backend(apps, schema_editor, old=NOW, new=BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_user_preferences"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_backend, restore_backend)]
