"""What the suggestion queue can be narrowed to."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from claims.filters import claim_source_filter, claim_topic_filter
from claims.models import Claim, CrossReference


class SuggestionQueueFilterSet(django_filters.FilterSet):
    """Select the recently changed claims whose suggestions the queue gathers.

    The source is typed and looked up, as on the claim list: a list of every source made
    the page 7.7 MB and 8 s at a hundred thousand sources. `relation` narrows the
    suggestions themselves, which the view makes after the claims are chosen.
    """

    topic = claim_topic_filter()
    relation = django_filters.ChoiceFilter(
        label=_("Relation"),
        choices=CrossReference.Relation.choices,
        empty_label=_("any"),
        method="suggested_with",
    )
    source = claim_source_filter()

    class Meta:
        model = Claim
        fields = []

    def suggested_with(self, queryset, name, value):
        # A condition on the suggestions, not on the claims: see the view.
        return queryset
