from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

IMPORT_SUFFIXES = (".json", ".jsonl", ".ndjson")


class ImportUploadForm(forms.Form):
    """An export file an editor uploads to be imported in the background."""

    file = forms.FileField(
        label=_("Export file"),
        help_text=_("A .json or .jsonl file written by Hecha's export."),
    )

    credit_existing = forms.CharField(
        label=_("Credit existing accounts"),
        required=False,
        help_text=_(
            "NAME=ACCOUNT pairs, separated by commas: the verdicts of the reviewer NAME in the "
            "file are credited to the existing account ACCOUNT. Every other reviewer gets a new "
            "account that cannot log in."
        ),
    )

    def clean_credit_existing(self) -> dict[str, str]:
        mapping = {}
        for item in self.cleaned_data["credit_existing"].split(","):
            if not item.strip():
                continue
            name, equals, account = item.partition("=")
            if not equals or not name.strip() or not account.strip():
                raise forms.ValidationError(
                    _("“%(item)s” is not NAME=ACCOUNT.") % {"item": item.strip()}
                )
            mapping[name.strip()] = account.strip()
        known = set(
            get_user_model()
            .objects.filter(username__in=mapping.values())
            .values_list("username", flat=True)
        )
        unknown = sorted(set(mapping.values()) - known)
        if unknown:
            raise forms.ValidationError(
                _("No account named %(names)s.") % {"names": ", ".join(unknown)}
            )
        return mapping

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
