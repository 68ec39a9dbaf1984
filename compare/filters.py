"""What the suggestion queue can be narrowed to."""

from __future__ import annotations

import django_filters
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from claims.filters import LookupInput, ReadOnceChoiceFilter, source_title
from claims.models import Claim, CrossReference, Topic
from sources.models import Source


class SuggestionQueueFilterSet(django_filters.FilterSet):
    """Select the recently changed claims whose suggestions the queue gathers.

    The source is typed and looked up, as on the claim list: a list of every source made
    the page 7.7 MB and 8 s at a hundred thousand sources. `relation` narrows the
    suggestions themselves, which the view makes after the claims are chosen.
    """

    topic = ReadOnceChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        empty_label=_("any"),
    )
    relation = django_filters.ChoiceFilter(
        label=_("Relation"),
        choices=CrossReference.Relation.choices,
        empty_label=_("any"),
        method="suggested_with",
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"),
        to_field_name="key",
        queryset=Source.objects.only("pk", "key", "title"),
        widget=LookupInput(lookup_url=reverse_lazy("claims:source_lookup"), label_of=source_title),
        help_text=_("Type words of its title or outlet."),
    )

    class Meta:
        model = Claim
        fields = []

    def suggested_with(self, queryset, name, value):
        # A condition on the suggestions, not on the claims: see the view.
        return queryset
