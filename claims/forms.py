from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models import Annotation, Claim, CrossReference
from sources.anchors import QuoteNotFound, locate_quote
from sources.forms import VersionedForm


class ClaimForm(VersionedForm):
    """What an editor says about a claim; the quote is checked against the source's text."""

    start = forms.IntegerField(
        label=_("start offset"),
        required=False,
        min_value=0,
        help_text=_("Where the quote starts in the text; leave empty for its first occurrence."),
    )

    class Meta:
        model = Claim
        fields = (
            "source",
            "quote",
            "summary",
            "attributed_to",
            "topics",
            "figure_text",
            "value",
            "value_lower",
            "value_upper",
            "hedge",
            "unit",
            "period_start",
            "period_end",
            "scope",
        )
        widgets = {"quote": forms.Textarea(attrs={"rows": 3}), "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A claim stays with its source; quoting another article is a new claim.
            self.fields["source"].disabled = True
            self.fields["start"].initial = self.instance.quote_start

    def clean(self):
        cleaned = super().clean()
        source, quote, start = cleaned.get("source"), cleaned.get("quote"), cleaned.get("start")
        if source is not None and quote:
            try:
                locate_quote(source.text, quote, start=start)
            except QuoteNotFound as error:
                self.add_error("quote", _("Not found in the text of “%(source)s”: %(reason)s.") % {"source": source, "reason": error})
        return cleaned


class VerdictForm(forms.Form):
    """A reviewer's verdict; a dispute needs a reason."""

    verdict = forms.ChoiceField(label=_("verdict"), choices=Annotation.Verdict.choices)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verdict") == Annotation.Verdict.DISPUTE and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why you dispute it."))
        return cleaned


class CrossReferenceForm(forms.ModelForm):
    class Meta:
        model = CrossReference
        fields = ("from_claim", "to_claim", "relation", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
