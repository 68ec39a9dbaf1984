from django import forms
from django.utils.translation import gettext_lazy as _

from sources.models import Source


class VersionedForm(forms.ModelForm):
    """A form that remembers which version of the object the editor started from."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = type(self.instance).objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current is not None and current != expected:
                raise forms.ValidationError(
                    _("Someone else saved this %(name)s while you were editing it. Reload it to see their changes, then make yours again."),
                    code="edit_conflict",
                    params={"name": self.instance._meta.verbose_name},
                )
        return cleaned


class SourceForm(VersionedForm):
    class Meta:
        model = Source
        fields = ("key", "title", "outlet", "author", "published_on", "url", "script", "region", "text")
