"""Form machinery shared by the apps' edit pages and admin."""

from django import forms

from core.versioning import check_version, missing_version


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
        concrete = {field.name for field in self._meta.model._meta.concrete_fields}
        return [name for name in self._meta.fields or () if name in concrete]
