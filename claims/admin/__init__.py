"""The Django admin for Hecha's records; every write goes through the services.

Sources are administered from here, not from the sources app, because saving a source
re-anchors the claims quoting it.
"""

from claims.admin import claims, sources  # noqa: F401  (registers the model admins)
