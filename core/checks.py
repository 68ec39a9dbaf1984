"""System checks for what a deployment must do beyond the settings."""

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.files.storage import storages


# With `check --deploy` only: migrate and collectstatic itself run before the files are
# collected. The WSGI application runs this check too, and refuses to start.
@register(deploy=True)
def static_files_collected(app_configs=None, **kwargs):
    """Refuse to run with hashed static files that have not been collected.

    Without the manifest that collectstatic writes, every page that links a stylesheet
    fails with a server error, and nothing else would say why.
    """
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []  # debugging: files are served from the apps as they are
    if storage.manifest_storage.exists(storage.manifest_name):
        return []
    return [
        Error(
            f"Static files have not been collected into {storage.location}, so every page "
            "would fail with a server error.",
            hint="Run `python manage.py collectstatic --no-input` (make serve does) after "
            "installing or upgrading Hecha.",
            id="core.E001",
        )
    ]
