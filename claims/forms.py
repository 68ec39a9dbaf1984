from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from claims.figures import parse_figure
from claims.interchange import Figure, decimal_text
from claims.models import (
    NOTE_MAX_LENGTH,
    PERIOD_FIRST_YEAR,
    PERIOD_LAST_YEAR,
    Claim,
    CrossReference,
    Verdict,
)
from claims.proposals import figure_disagreements, propose_figure, read_figure_text
from claims.services import FIGURE_FIELDS, claim_create, claim_update
from core.forms import KeyedMultipleChoiceField, VersionedForm
from core.lists import clauses
from core.retraction import REASON_MAX_LENGTH, REASON_REQUIRED
from sources.anchors import QuoteNotFound, locate_quote

FIGURE_PROPOSED = "figure_proposed"
FIGURE_DIFFERS = "figure_differs"


class FigureNumberField(forms.DecimalField):
    """A figure's number as people type it: 9300000000, 93亿, 6,050億, 1.2兆, 三成."""

    default_error_messages = {
        "invalid": _(
            "Type a number, as digits (9300000000, 11.9) or as articles write it "
            "(93亿, 6,050億, 1.2兆, 三成)."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(max_digits=30, decimal_places=10, required=False, **kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.pop("step", None)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        text = str(value).strip()
        try:
            return Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            pass
        parsed = parse_figure(text)
        if parsed is None or parsed.end - parsed.start < len(text.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed.value

    def prepare_value(self, value):
        # A stored figure, kept to ten decimal places, is shown as written: 120000000000,
        # not 120000000000.0000000000.
        return decimal_text(value) if isinstance(value, Decimal) else value


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
    value = FigureNumberField(label=_("Value"), help_text=_("e.g. 93亿, 6,050億, 1.2兆, 三成"))
    value_lower = FigureNumberField(label=_("Lower bound"))
    value_upper = FigureNumberField(label=_("Upper bound"))
    # Set once the figure fields have been proposed to the editor (on the page, or by a first
    # submit without JavaScript), so that a figure the editor cleared stays cleared.
    figure_proposed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm_figure = forms.BooleanField(
        label=_("This figure differs from its text as written on purpose"),
        required=False,
        help_text=_("Your name and the time are recorded with the claim."),
    )

    class Meta:
        model = Claim
        fields = ("source", "quote", "summary", "attributed_to", "topics", *FIGURE_FIELDS)
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "topics": forms.CheckboxSelectMultiple,
        }
        field_classes = {"topics": KeyedMultipleChoiceField}

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source or (self.instance.source if self.instance.source_id else None)
        if source is not None or self.instance.pk:
            # A claim stays with its source; quoting another article is a new claim.
            self.fields.pop("source", None)
            self.instance.source = self.source
        if self.instance.pk:
            self.fields["start"].initial = self.instance.quote_start
            self.fields[FIGURE_PROPOSED].initial = True
        for name in ("period_start", "period_end"):
            if name in self.fields:  # not where the admin shows them read-only
                self.fields[name].widget.attrs.update(min=PERIOD_FIRST_YEAR, max=PERIOD_LAST_YEAR)
        self.figure_disagreements: list[str] = []

    @property
    def region(self) -> str | None:
        source = self.source
        if source is None and self.is_bound and hasattr(self, "cleaned_data"):
            source = self.cleaned_data.get("source")
        return source.region if source is not None else None

    @property
    def figure_was_proposed(self) -> bool:
        """Say whether the form came back only to show a figure proposed from the quote."""
        return self.is_bound and self.has_error(NON_FIELD_ERRORS, FIGURE_PROPOSED)

    def _show(self, figure: Figure, cleaned) -> None:
        """Put the figure into the fields the editor left empty, for the page shown next."""
        data = self.data.copy()
        for name, value in figure.fields().items():
            if cleaned.get(name) in (None, "") and value not in (None, ""):
                data[self.add_prefix(name)] = str(value)
        data[self.add_prefix(FIGURE_PROPOSED)] = "True"
        self.data = data

    def _propose_figure(self, cleaned) -> bool:
        """Fill the figure fields from the quote, or the value from the figure as written;
        return whether anything was proposed."""
        figure_given = any(
            cleaned.get(name) not in (None, "")
            for name in ("value", "value_lower", "value_upper", "hedge", "unit")
        )
        if figure_given:
            return False
        if cleaned.get("figure_text"):
            figure = read_figure_text(
                cleaned["figure_text"], region=self.region, quote=cleaned.get("quote") or ""
            )
        else:
            figure = propose_figure(cleaned.get("quote") or "", region=self.region)
        if figure is None:
            return False
        self._show(figure, cleaned)
        self.add_error(
            None,
            ValidationError(
                _(
                    "The figure “%(figure)s” is read from the quote and filled in below; "
                    "check it, correct it if need be, and save again."
                )
                % {"figure": figure.as_written},
                code=FIGURE_PROPOSED,
            ),
        )
        return True

    def _check_figure(self, cleaned) -> None:
        names = Figure.FIELD_NAMES.values()
        if any(name not in cleaned for name in names):
            return  # a field is already in error
        figure = Figure.from_fields(cleaned)
        if self.instance.pk and self.instance.figure_confirmed_at:
            if figure == self.instance.figure:
                return  # confirmed before, and unchanged since
        self.figure_disagreements = figure_disagreements(
            figure, region=self.region, quote=cleaned.get("quote") or ""
        )
        if self.figure_disagreements and not cleaned.get("confirm_figure"):
            self.add_error(
                None,
                ValidationError(
                    _(
                        "The figure disagrees with its text as written: %(differences)s. "
                        "Correct it, or confirm below that it differs on purpose."
                    )
                    % {"differences": clauses(self.figure_disagreements)},
                    code=FIGURE_DIFFERS,
                ),
            )

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
        if not cleaned.get(FIGURE_PROPOSED) and self._propose_figure(cleaned):
            return cleaned
        self._check_figure(cleaned)
        return cleaned

    def save_with(self, user):
        """Save the claim through the services, as `user`; return the saved claim."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("quote", "summary", "attributed_to")}
        fields.update(Figure.from_fields(data).fields())
        confirmed = bool(self.figure_disagreements and data.get("confirm_figure"))
        if self.instance.pk:
            return claim_update(
                claim=self.instance,
                user=user,
                expected_version=data.get("expected_version"),
                start=data.get("start"),
                topics=data["topics"],
                figure_confirmed=confirmed,
                **fields,
            )
        return claim_create(
            user=user,
            source=data.get("source", self.source),
            start=data.get("start"),
            topics=data["topics"],
            figure_confirmed=confirmed,
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
        max_length=NOTE_MAX_LENGTH,
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
        error_messages={
            "invalid_choice": _(
                "No claim has the number %(value)s: give the number of an existing claim."
            )
        },
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=CrossReference.Relation.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the two claims bear on each other."),
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_to_claim(self):
        other = self.cleaned_data["to_claim"]
        if other is not None and other.pk == self.claim.pk:
            raise ValidationError(
                _("A claim cannot refer to itself: choose another claim."), code="itself"
            )
        return other


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
        max_length=NOTE_MAX_LENGTH,
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


class RetractionForm(forms.Form):
    """Why a record is retracted: the reason is kept with it and shown where it is restored."""

    reason = forms.CharField(
        label=_("Why retract it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Say what was made in error; the reason stays in its history."),
        error_messages={"required": REASON_REQUIRED},
    )
