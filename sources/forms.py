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
        widgets = {
            "text": forms.Textarea(attrs={"rows": 20}),
            # The browser's own date picker; the value travels as YYYY-MM-DD either way.
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # source_create proposes one from the URL or the title.
            self.fields["key"].required = False
            self.fields["key"].help_text = _(
                "A stable identifier used by imports; leave it empty to have one made from "
                "the URL or the title (in pinyin)."
            )
