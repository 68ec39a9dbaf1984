"""The one set of claim filters that the list, the export and the command line share."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from claims.models import (
    PERIOD_FIRST_YEAR,
    PERIOD_LAST_YEAR,
    PERIOD_REACHES_FROM,
    PERIOD_REACHES_TO,
    Assignment,
    Claim,
    CrossReference,
    ReviewStatus,
    Topic,
    Verdict,
)
from claims.search import (
    FEW_KEYS_READ,
    RANK_BOUND,
    KeyHoldsEvery,
    few_keys_hold,
    key_contains,
    key_holding,
    keys_sampled,
    many_keys_hold,
    matching,
    ranked,
    search_terms,
)
from core.arrays import Ids, among, ids_of
from core.pagination import selection_estimate, table_estimate
from sources.models import Source


def review_status_filter():
    """Return the filter on where reviewers stand, shared by claims and cross-references."""
    return django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="review_status",
        choices=ReviewStatus.choices,
        empty_label=_("any"),
    )


class LookupInput(forms.TextInput):
    """A text box that suggests values as one types, from a JSON lookup on the server.

    Filters over sets as large as every source or every cited origin cannot list their
    choices in the page. Without JavaScript the box takes the value as typed; with it,
    static/js/hecha.js fills the datalist from `lookup_url`. A chosen value is shown by its
    name, which `label_of` finds with one indexed query.
    """

    input_type = "search"

    def __init__(self, *, lookup_url, label_of=None, attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.lookup_url = lookup_url
        self.label_of = label_of

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        options = f"{attrs.get('id', name)}_options"
        attrs.update({"list": options, "data-lookup": str(self.lookup_url)})
        box = super().render(name, value, attrs, renderer)
        label = self.label_of(str(value)) if value and self.label_of else ""
        if not label or label == value:
            return format_html('{}<datalist id="{}"></datalist>', box, options)
        return format_html(
            '{}<datalist id="{}"><option value="{}">{}</option></datalist>'
            '<small class="lookup-chosen">{}</small>',
            box,
            options,
            value,
            label,
            label,
        )


def source_title(key: str) -> str:
    if "\x00" in key:  # refused by the form; PostgreSQL refuses to compare it
        return ""
    return Source.objects.filter(key=key).values_list("title", flat=True).first() or ""


class ReadOnceChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices of a short table, from its queryset's rows once they are read.

    Django's own iterator reads the table again each time the choices are drawn. The claim
    list reads these rows to make its filter form's key (core.fragments); drawing the form
    then uses the same rows, so the page costs the same queries whether it is drawn or kept.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for row in self.queryset:
            yield self.choice(row)


class ReadOnceChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ReadOnceChoiceIterator


class ReadOnceChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among the rows of a short table, read at most once per form."""

    field_class = ReadOnceChoiceField


def claim_topic_filter() -> ReadOnceChoiceFilter:
    """Return the filter on a claim's topic, by slug, shared by the lists of claims."""
    return ReadOnceChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        empty_label=_("any"),
    )


# At most this many sources a filter's typed words select; more, and the words say too little.
SOURCES_BY_WORDS = 200


class SourceWordsField(forms.CharField):
    """A source by its key, as the lookup box fills it in, or by words of its title or outlet,
    as one types them without choosing (or without JavaScript): the ids of the sources."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if "\x00" in value:
            raise forms.ValidationError(_("Type words of its title or outlet."), code="invalid")
        chosen = list(Source.objects.filter(key=value).values_list("pk", flat=True))
        if chosen:
            return chosen
        found = matching(Source.objects.order_by(), value, keys=("search_key",))
        ids = list(found.values_list("pk", flat=True)[: SOURCES_BY_WORDS + 1])
        if not ids:
            raise forms.ValidationError(
                _("No source's title or outlet holds “%(words)s”."),
                code="invalid_choice",
                params={"words": value},
            )
        if len(ids) > SOURCES_BY_WORDS:
            raise forms.ValidationError(
                _(
                    "More than %(count)s sources hold “%(words)s”: type more of a title, or "
                    "choose one from the list."
                ),
                code="invalid_choice",
                params={"count": SOURCES_BY_WORDS, "words": value},
            )
        return ids


class SourceWordsFilter(django_filters.Filter):
    field_class = SourceWordsField

    def filter(self, qs, value):
        return qs if not value else qs.filter(source_id__in=value)


def claim_source_filter() -> SourceWordsFilter:
    """Return the filter on a claim's source, by key or by words of its title or outlet, typed
    in a box that looks them up."""
    return SourceWordsFilter(
        label=_("Source"),
        widget=LookupInput(lookup_url=reverse_lazy("claims:source_lookup"), label_of=source_title),
        help_text=_("Type words of its title or outlet."),
    )


class KnownValueField(forms.CharField):
    """A value that must be one the records hold; asked with one indexed query, not a list."""

    def __init__(self, *, exists, **kwargs):
        super().__init__(**kwargs)
        self.exists = exists

    def validate(self, value):
        super().validate(value)
        if value and not self.exists(value):
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class KnownValueFilter(django_filters.CharFilter):
    field_class = KnownValueField


# A filter's value may be as large as the largest whole number the stored figures hold (30
# digits, 10 of them after the point: 20 before it), a bound a reader can be told.
VALUE_DIGITS = Claim._meta.get_field("value").max_digits
VALUE_PLACES = Claim._meta.get_field("value").decimal_places
LARGEST_VALUE = Decimal(10 ** (VALUE_DIGITS - VALUE_PLACES) - 1)


class FigureValueField(forms.DecimalField):
    """A figure to compare the stored ones with: one beyond what they can hold is refused
    with one error naming the largest value accepted, and the box keeps what was typed (a
    number box would empty itself of 1e999)."""

    widget = forms.TextInput
    default_error_messages = {
        "too_large": _("Give a value between -%(largest)s and %(largest)s."),
    }

    def run_validators(self, value):
        if value not in self.empty_values and abs(value) > LARGEST_VALUE:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"largest": f"{int(LARGEST_VALUE):,}"},
            )
        super().run_validators(value)


class FigureValueFilter(django_filters.NumberFilter):
    field_class = FigureValueField

    def get_max_validator(self):
        # The field refuses a value out of bounds itself, once.
        return None


class OrderedRangesForm(forms.Form):
    """A filter form whose (low, high) pairs of fields must not be given the wrong way round."""

    ordered_pairs: tuple = ()

    def clean(self):
        cleaned = super().clean()
        for low, high, message in self.ordered_pairs:
            if (
                cleaned.get(low) is not None
                and cleaned.get(high) is not None
                and cleaned[low] > cleaned[high]
            ):
                self.add_error(high, message)
        return cleaned


class ClaimFilterForm(OrderedRangesForm):
    ordered_pairs = (
        ("year_from", "year_to", _("The period ends before it starts.")),
        ("value_min", "value_max", _("The smallest value is above the largest.")),
    )

    def clean(self):
        cleaned = super().clean()
        since = cleaned.get("changed_since")
        if since is not None:
            try:
                since.astimezone(datetime.UTC)
            except OverflowError:
                self.add_error(
                    "changed_since", _("Give a date and time between the years 1 and 9999.")
                )
        return cleaned


class VerdictFilterForm(OrderedRangesForm):
    ordered_pairs = (("since", "until", _("The last day is before the first.")),)


# Filters on the signed-in user's own work, left out where there is none.
PERSONAL_FILTERS = ("unreviewed_by_me", "assigned_to_me")
# A reviewed claim that changed, in a way reviewers should see, after its last verdict.
NEEDS_RECHECK = Q(last_verdict_at__isnull=False, recheck_since__gt=F("last_verdict_at"))


def open_assignments(reviewer):
    """Return the reviewer's open assignments of the claim in the outer query."""
    return Assignment.objects.filter(claim=OuterRef("pk"), reviewer=reviewer, done_at__isnull=True)


class ProbedExists(Exists):
    """EXISTS read as a probe for each row, never by hashing the subquery's rows first.

    PostgreSQL turns an EXISTS it checks many times into a set hashed once, from its
    estimate of how many rows the condition will be checked on; under a LIMIT that estimate
    is the whole table's. An OFFSET in the subquery keeps it from doing so (and changes
    nothing else); SQLite probes every time anyway.
    """

    template = "EXISTS(%(subquery)s OFFSET 0)"


class ClaimFilterSet(django_filters.FilterSet):
    """Select claims by what they say, where they come from and how they were reviewed.

    Parameter names are the public query string of the claim list and of the export; an
    invalid value makes the form invalid, and callers show its errors instead of results.
    """

    # A search the user did not sort comes most relevant first (the pages rank only its
    # newest matches, claims.views.claims.ranked_page); the API keeps its own order.
    ranks_searches = True

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_(
            "Words in the quote, summary, cited origin, figure or source title, in either "
            "script; every word must be found."
        ),
    )
    status = review_status_filter()
    topic = claim_topic_filter()
    # Sources, outlets and cited origins are too many to list: each is a box that suggests
    # values as one types and checks the value given against its index.
    source = claim_source_filter()
    outlet = KnownValueFilter(
        label=_("Outlet"),
        field_name="source__outlet",
        exists=lambda value: Source.objects.filter(outlet=value).exists(),
        widget=LookupInput(lookup_url=reverse_lazy("claims:outlet_lookup")),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="source__region",
        choices=Source.Region.choices,
        empty_label=_("any"),
    )
    script = django_filters.ChoiceFilter(
        label=_("Script"),
        field_name="source__script",
        choices=Source.Script.choices,
        empty_label=_("any"),
    )
    unit = django_filters.ChoiceFilter(
        label=_("Unit"), choices=Claim.Unit.choices, empty_label=_("any")
    )
    cited = KnownValueFilter(
        label=_("Cited origin"),
        field_name="attributed_to",
        exists=lambda value: Claim.objects.filter(attributed_to=value).exists(),
        widget=LookupInput(lookup_url=reverse_lazy("claims:cited_lookup")),
    )
    anchored = django_filters.ChoiceFilter(
        label=_("Quote found in the text"),
        field_name="is_anchored",
        choices=[("true", _("yes")), ("false", _("no: unanchored"))],
        method="filter_anchored",
        empty_label=_("either"),
    )
    has_figure = django_filters.ChoiceFilter(
        label=_("States a figure"),
        choices=[("true", _("yes")), ("false", _("no"))],
        method="filter_has_figure",
        empty_label=_("either"),
    )
    year_from = django_filters.NumberFilter(
        label=_("Period from (year)"),
        method="filter_period",
        min_value=PERIOD_FIRST_YEAR,
        max_value=PERIOD_LAST_YEAR,
    )
    year_to = django_filters.NumberFilter(
        label=_("Period to (year)"),
        method="filter_period",
        min_value=PERIOD_FIRST_YEAR,
        max_value=PERIOD_LAST_YEAR,
    )
    # Bounded like the stored figures, so that an absurd number is a form error, not a
    # database overflow.
    value_min = FigureValueFilter(
        label=_("Value at least"),
        field_name="value",
        lookup_expr="gte",
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
    )
    value_max = FigureValueFilter(
        label=_("Value at most"),
        field_name="value",
        lookup_expr="lte",
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
    )
    relation = django_filters.ChoiceFilter(
        label=_("Has a cross-reference"),
        choices=CrossReference.Relation.choices,
        method="filter_relation",
        empty_label=_("any"),
    )
    unreviewed_by_me = django_filters.BooleanFilter(
        label=_("Not yet reviewed by me"),
        method="filter_unreviewed_by_me",
        widget=forms.CheckboxInput,
    )
    assigned_to_me = django_filters.BooleanFilter(
        label=_("Assigned to me"),
        method="filter_assigned_to_me",
        widget=forms.CheckboxInput,
        help_text=_("Claims an editor asked you to review that you have not judged since."),
    )
    recheck = django_filters.BooleanFilter(
        label=_("Needs re-check"),
        method="filter_recheck",
        widget=forms.CheckboxInput,
        help_text=_("Reviewed claims that changed since their last verdict."),
    )
    changed_since = django_filters.IsoDateTimeFilter(
        label=_("Changed since"),
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("A date, or a date and time: 2025-03-01 or 2025-03-01 14:30."),
        error_messages={
            "invalid": _("Enter a date as 2025-03-01, or a date and time as 2025-03-01 14:30.")
        },
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("source_published_on", "date"),
            ("value", "value"),
            ("review_status", "status"),
            ("updated_at", "changed"),
        ),
        field_labels={
            "source_published_on": _("publication date"),
            "value": _("value"),
            "review_status": _("status"),
            "updated_at": _("last change"),
            # Named here, the descending labels stay lazy and follow the reader's language;
            # django-filter's own would write them out once, in English, at import.
            "-date": _("publication date (descending)"),
            "-value": _("value (descending)"),
            "-status": _("status (descending)"),
            "-changed": _("last change (descending)"),
        },
        empty_label=_("source and position"),
    )

    class Meta:
        model = Claim
        fields = []
        form = ClaimFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # Without a signed-in user "me" means nothing (command-line export).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            for name in PERSONAL_FILTERS:
                self.filters.pop(name)
                self.form.fields.pop(name, None)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        queryset = self.among_sources(queryset)
        sort = self.form.cleaned_data.get("sort") or []
        if sort:
            ordering = []
            for name in queryset.query.order_by:
                field = name.lstrip("-")
                expression = (
                    F(field).desc(nulls_last=True)
                    if name.startswith("-")
                    else F(field).asc(nulls_last=True)
                )
                # Claims without a figure (or a date) come last on every database.
                ordering.append(expression)
            # Sorting on a column with ties keeps pages stable only with a unique last key.
            # It runs the way of the sort, so one index on (column, id) serves the sort and
            # its reverse (see Claim.Meta.indexes).
            queryset = queryset.order_by(*ordering, "-pk" if sort[0].startswith("-") else "pk")
        elif self.ranks_searches and self.form.cleaned_data.get("q"):
            # A search the user did not sort shows the claims that quote the words first.
            queryset = ranked(queryset, self.form.cleaned_data["q"])
        return queryset

    @property
    def sorts_values_across_units(self) -> bool:
        """Whether the claims are sorted by value with no unit chosen, so that a sum in yuan,
        a share in percent and a count of chips are compared as bare numbers."""
        data = self.form.cleaned_data
        by_value = any(key.lstrip("-") == "value" for key in data.get("sort") or [])
        return by_value and not data.get("unit")

    def among_sources(self, queryset):
        """Narrow the claims to the sources that the filters on a claim's source select.

        Those filters (outlet, region, script) are conditions on the joined source, which the
        list checks claim by claim in its order: a combination that few sources meet (Hong
        Kong sources in Simplified script, say) read every claim (1.8 s at a million) to
        find none. The sources are looked up first, all conditions together; if few enough
        meet them, the claims are read by their sources' ids. Many sources stay the join's
        conditions alone, which the walk in the list's order meets early.
        """
        sources = self.selected_sources
        return queryset if sources is None else queryset.filter(source__in=sources)

    @cached_property
    def selected_sources(self) -> list[int] | None:
        """Return the ids of the sources the filters on a claim's source select, if few.

        None when there are no such filters, or many sources meet them. Read once, however
        many times the selection is built (qs, estimation_qs, page_qs).
        """
        conditions = {
            self.filters[name].field_name.removeprefix("source__"): value
            for name, value in self.form.cleaned_data.items()
            if name in self.filters
            and self.filters[name].field_name.startswith("source__")
            and value not in (None, "")
        }
        if not conditions:
            return None
        return _ids_up_to(Source.objects.order_by().filter(**conditions))

    def filter_anchored(self, queryset, name, value):
        return queryset.filter(is_anchored=(value == "true"))

    def filter_has_figure(self, queryset, name, value):
        return queryset.filter(value__isnull=(value != "true"))

    def filter_text(self, queryset, name, value):
        return matching(queryset, value, keys=("search_key",))

    def filter_period(self, queryset, name, value):
        # Periods overlap when each starts before the other ends, as far as each reaches
        # (claims.models.PERIOD_REACHES_FROM and _TO: open ends run on, no period matches no
        # year range), read through the index on each.
        if name == "year_from":
            return queryset.alias(reaches_to=PERIOD_REACHES_TO).filter(reaches_to__gte=value)
        return queryset.alias(reaches_from=PERIOD_REACHES_FROM).filter(reaches_from__lte=value)

    # Set while estimation_qs builds the selection for the planner's estimate.
    estimating = False

    @property
    def estimation_qs(self) -> QuerySet:
        """Return the selection written as the query planner estimates it best.

        The relation filter reads as two EXISTS conditions, which PostgreSQL checks row by
        row in the list's order, but whose share it cannot estimate: it guessed three claims
        in four, and the list said "about 750,000" of a relation 77,000 claims have. Written
        as claims among the pairs' ends, the same selection is estimated from the pairs'
        statistics (80,000), though it would be read by gathering and sorting every one.
        """
        if not self.form.cleaned_data.get("relation"):
            return self.qs
        return self._filtered_while("estimating")

    def _filtered_while(self, flag: str) -> QuerySet:
        """Return the selection built afresh with `flag` (estimating, probing) set."""
        setattr(self, flag, True)
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            setattr(self, flag, False)

    @cached_property
    def selection_estimate(self) -> int | None:
        """Return the planner's estimate of the claims selected (None on SQLite, or searched).

        Taken from estimation_qs, once for the count and the page's reading alike.
        """
        if self.form.cleaned_data.get("q"):
            return None
        return selection_estimate(self.estimation_qs)

    # A relation that at least this share of the claims have is met early by the list's walk
    # in its order: a page of 25 rows is found within some 750 (3,000 for 100 rows), each
    # checked by two probes of the pairs' ends. Rarer, the walk would go on for tens of
    # thousands of rows, and the pairs' ends hashed once (some 30 ms at a million claims for
    # a relation of 77,000) cost less.
    PROBED_SHARE = 1 / 30

    # Set while page_qs builds the selection to read one page of it.
    probing = False

    @cached_property
    def page_qs(self) -> QuerySet:
        """Return the selection written to read one page of it, in the list's order.

        The same claims as qs. qs writes the relation filter as two EXISTS, which PostgreSQL
        reads by hashing every end of the relation's pairs before the first row: right for
        an export or a count, which go through the whole selection, but most of the time of
        a page when the relation is common. Then each EXISTS is fenced (OFFSET 0) so that it
        is a probe of the pairs' indexes for each row the walk meets.
        """
        if not self.form.cleaned_data.get("relation") or self.form.cleaned_data.get("q"):
            return self.qs
        estimate, claims = self.selection_estimate, table_estimate(Claim, self.queryset.db)
        if estimate is None or not claims or estimate < claims * self.PROBED_SHARE:
            return self.qs
        return self._filtered_while("probing")

    def filter_relation(self, queryset, name, value):
        if self.estimating:
            # Retracted claims are too few to matter to an estimate, and left out they
            # would be taken for half of every pair (the planner's default share).
            pairs = CrossReference.all_objects.filter(relation=value, retracted_at__isnull=True)
            ends = pairs.order_by().values("from_claim")
            return queryset.filter(pk__in=ends.union(pairs.order_by().values("to_claim"), all=True))
        references = CrossReference.objects.filter(relation=value)
        exists = ProbedExists if self.probing else Exists
        return queryset.filter(
            exists(references.filter(from_claim=OuterRef("pk")))
            | exists(references.filter(to_claim=OuterRef("pk")))
        )

    def filter_unreviewed_by_me(self, queryset, name, value):
        if not value:
            return queryset
        mine = Verdict.objects.filter(claim=OuterRef("pk"), reviewer=self.request.user)
        return queryset.filter(~Exists(mine))

    def filter_assigned_to_me(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(open_assignments(self.request.user)))

    def filter_recheck(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(NEEDS_RECHECK)


class CrossReferenceFilterSet(django_filters.FilterSet):
    """Select cross-references for the cross-reference list."""

    # Conditions that select parts of a search's rows, for its count to read first
    # (holding_every_word, core.pagination.bounded_count), and the share of pairs expected
    # to hold its words, where a sample tells it; set when `q` is filtered on.
    count_parts: tuple[Q, ...] = ()
    count_share: float | None = None

    relation = django_filters.ChoiceFilter(
        label=_("Relation"), choices=CrossReference.Relation.choices, empty_label=_("any")
    )
    status = review_status_filter()
    topic = ReadOnceChoiceFilter(
        label=_("Topic"),
        # The method matches either claim; the field names the type the API schema shows.
        field_name="from_claim__topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        method="filter_topic",
        empty_label=_("any"),
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_(
            "Words in either claim or the note, in either script; every word must be found."
        ),
    )

    class Meta:
        model = CrossReference
        fields = []

    def filter_topic(self, queryset, name, value):
        # Whether either claim carries the topic, looked up pair by pair through the topic
        # links' index as the board walks its order. Joined both ways and made distinct,
        # every pair was read and sorted first (1.7 s at a million claims).
        links = Claim.topics.through.objects.filter(topic=value)
        if connection.vendor == "postgresql":
            # claim_id = ANY(ARRAY[from, to]): one scan of the (claim, topic) index, from
            # the index alone. Asked as claim = from OR claim = to, PostgreSQL read both
            # claims' links by the claim's index and then the table for their topics: a
            # topic's count on the board took 67 ms at a million claims, now 43.
            either = Func(
                F("claim_id"),
                Func(
                    OuterRef("from_claim_id"),
                    OuterRef("to_claim_id"),
                    template="ARRAY[%(expressions)s]",
                ),
                arg_joiner=" = ANY(",
                template="(%(expressions)s))",
                output_field=BooleanField(),
            )
            return queryset.filter(Exists(links.filter(either)))
        either = Q(claim=OuterRef("from_claim")) | Q(claim=OuterRef("to_claim"))
        return queryset.filter(Exists(links.filter(either)))

    def filter_text(self, queryset, name, value):
        searched = holding_every_word(queryset, value, pairs_holding)
        self.count_parts, self.count_share = searched.parts, searched.share
        return searched.rows


# Up to this many claims, notes or sources meeting a condition, the rows that point to them
# are found by their ids (pairs_holding, verdicts_holding, ClaimFilterSet.among_sources).
PAIR_SEARCH_CLAIMS = 1_000
# A word the statistics find in more claims than this is not looked for among their ids:
# twice the bound, as the statistics' shares come from a sample.
MANY_CLAIMS = 2 * PAIR_SEARCH_CLAIMS
# Pairs expected past this many are not read first to learn whether they are few; twice
# the bound, as the expectation is an average.
MANY_PAIRS = 2 * PAIR_SEARCH_CLAIMS


@dataclass(frozen=True)
class Holding:
    """The condition on rows that hold a word (pairs_holding, verdicts_holding), the parts
    of those rows that their count may read first (core.pagination.bounded_count), and,
    for a word too common to list the claims holding it, the share of rows expected to hold
    it, by which their count is estimated (None where no sample tells it)."""

    rows: Q
    parts: tuple[Q, ...] = ()
    share: float | None = None


@dataclass(frozen=True)
class Searched:
    """The rows holding every word of a search (holding_every_word): the rows, the parts of
    them to count first, and the share of rows expected to hold its one word (None for
    several words, or where no sample tells it)."""

    rows: QuerySet
    parts: tuple[Q, ...] = ()
    share: float | None = None


def holding_every_word(
    queryset: QuerySet, query: str, holding: Callable[[str], Holding]
) -> Searched:
    """Return the rows of `queryset` that hold every word of `query`, as `holding(term)` says,
    the parts of them to count first, and the share expected to hold them all.

    For rows whose words are also in the rows they point to (pairs_holding,
    verdicts_holding); the board and the admin search them alike. A part of one word's rows
    is a part of the whole selection once it has every word's condition too: each is to be
    applied to the rows returned. The share is one word's only: words searched together
    are found together far more often than their shares multiplied say (`semiconductor
    imports` in 33,631 pairs at a million claims, where the product said 6,086).
    """
    if "\x00" in query:
        # No stored text holds a NUL; PostgreSQL refuses to compare one.
        return Searched(queryset.none())
    parts: tuple[Q, ...] = ()
    terms = search_terms(query)
    share = None
    for term in terms:
        found = holding(term)
        queryset = queryset.filter(found.rows)
        parts += found.parts
        share = found.share if len(terms) == 1 else None
    return Searched(queryset, parts, share)


def pairs_holding(term: str, *, retracted: bool = False) -> Holding:
    """Return the condition on cross-references whose note or either claim holds `term`.

    As one condition across both joined claims no index serves it: a rare word read both
    claims of every pair (seconds at a million claims). So the claims and the notes that
    hold it are looked up first, each through its key's index, and pairs by their ids; a
    common word, in more of them than that, stays a condition, which the board's walk in
    its order satisfies within its first pairs. With `retracted`, retracted claims and
    pairs are found too, as the admin lists them.

    Its parts: when the claims are many, and each end of their pairs is expected past a
    search's count, the pairs from one of them, and those to one, each read through the
    end's index. For a name in 7,648 claims, the first part passed the bound in 7 ms,
    where the count of every pair holding it walked 65,000 pairs (18 ms).
    """
    claims, share = _claims_holding(term, retracted=retracted)
    parts: tuple[Q, ...] = ()
    if _counted_in_parts(claims, CrossReference):
        parts = tuple(_among_ids(end, claims, probed=True) for end in ("from_claim", "to_claim"))
    return Holding(
        _pairs_holding(term, claims, _noted_pairs(term), retracted=retracted),
        parts,
        # A pair holds the word where either claim does: 1 - (1 - p)², its notes aside.
        share=None if share is None else 1 - (1 - share) ** 2,
    )


def _claims_holding(term: str, *, retracted: bool) -> tuple[Ids | None, float | None]:
    """Return the ids of the claims whose key holds `term`, or None if there are many; and
    where there are many and the newest claims tell, the share of claims holding it."""
    manager = Claim.all_objects if retracted else Claim.objects
    holding = matching(manager.order_by(), term, keys=("search_key",))
    if many_keys_hold(Claim, term, holding.db, more_than=MANY_CLAIMS):
        # A common word of two characters (芯片, AI), which the statistics count: reading a
        # thousand of its claims to find them too many took 7-14 ms of each search.
        return None, None
    if few_keys_hold(Claim, term, holding.db):
        # A word the statistics find in some thousands of claims (a cited origin, a name)
        # is in too few of them for the walk in the list's order to meet early: the board
        # read all 200,000 pairs, both claims of each, to count 600 (1.9 s). Read through
        # the index, their ids take 30-40 ms.
        claims = _ids_up_to(holding, limit=FEW_KEYS_READ)
    else:
        sampled = keys_sampled(Claim, term, holding.db)
        if sampled is not None and sampled.keys > MANY_CLAIMS:
            # A common word the statistics cannot count (semiconductor): counted among the
            # newest claims instead, whose share estimates how many rows hold it.
            return None, sampled.share
        claims = _ids_up_to(holding)
    # Written into several conditions, as one array each.
    return (None if claims is None else Ids(claims)), None


def pairs_expected_many(claims: list[int], using: str) -> bool:
    """Return whether the tables' sizes put the pairs of `claims` past MANY_PAIRS.

    Each claim is in 2 × pairs / claims pairs on average (0.4 at a million claims and
    200,000 pairs). Such pairs are not read first to learn whether they are few enough to
    list: for a name in 7,648 claims, reading a thousand of its 3,071 pairs took 15 ms of a
    search, only to find them too many. False where the database keeps no estimates.
    """
    expected = _expected_rows(CrossReference, claims, using, ends=2)
    return expected is not None and expected > MANY_PAIRS


def _expected_rows(model, claims: list[int], using: str, *, ends: int = 1) -> float | None:
    """Return how many rows of `model` the tables' sizes expect to point to `claims`, each
    row by `ends` of its columns; None where the database keeps no estimates."""
    rows, all_claims = table_estimate(model, using), table_estimate(Claim, using)
    if not rows or not all_claims:
        return None
    return len(claims) * ends * rows / all_claims


def _counted_in_parts(claims: list[int] | None, model) -> bool:
    """Return whether a search's count reads first, in parts, the rows of `model` that point
    to `claims`: claims listed by one array (more than PAIR_SEARCH_CLAIMS) whose rows,
    by one column, the tables' sizes expect past the bound a search counts to."""
    if claims is None or len(claims) <= PAIR_SEARCH_CLAIMS:
        return False
    expected = _expected_rows(model, claims, model.objects.db)
    return expected is not None and expected > RANK_BOUND


def _noted_pairs(term: str) -> list[int] | None:
    """Return the ids of the pairs whose note holds `term`, or None if there are many.

    Every note, retracted pairs' too: the board's own query leaves those out, and this one
    need not join both claims to find out.
    """
    return _ids_up_to(_keys_holding(CrossReference.all_objects, term))


def _pairs_holding(
    term: str,
    holding: list[int] | None,
    noted: list[int] | None,
    *,
    retracted: bool,
    probed: bool = False,
) -> Q:
    """pairs_holding, given the claims that hold `term` (`_claims_holding`) and the pairs
    whose note does (`_noted_pairs`).

    With `probed`, the condition as the pairs are read by themselves, each claim's pairs
    looked up through the ends' indexes, rather than as a list's walk checks its rows.
    """
    if holding is None:
        return (
            _notes_holding(term, noted)
            | _end_holds(CrossReference, "from_claim__search_key", term)
            | _end_holds(CrossReference, "to_claim__search_key", term)
        )
    if noted is None or probed or pairs_expected_many(holding, CrossReference.objects.db):
        return _either_end(term, holding, noted, probed=probed)
    # Then the pairs themselves, each arm read from its index. Left to the page's query,
    # ordered and limited, the planner expected hundreds of pairs and walked the board's
    # order through every pair to find 38 (0.2 s at 200,000 pairs).
    standing = CrossReference.all_objects if retracted else CrossReference.objects
    return _by_ids_if_few(
        standing,
        _either_end(term, holding, noted, probed=True),
        checked=_either_end(term, holding, noted, probed=False),
    )


def _end_holds(model, column: str, term: str) -> Q:
    """The condition that the joined key in `column` holds a common `term`, checked row by
    row as a walk meets the rows.

    On PostgreSQL not weighed by the planner (claims.search.KeyHoldsEvery): estimated, a
    Latin word in one claim in eleven was taken for one in two hundred, and to count a
    thousand pairs holding `semiconductor` it joined all 200,000 pairs to their claims
    (1.2 s at a million claims), where a walk meets a thousand within a few thousand pairs.
    """
    if connections[model.objects.db].vendor != "postgresql":
        return key_contains(column, term)
    return Q(KeyHoldsEvery(F(column), [term], found=None))


def _notes_holding(term: str, noted: list[int] | None) -> Q:
    """The condition on rows whose own note holds `term`: by their ids when few are."""
    return key_contains("search_key", term) if noted is None else Q(pk__in=noted)


def _either_end(term: str, holding: list[int], noted: list[int] | None, *, probed: bool) -> Q:
    """The condition on pairs whose note holds `term` or either of whose claims is one of
    `holding`, as `_among_ids` writes it (`probed` or checked row by row)."""
    return (
        _notes_holding(term, noted)
        | _among_ids("from_claim", holding, probed=probed)
        | _among_ids("to_claim", holding, probed=probed)
    )


def verdicts_holding(term: str, *, reviewers: bool = False) -> Holding:
    """Return the condition on verdicts whose note holds `term`, or what they judge: their
    claim, or their cross-reference (its note or either claim, as pairs_holding finds it).
    With `reviewers`, also those of a reviewer whose username holds it, as the admin finds.

    Each is looked up first through its own index, and the verdicts by their ids; as one
    condition across the joined claims and cross-references, a word found in none read
    every verdict's (6 s at a million verdicts; 0.4 s on one reviewer's record).

    Its part, when the claims are many and their verdicts expected past a search's count:
    the verdicts on those claims, read through the index of the verdicts' claims. For a
    name in 7,648 claims it passed the bound in 5 ms, where the count of every verdict
    holding the name walked 127,000 verdicts (36 ms).
    """
    noted = _ids_up_to(_keys_holding(Verdict.objects, term))
    # Read once, for the verdicts on claims and for those on their pairs.
    claims, _ = _claims_holding(term, retracted=True)
    noted_pairs = _noted_pairs(term)
    # Read by themselves, and as a set that the verdicts are checked against: through the
    # ends' indexes. Checked pair by pair, a name's 3,071 pairs took 91 ms to find.
    holding_pairs = CrossReference.all_objects.order_by().filter(
        _pairs_holding(term, claims, noted_pairs, retracted=True, probed=True)
    )
    # Claims too many to list (None): a common word, in thousands of pairs as well. Reading
    # a thousand of those first, both claims of each, took 32 ms of the admin's search for
    # 芯片 only to find them too many; they are checked across the joins instead.
    if claims is None or pairs_expected_many(claims, holding_pairs.db):
        pairs = None
    else:
        pairs = _ids_up_to(holding_pairs)
    notes = _notes_holding(term, noted)
    verdicts_many = _counted_in_parts(claims, Verdict)
    if pairs is not None:
        judged_pairs = Q(crossref__in=pairs)
    elif claims is not None and verdicts_many:
        # Many pairs of claims known by their ids, and the verdicts on those claims expected
        # many too: a list's walk meets a page of them early. Each verdict on a pair it
        # meets looks that pair up by its key; hashing every pair of a name in 7,648 claims
        # first took 11 ms of a 14 ms page.
        judged_pairs = _on_pairs_probed(_either_end(term, claims, noted_pairs, probed=False))
    elif claims is not None:
        # Many pairs, but of claims known by their ids: those pairs once, as a set. Joined
        # verdict by verdict to each pair's claims, a word in 7,600 claims took 1.2 s to
        # count.
        judged_pairs = Q(crossref__in=holding_pairs.values("pk"))
    else:
        # A common word, in too many claims to list: each verdict on a pair looks that pair
        # and its two claims up by their keys. Joined to the verdicts instead, the pairs were
        # read in their order beside the verdicts' (a merge join), most of them for no
        # verdict met: the admin's count for 芯片 read 3,028 pairs for the first 1,846
        # verdicts on pairs, 36-43 ms, where probed it takes 6 ms.
        judged_pairs = _on_pairs_probed(_pairs_holding(term, None, noted_pairs, retracted=True))
    accounts = Q()
    if reviewers:
        users = get_user_model().objects.filter(username__icontains=term)
        accounts = Q(reviewer__in=list(users.values_list("pk", flat=True)))

    def found(*, probed: bool) -> Q:
        judged_claims = (
            key_contains("claim__search_key", term)
            if claims is None
            else _among_ids("claim", claims, probed=probed)
        )
        return notes | judged_claims | judged_pairs | accounts

    if None not in (noted, claims, pairs):
        few = _ids_up_to(Verdict.objects.order_by().filter(found(probed=True)))
        if few is not None:
            return Holding(Q(pk__in=few))
    parts = (_among_ids("claim", claims, probed=True),) if verdicts_many else ()
    return Holding(found(probed=False), parts)


def _on_pairs_probed(pairs: Q) -> Q:
    """The condition on verdicts whose pair meets `pairs`, each verdict's pair looked up by
    its key as the verdicts are read (ProbedExists)."""
    return Q(ProbedExists(CrossReference.all_objects.filter(pairs, pk=OuterRef("crossref_id"))))


def _keys_holding(manager, term: str) -> QuerySet:
    """Return the rows of `manager` whose own key holds `term`, read through its index."""
    table = manager.order_by()
    return table.filter(key_holding(table, term))


def _by_ids_if_few(manager, condition: Q, *, checked: Q | None = None) -> Q:
    """Return `condition` as the ids of the rows it selects, if there are few enough; else
    `checked`, the same condition written to be checked row by row (by default, itself)."""
    ids = _ids_up_to(manager.order_by().filter(condition))
    if ids is None:
        return condition if checked is None else checked
    return Q(pk__in=ids)


def _ids_up_to(queryset: QuerySet, *, limit: int | None = None) -> list[int] | None:
    """Return the ids of `queryset`'s rows, or None if there are more than `limit`
    (PAIR_SEARCH_CLAIMS by default)."""
    limit = PAIR_SEARCH_CLAIMS if limit is None else limit
    ids = ids_of(queryset, limit=limit + 1)
    return None if len(ids) > limit else ids


def _among_ids(column: str, ids: list[int], *, probed: bool) -> Q:
    """Return the condition that `column` is one of `ids`, however many they are.

    `probed`: the rows are to be found by the column's index, each id looked up; otherwise
    the condition is checked row by row, as a walk in a list's order checks it. A few ids
    are a list, which serves both.
    """
    if len(ids) <= PAIR_SEARCH_CLAIMS:
        return Q(**{f"{column}__in": ids})
    return among(column, ids, probed=probed)


class VerdictFilterSet(django_filters.FilterSet):
    """Select one reviewer's verdicts on their page, for accountability and proof-reading."""

    # Conditions that select parts of a search's rows, for its count to read first
    # (holding_every_word, core.pagination.bounded_count); set when `q` is filtered on.
    count_parts: tuple[Q, ...] = ()

    verdict = django_filters.ChoiceFilter(
        label=_("Verdict"), choices=Verdict.Kind.choices, empty_label=_("any")
    )
    on = django_filters.ChoiceFilter(
        label=_("Given on"),
        choices=[("claim", _("claims")), ("crossref", _("cross-references"))],
        method="filter_on",
        empty_label=_("claims and cross-references"),
    )
    since = django_filters.DateFilter(
        label=_("Given on or after"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Given on or before"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_("Words in the note or in the claim judged, in either script."),
    )

    class Meta:
        model = Verdict
        fields = []
        form = VerdictFilterForm

    def filter_on(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_text(self, queryset, name, value):
        searched = holding_every_word(queryset, value, verdicts_holding)
        self.count_parts = searched.parts
        return searched.rows
