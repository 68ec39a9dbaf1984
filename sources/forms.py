from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VersionedForm
from sources.models import Source
from sources.services import SOURCE_EDITABLE_FIELDS


class SourceForm(VersionedForm):
    # A URL typed without a scheme means https, as it will in Django 6.
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = SOURCE_EDITABLE_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 20})}
