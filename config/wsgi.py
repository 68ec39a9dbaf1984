import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# gunicorn runs no system checks; without collected static files every page would fail, so
# the server refuses to start and says what to run instead.
from core.checks import static_files_collected  # noqa: E402

for error in static_files_collected():
    raise ImproperlyConfigured(f"{error.msg} {error.hint}")
