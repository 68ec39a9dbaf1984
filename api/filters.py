"""Filters of the API's verdict list; claims and cross-references use the pages' FilterSets."""

import django_filters
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Verdict


class VerdictFilterSet(django_filters.FilterSet):
    """Select verdicts by what they judge, who gave them and what they say."""

    claim = django_filters.ModelChoiceFilter(
        label=_("Claim"),
        to_field_name="public_id",
        queryset=Claim.objects.only("pk", "public_id"),
        help_text=_("The claim's id."),
    )
    crossref = django_filters.NumberFilter(
        label=_("Cross-reference"), field_name="crossref_id", min_value=1
    )
    reviewer = django_filters.CharFilter(
        label=_("Reviewer"), field_name="reviewer__username", help_text=_("A user name.")
    )
    verdict = django_filters.ChoiceFilter(label=_("Verdict"), choices=Verdict.Kind.choices)

    class Meta:
        model = Verdict
        fields = []
