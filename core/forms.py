"""Form machinery shared by the apps' edit pages and admin."""

from django import forms
from django.core.exceptions import ValidationError

from core.versioning import check_version, missing_version

# What a key column holds at most (a 64-bit integer, on both databases).
LARGEST_KEY = 2**63 - 1


def within_key_range(number: int) -> bool:
    """Whether a key column could hold `number`: SQLite cannot even be asked about others."""
    return -LARGEST_KEY <= number <= LARGEST_KEY


class KeyedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of rows by their integer keys that refuses a number no key could be.

    Django asks the database which of the chosen keys exist; SQLite cannot be asked about a
    number past 64 bits (sqlite3 raises OverflowError: a server error), where PostgreSQL
    finds no row. Such a number gets the message any unknown key gets.
    """

    def _check_values(self, value):
        for key in value:
            try:
                number = int(str(key))
            except ValueError:
                continue  # Django's own check names it
            if not within_key_range(number):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class VersionedForm(forms.ModelForm):
    """A form that remembers which version of the object the editor started from.

    An edit must say it: one posted without the version, by a script or a stale page, is
    refused rather than allowed to overwrite whatever was saved since.
    """

    # Not required at the field level: the refusal is a message at the top of the form,
    # where the admin shows it too, rather than an error on a hidden field nobody sees.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        expected = cleaned.get("expected_version")
        if expected is None:
            self.add_error(None, missing_version(self._meta.model))
        else:
            current = type(self.instance).objects.get(pk=self.instance.pk)
            # The service checks again under a row lock when saving; this check lets the
            # form show the conflict, with what changed, before anything is attempted.
            check_version(current, expected, self.versioned_fields)
        return cleaned

    @property
    def versioned_fields(self):
        # The fields this form edits. Not Meta.fields: the admin names there the read-only
        # fields it shows too (the tallies, the times), which it leaves out of the form and
        # which the history does not keep.
        concrete = {field.name for field in self._meta.model._meta.concrete_fields}
        return [name for name in self.fields if name in concrete]
