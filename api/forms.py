from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    """A new token's name and scope."""

    class Meta:
        model = ApiToken
        fields = ("name", "scope")
        widgets = {"scope": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_scope(self):
        scope = self.cleaned_data["scope"]
        # The API would refuse its verdicts anyway; saying so now saves a puzzling 403 later.
        if scope == ApiToken.Scope.REVIEW and not self.user.has_perm("claims.add_verdict"):
            raise forms.ValidationError(
                _("Recording verdicts needs the Reviewer role; make a read token instead.")
            )
        return scope
