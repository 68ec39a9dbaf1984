from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

IMPORT_SUFFIXES = (".json", ".jsonl", ".ndjson")


class ImportUploadForm(forms.Form):
    """An export file an editor uploads to be imported in the background."""

    file = forms.FileField(
        label=_("Export file"),
        help_text=_("A .json or .jsonl file written by Hecha's export."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_SUFFIXES):
            raise forms.ValidationError(_("Upload a .json or .jsonl export file."))
        limit = settings.HECHA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s, more than the %(limit)s an import accepts.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class RunForm(forms.Form):
    """A run over every claim, started by an editor."""

    kind = forms.ChoiceField(
        label=_("Run"),
        choices=[
            ("parse_figures", _("Check every claim's figure against its text")),
            ("suggestions", _("Suggest cross-references for every claim")),
            ("rebuild_search_keys", _("Rebuild the search keys")),
        ],
    )
