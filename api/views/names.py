"""The names the browsable API gives its pages, in the reader's language."""

from django.utils.text import capfirst
from rest_framework.views import get_view_name


def view_name(view) -> str:
    """Name a page of the browsable API (its heading, its title, its breadcrumbs).

    A resource's list is named by its model's plural and one record by its singular, as
    the admin names them, and other views by their own `name`. Django REST framework's own
    names spell the class's ("Claim List", "Api Root"): English under a Chinese interface.
    """
    model = getattr(view, "model", None)
    if model is not None:
        options = model._meta
        detail = getattr(view, "detail", False)
        return capfirst(options.verbose_name if detail else options.verbose_name_plural)
    return str(get_view_name(view))
