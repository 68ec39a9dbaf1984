from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from claims.interchange import Figure
from claims.models import Claim, CrossReference, Verdict
from claims.services import claim_create, claim_update
from core.forms import VersionedForm
from sources.anchors import QuoteNotFound, locate_quote


class ClaimForm(VersionedForm):
    """What an editor says about a claim; the quote is checked against the source's text.

    Pages that add a claim to a known source pass `source`, and the form has no source
    field; the admin chooses the source in the form.
    """

    start = forms.IntegerField(
        label=_("Start offset"),
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
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source or (self.instance.source if self.instance.source_id else None)
        if source is not None or self.instance.pk:
            # A claim stays with its source; quoting another article is a new claim.
            self.fields.pop("source", None)
            self.instance.source = self.source
        if self.instance.pk:
            self.fields["start"].initial = self.instance.quote_start

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source", self.source)
        quote, start = cleaned.get("quote"), cleaned.get("start")
        if self.instance.pk and quote != self.instance.quote and start == self.instance.quote_start:
            # The editor changed the words but left the old offset: find the new quote.
            start = cleaned["start"] = None
        if source is not None and quote:
            try:
                locate_quote(source.text, quote, start=start)
            except QuoteNotFound as error:
                self.add_error(
                    "quote",
                    _("Not found in the text of “%(source)s”: %(reason)s.")
                    % {"source": source, "reason": error},
                )
        return cleaned

    def save_with(self, user):
        """Save the claim through the services, as `user`; return the saved claim."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("quote", "summary", "attributed_to")}
        fields.update(Figure.from_fields(data).fields())
        if self.instance.pk:
            return claim_update(
                claim=self.instance,
                user=user,
                expected_version=data.get("expected_version"),
                start=data.get("start"),
                topics=data["topics"],
                **fields,
            )
        return claim_create(
            user=user,
            source=data.get("source", self.source),
            start=data.get("start"),
            topics=data["topics"],
            **fields,
        )


class VerdictForm(forms.Form):
    """A reviewer's verdict; a dispute needs a reason."""

    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Verdict.Kind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a dispute: say what is wrong and how you know."),
    )

    def clean(self):
        cleaned = super().clean()
        # The model states the rule (a dispute needs a reason); the form only asks it.
        verdict = Verdict(verdict=cleaned.get("verdict", ""), note=cleaned.get("note", "").strip())
        try:
            verdict.clean()
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class CrossReferenceForm(forms.ModelForm):
    class Meta:
        model = CrossReference
        fields = ("from_claim", "to_claim", "relation", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class CrossReferenceCreateForm(forms.Form):
    """Link the claim being read to another one, found by searching rather than a long list."""

    to_claim = forms.ModelChoiceField(
        label=_("Other claim"),
        queryset=Claim.objects.all(),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "size": 8}),
        help_text=_("Search above and pick a claim, or type its number."),
        error_messages={"invalid_choice": _("There is no claim with that number.")},
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=CrossReference.Relation.choices)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the two claims bear on each other."),
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["to_claim"].queryset = Claim.objects.exclude(pk=claim.pk)
        self.fields["to_claim"].error_messages["invalid_choice"] = _(
            "Choose another existing claim (a claim cannot refer to itself)."
        )


class BulkActionForm(forms.Form):
    """What to do with every claim a selection holds: assign it, or give one verdict on all."""

    ASSIGN = "assign"

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(ASSIGN, _("assign to a reviewer")), *Verdict.Kind.choices],
    )
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"),
        required=False,
        to_field_name="username",
        queryset=None,
        help_text=_("For an assignment: who should review the claims."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a verdict: one note for every claim; a dispute needs one."),
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        super().__init__(*args, **kwargs)
        # Everyone who may give verdicts; a short list, unlike the claims.
        self.fields["reviewer"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__permissions__codename="add_verdict")
                | Q(user_permissions__codename="add_verdict")
            )
            .distinct()
            .order_by("username")
        )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.ASSIGN:
            if cleaned.get("reviewer") is None:
                self.add_error("reviewer", _("Choose whom to assign the claims to."))
        elif action:
            # The model states what a verdict needs (a dispute, a reason).
            verdict = Verdict(verdict=action, note=cleaned.get("note", "").strip())
            try:
                verdict.clean()
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
