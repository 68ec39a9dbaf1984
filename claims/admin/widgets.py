"""The admin's search-as-you-type boxes, shown again safely with any value a form was sent."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from core.forms import within_key_range


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, leaving out of its options a value no key could hold.

    Shown again with the form's errors, Django's box asks the database for the rows of the
    values it was sent, as they came: a value posted by hand that is not a number
    (`abc`) made that query fail, and one past 64 bits fails on SQLite, a server error
    where the form should say the choice is not valid. Such values are left out of the
    options; the form's own error names them.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [item for item in value if _could_be(key, item)], attr)


def _could_be(key, value) -> bool:
    try:
        number = key.to_python(value)
    except ValidationError:
        return False
    return not isinstance(number, int) or within_key_range(number)


class CheckedAutocompleteMixin:
    """Give a model admin's or inline's `autocomplete_fields` the checked box above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
