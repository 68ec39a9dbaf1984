import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.interchange import Figure
from core.retraction import (
    Retractable,
    live_manager,
    points_to_standing,
    retracted_index,
    retracted_keys,
    retraction_has_reason,
)
from sources.models import Source

# SQLite keeps numbers as 64-bit floats, which hold 15 significant digits; a figure with
# more would come back changed from one of the two supported databases.
MAX_SIGNIFICANT_DIGITS = 15


def validate_significant_digits(value: Decimal) -> None:
    """Refuse a figure that a database would not return exactly as given."""
    if value is None:
        return
    digits = value.normalize().as_tuple().digits
    if len(digits) > MAX_SIGNIFICANT_DIGITS:
        raise ValidationError(
            _("Give at most %(max)d significant digits (this value has %(count)d)."),
            params={"max": MAX_SIGNIFICANT_DIGITS, "count": len(digits)},
            code="too_many_digits",
        )


def figure_field(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=30,
        decimal_places=10,
        null=True,
        blank=True,
        validators=[validate_significant_digits],
    )


# A reviewer's reason is a paragraph or a few, not a document: a longer note is refused
# rather than stored and paged through on every claim page.
NOTE_MAX_LENGTH = 5_000


class ReviewStatus(models.TextChoices):
    """Where reviewers stand on a claim or cross-reference, from their current verdicts."""

    UNREVIEWED = "unreviewed", _("unreviewed")
    AGREED = "agreed", _("agreed")
    DISPUTED = "disputed", _("disputed")
    NEEDS_CONTEXT = "needs_context", _("needs context")


class Reviewable(models.Model):
    """The tally of current verdicts, kept beside the row so lists filter and sort on it.

    Only the verdict services (`verdict_create`, `verdicts_bulk_create`) write these
    fields, in the same transaction as the verdicts.
    """

    review_status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReviewStatus,
        default=ReviewStatus.UNREVIEWED,
        editable=False,
        db_index=True,
    )
    agree_count = models.PositiveIntegerField(_("agree"), default=0, editable=False)
    dispute_count = models.PositiveIntegerField(_("dispute"), default=0, editable=False)
    needs_context_count = models.PositiveIntegerField(_("needs context"), default=0, editable=False)
    last_verdict_at = models.DateTimeField(
        _("last verdict at"), null=True, blank=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True


# The names of the standard topics (migration 0002), stored in English and shown in the
# reader's language: marked here so that the catalogues hold them. A topic an editor adds or
# renames is shown as it is named.
STANDARD_TOPIC_NAMES = (
    gettext_noop("Investment"),
    gettext_noop("Industry"),
    gettext_noop("Compute"),
    gettext_noop("Chips"),
    gettext_noop("Models"),
    gettext_noop("Talent"),
    gettext_noop("Research"),
    gettext_noop("Policy"),
    gettext_noop("Data"),
    gettext_noop("Applications"),
    gettext_noop("Competition"),
)


class Topic(models.Model):
    """A subject a claim is about, such as investment or compute."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    # The name and slug folded for search (see core.search_keys), written by the services.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        # In the reader's language where the catalogues know the name (STANDARD_TOPIC_NAMES).
        return gettext(self.name) if self.name else self.name


# The years a claim's period may name: reporting on AI reaches back to the reforms of the
# 1970s and forward to plans for 2100, and a typo (99999, 20225) lies outside.
PERIOD_FIRST_YEAR = 1800
PERIOD_LAST_YEAR = 2100


# Units whose figures are never negative.
NEVER_NEGATIVE_UNITS = frozenset(("count", "nm"))


def claim_rules(fields) -> dict[str, str]:
    """Return what is wrong with a claim's figure, by field, from its fields by name.

    Claim.clean() states them for forms and services, and an import asks them of plain
    values (core.validation.values_check).
    """
    errors = {}
    value, unit = fields.get("value"), fields.get("unit", "")
    lower, upper = fields.get("value_lower"), fields.get("value_upper")
    start, end = fields.get("period_start"), fields.get("period_end")
    if value is not None and not unit:
        errors["unit"] = _("Give the unit of the figure.")
    if (lower is not None or upper is not None) and value is None:
        errors["value"] = _("Give the value that the bounds belong to.")
    if unit in NEVER_NEGATIVE_UNITS:
        # A count of people or a node's nanometres has no sign; a fall is told by its words
        # (減少20萬人), not a minus.
        for name, number in (("value", value), ("value_lower", lower), ("value_upper", upper)):
            if number is not None and number < 0:
                errors[name] = _("A count or a size cannot be below zero.")
    if value is not None and "value" not in errors:
        if lower is not None and lower > value:
            errors["value_lower"] = _("The lower bound is above the value.")
        if upper is not None and upper < value:
            errors["value_upper"] = _("The upper bound is below the value.")
    for name, year in (("period_start", start), ("period_end", end)):
        if year is not None and not PERIOD_FIRST_YEAR <= year <= PERIOD_LAST_YEAR:
            # 99999 for 2025 would stretch every chart of the claim's figures to its year.
            errors[name] = _("Give a year from %(first)s to %(last)s.") % {
                "first": PERIOD_FIRST_YEAR,
                "last": PERIOD_LAST_YEAR,
            }
    if start is not None and end is not None and start > end and "period_end" not in errors:
        errors["period_end"] = _("The period ends before it starts.")
    return errors


class ClaimQuerySet(models.QuerySet):
    def reviewed(self):
        """Return the claims that have at least one verdict."""
        return self.exclude(review_status=ReviewStatus.UNREVIEWED)

    def with_figure(self):
        return self.filter(value__isnull=False)

    def published(self):
        """Return the claims an Editor has published, which anyone may read without logging in."""
        return self.filter(published_at__isnull=False)

    def retracted(self):
        """Return the claims an Editor has retracted, newest retraction first."""
        return self.filter(retracted_at__isnull=False).order_by("-retracted_at", "-pk")


# The first and last year a claim's period reaches, as the list's year range reads them: a
# period with only a start runs on ("from 2018"), one with only an end reaches back ("until
# 2020"); a claim with no period reaches no year (NULL). Indexed (Claim.Meta.indexes), so a
# range reads the claims it meets, however few.
PERIOD_REACHES_FROM = Coalesce(
    "period_start",
    Case(When(period_end__isnull=False, then=Value(0))),
    output_field=models.IntegerField(),
)
PERIOD_REACHES_TO = Coalesce(
    "period_end",
    Case(When(period_start__isnull=False, then=Value(9999))),
    output_field=models.IntegerField(),
)


class Claim(Retractable, Reviewable):
    """A statement a source makes, anchored by its exact quote, with the figure it states."""

    class Unit(models.TextChoices):
        USD = "USD", _("US dollars")
        CNY = "CNY", _("renminbi")
        HKD = "HKD", _("Hong Kong dollars")
        TWD = "TWD", _("New Taiwan dollars")
        EUR = "EUR", _("euros")
        JPY = "JPY", _("yen")
        COUNT = "count", _("count")
        PERCENT = "percent", _("percent")
        PERCENTAGE_POINT = "percentage_point", _("percentage points")
        TIMES = "times", _("times (倍)")
        NM = "nm", _("nanometres")
        # Durations (30年, 兩個月) too: a year is a period, never a unit.
        OTHER = "other", _("other")

    class Hedge(models.TextChoices):
        EXACT = "", _("as stated")
        APPROXIMATELY = "approximately", _("approximately")
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")
        AT_MOST = "at_most", _("at most")
        LESS_THAN = "less_than", _("less than")
        RANGE = "range", _("range")

    public_id = models.UUIDField(
        _("public id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Identifies the claim in exports; it survives export and re-import."),
    )
    source = models.ForeignKey(
        Source, models.PROTECT, related_name="claims", verbose_name=_("source")
    )

    # The anchor, in the manner of the W3C TextQuoteSelector. The claim keeps its own copy
    # of the quote so that a correction of the source's text cannot change what it says.
    quote = models.TextField(_("quote"))
    quote_start = models.PositiveIntegerField(_("start offset"))
    quote_end = models.PositiveIntegerField(_("end offset"))
    quote_prefix = models.CharField(_("text before"), max_length=64, blank=True)
    quote_suffix = models.CharField(_("text after"), max_length=64, blank=True)
    is_anchored = models.BooleanField(
        _("anchored"),
        default=True,
        help_text=_("False when the quote can no longer be found in the source's text."),
    )

    summary = models.TextField(_("summary"), blank=True, help_text=_("In English."))

    figure_text = models.CharField(
        _("figure as written"), max_length=100, blank=True, help_text=_("e.g. 7,000亿")
    )
    value = figure_field(_("value"))
    value_lower = figure_field(_("lower bound"))
    value_upper = figure_field(_("upper bound"))
    hedge = models.CharField(_("hedge"), max_length=16, choices=Hedge, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit, blank=True)
    period_start = models.PositiveSmallIntegerField(_("period from"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("period to"), null=True, blank=True)
    scope = models.CharField(
        _("scope"),
        max_length=500,
        blank=True,
        help_text=_("What the figure measures, e.g. government VC funds' investment in AI."),
    )
    attributed_to = models.CharField(
        _("cited origin"),
        max_length=200,
        blank=True,
        help_text=_("Whom the article cites for the claim: CSET, NBER, State Council…"),
    )
    # Who said that the figure differs from its text as written on purpose, and when; cleared
    # when the figure changes without a new confirmation.
    figure_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="figures_confirmed",
        verbose_name=_("figure confirmed by"),
        editable=False,
    )
    figure_confirmed_at = models.DateTimeField(
        _("figure confirmed at"), null=True, blank=True, editable=False
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="claims", verbose_name=_("topics")
    )
    # A copy of the source's publication date, which the services keep, so that the list's
    # default order (newest article first) and its date sort are served by an index on this
    # table instead of sorting a join over every claim.
    source_published_on = models.DateField(
        _("publication date"), null=True, blank=True, editable=False
    )
    # The quote, then the summary, cited origin, figure and scope, then the source's title,
    # folded for search (see core.search_keys and claims.search). The title is copied in so
    # that a search of "quote, summary or source title" stays one indexed column; the
    # services write it, source_update included. Never shown or exported.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    # When something changed that a reviewer should look at again (the figure was edited,
    # the quote lost its place, the text around it was corrected, a contradicting
    # cross-reference was added), and what. A verdict given after it settles it.
    recheck_since = models.DateTimeField(
        _("changed for review since"), null=True, blank=True, editable=False, db_index=True
    )
    recheck_reason = models.CharField(
        _("what changed for review"), max_length=200, blank=True, editable=False
    )

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="claims_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True, db_index=True)
    # Written only by claim_publish and claim_unpublish, which check the role and that the
    # claim is reviewed, unchanged since its last verdict, and its source publishable; no
    # form or admin page lists them. They stay editable so that the change history can
    # compare them.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_published",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "search_key",
            "source_published_on",
            "review_status",
            "agree_count",
            "dispute_count",
            "needs_context_count",
            "last_verdict_at",
            "recheck_since",
            "recheck_reason",
        ],
        m2m_fields=[topics],
    )

    # Retracted claims leave every list, search, count and export (see core.retraction).
    objects = live_manager(ClaimQuerySet)
    all_objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["source", "quote_start", "pk"]
        permissions = [("publish_claim", _("Can publish a reviewed claim as a public fact-check"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote_end=F("quote_start") + Length("quote")),
                name="claim_anchor_spans_quote",
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="claim_quote_not_empty"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | ~Q(unit=""), name="claim_value_has_unit"
            ),
            models.CheckConstraint(
                condition=Q(value_lower__isnull=True)
                | Q(value_upper__isnull=True)
                | Q(value_lower__lte=F("value_upper")),
                name="claim_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="claim_period_ordered",
            ),
            retraction_has_reason("claim_retraction_has_reason"),
        ]
        # An index for each order the claim list offers, so that a page of it, however deep,
        # reads its rows in order instead of sorting every claim. A sort ends with the id in
        # its own direction. Orders with missing values last in descending order, the
        # default among them, are served by indexes that only PostgreSQL can declare
        # (migration 0008); SQLite's lists are small.
        indexes = [
            # A source's claims in the order an export writes them, with what the export
            # and a source's page choose them by: read from the index alone, an export's
            # group of 150 sources chose its claims in 0.6 ms where it took 4 through the
            # table, and the sources of reviewed claims were found by a hash join of the
            # index instead of a probe of the table for each source.
            models.Index(
                fields=["source", "quote_start", "public_id"],
                include=["id", "review_status", "retracted_at"],
                name="claim_source_order_idx",
            ),
            # The claims citing one origin, newest first, as a claim's suggestions take them:
            # with the origin's text alone indexed, PostgreSQL walked every claim from the
            # newest for the thirty of an origin cited a few hundred times (27,000 read, 16
            # ms). It serves the cited-origin filter and lookups as the plain index did.
            models.Index(fields=["attributed_to", "id"], name="claim_attribution_order_idx"),
            models.Index(fields=["source_published_on", "id"], name="claim_date_order_idx"),
            models.Index(fields=["value", "id"], name="claim_value_order_idx"),
            models.Index(fields=["review_status", "id"], name="claim_status_order_idx"),
            models.Index(fields=["updated_at", "id"], name="claim_changed_order_idx"),
            # Figures of one unit by value, the comparison the value sort is for: walking
            # every claim in value order for the few of a unit and status took a second.
            models.Index(fields=["unit", "value", "id"], name="claim_unit_value_order_idx"),
            # Counting the live claims of one status in one unit, from the index alone: read
            # through the table, the count of a page filtered by both took 0.15-0.2 s. Live
            # by the column it carries, not as a partial index: one whose condition is every
            # list's own (standing rows) is a candidate for every query on claims.
            models.Index(
                fields=["review_status", "unit"],
                include=["retracted_at"],
                name="claim_status_unit_idx",
            ),
            retracted_index("claim_retracted_idx"),
            # The few whose quote was not found in their source's text, which the list's
            # filter otherwise looked for through every claim in its order (0.8 s).
            models.Index(
                fields=["id"], name="claim_unanchored_idx", condition=Q(is_anchored=False)
            ),
            # The years a period reaches, for the list's year range: a range that few
            # periods meet (1900 to 1901) was looked for through every claim (1 s).
            models.Index(PERIOD_REACHES_FROM, name="claim_period_from_idx"),
            models.Index(PERIOD_REACHES_TO, name="claim_period_to_idx"),
            # The published few, newest first, as the public list shows them; counting them
            # read every claim (0.26 s at a million) on each visit to that list.
            models.Index(
                fields=["-published_at", "-id"],
                name="claim_published_idx",
                condition=Q(published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return Truncator(self.quote).chars(40)

    def get_absolute_url(self):
        return reverse("claims:claim_detail", args=[self.pk])

    def get_public_url(self):
        """Return the path of the claim's public fact-check page (a 404 until published)."""
        return reverse("claims:fact_check_detail", args=[self.public_id])

    @property
    def needs_recheck(self) -> bool:
        """Whether something a reviewer judged has changed since the last verdict."""
        return bool(
            self.last_verdict_at
            and self.recheck_since
            and self.recheck_since > self.last_verdict_at
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_figure(self) -> bool:
        return self.value is not None

    @property
    def figure(self) -> Figure:
        """Return the figure the claim states, its figure fields as one value."""
        return Figure.from_claim(self)

    def clean(self):
        errors = claim_rules(vars(self))
        if errors:
            raise ValidationError(errors)
        self.clean_retraction()


class CrossReferenceQuerySet(models.QuerySet):
    def retracted(self):
        """Return the cross-references an Editor has retracted, newest retraction first."""
        return self.filter(retracted_at__isnull=False).order_by("-retracted_at", "-pk")


class CrossReference(Retractable, Reviewable):
    """A statement that two claims bear on each other, and how."""

    class Relation(models.TextChoices):
        SUPPORTS = "supports", _("supports")
        CONTRADICTS = "contradicts", _("contradicts")
        SAME_FIGURE = "same_figure", _("same figure")
        DIFFERENT_SCOPE = "different_scope", _("different scope")
        RELATED = "related", _("related")

    from_claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="outgoing_references", verbose_name=_("claim")
    )
    to_claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="incoming_references", verbose_name=_("other claim")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation)
    note = models.TextField(
        _("note"),
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        help_text=_("Why the two claims bear on each other."),
    )
    # The note folded for search; the claims' own keys cover their quotes.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="crossrefs_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "search_key",
            "review_status",
            "agree_count",
            "dispute_count",
            "needs_context_count",
            "last_verdict_at",
        ]
    )

    # A cross-reference leaves the pages with its own retraction or either claim's.
    objects = live_manager(
        CrossReferenceQuerySet,
        points_to_standing("from_claim", Claim),
        points_to_standing("to_claim", Claim),
    )
    all_objects = CrossReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("cross-reference")
        verbose_name_plural = _("cross-references")
        ordering = ["-created_at", "-pk"]
        # The board's order (see claims.selectors.crossref_list_queryset), so that its pages
        # read in order at any depth.
        indexes = [
            models.Index(
                fields=["relation", "-created_at", "-id"], name="crossref_board_order_idx"
            ),
            # The API's order, newest first, across relations.
            models.Index(fields=["-created_at", "-id"], name="crossref_newest_first_idx"),
            # The claim list's relation filter: the live pairs of a relation, both ends,
            # read from the index alone (each end's set took 17 ms read through the table).
            # Live by the column it carries, as claim_status_unit_idx.
            models.Index(
                fields=["relation", "from_claim", "to_claim"],
                include=["retracted_at"],
                name="crossref_relation_ends_idx",
            ),
            retracted_index("crossref_retracted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="crossref_not_self",
                violation_error_message=_("A claim cannot refer to itself."),
            ),
            # The pair is unordered: A supports B and B supports A are the same statement.
            models.UniqueConstraint(
                Least("from_claim", "to_claim"),
                Greatest("from_claim", "to_claim"),
                "relation",
                name="crossref_pair_relation_unique",
                violation_error_message=_(
                    "These two claims already carry this relation (in one direction or the other)."
                ),
            ),
            retraction_has_reason("crossref_retraction_has_reason"),
        ]

    def __str__(self):
        return f"{self.from_claim} — {self.get_relation_display()} — {self.to_claim}"

    # How the relation reads from either claim's page.
    OUTGOING_PHRASES = {
        "supports": _("Supports"),
        "contradicts": _("Contradicts"),
        "same_figure": _("Same figure as"),
        "different_scope": _("Different scope from"),
        "related": _("Related to"),
    }
    INCOMING_PHRASES = {
        "supports": _("Supported by"),
        "contradicts": _("Contradicted by"),
        "same_figure": _("Same figure as"),
        "different_scope": _("Different scope from"),
        "related": _("Related to"),
    }

    def get_absolute_url(self):
        return reverse("claims:crossref_detail", args=[self.pk])

    def clean(self):
        self.clean_retraction()

    @property
    def outgoing_phrase(self):
        return self.OUTGOING_PHRASES[self.relation]

    @property
    def incoming_phrase(self):
        return self.INCOMING_PHRASES[self.relation]


class CandidateDismissal(models.Model):
    """An editor's word that a sentence of a source proposed as a claim is not one.

    Kept by the sentence's text, not its place, so that a correction of the article leaves
    the dismissal of an unchanged sentence standing wherever the sentence moves.
    """

    source = models.ForeignKey(
        Source, models.CASCADE, related_name="candidate_dismissals", verbose_name=_("source")
    )
    sentence = models.TextField(_("sentence"))
    sentence_hash = models.CharField(_("sentence hash"), max_length=64, editable=False)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="candidates_dismissed",
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed candidate")
        verbose_name_plural = _("dismissed candidates")
        ordering = ["source", "-dismissed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "sentence_hash"],
                name="candidate_dismissal_once_per_sentence",
                violation_error_message=_("This sentence is already dismissed."),
            ),
        ]

    def __str__(self):
        return Truncator(self.sentence).chars(40)


# Stated once for the database's constraint and for clean(), which forms, services and
# imports ask.
DISPUTE_NEEDS_NOTE = _("Say why you dispute it.")


def verdict_rules(fields) -> dict[str, str]:
    """Return what is wrong with a verdict, by field, from its fields by name (as claim_rules)."""
    if fields.get("verdict") == Verdict.Kind.DISPUTE and not fields.get("note", "").strip():
        return {"note": DISPUTE_NEEDS_NOTE}
    return {}


class VerdictQuerySet(models.QuerySet):
    def on_standing_records(self):
        """Return the verdicts whose claim or cross-reference is not retracted.

        Checked against the retracted few (as core.retraction.points_to_standing checks), not
        by joins to each verdict's claim, cross-reference and its claims: a reviewer's page
        counted their 22,000 verdicts in 0.3 s through the joins, at a million claims.
        """
        retracted_claims = retracted_keys(Claim)
        return self.filter(
            points_to_standing("claim", Claim),
            points_to_standing("crossref", CrossReference),
            # A cross-reference falls with either of its claims.
            ~Q(crossref__in=CrossReference.all_objects.filter(from_claim__in=retracted_claims)),
            ~Q(crossref__in=CrossReference.all_objects.filter(to_claim__in=retracted_claims)),
        )


class Verdict(models.Model):
    """One reviewer's verdict on a claim or a cross-reference; never edited, only added to."""

    class Kind(models.TextChoices):
        AGREE = "agree", _("agree")
        DISPUTE = "dispute", _("dispute")
        NEEDS_CONTEXT = "needs_context", _("needs context")

    claim = models.ForeignKey(
        Claim,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="verdicts",
        verbose_name=_("claim"),
    )
    crossref = models.ForeignKey(
        CrossReference,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="verdicts",
        verbose_name=_("cross-reference"),
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Kind)
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
    )
    # The note folded for search; the claim's own key covers its quote.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="verdicts",
        verbose_name=_("reviewer"),
    )
    # Not auto_now_add: an import keeps the time the verdict was first given.
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    # Verdicts on retracted records stay, with their targets, for the day they are restored;
    # lists read them through on_standing_records().
    objects = VerdictQuerySet.as_manager()

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(claim__isnull=False) & Q(crossref__isnull=True))
                | (Q(claim__isnull=True) & Q(crossref__isnull=False)),
                name="annotation_has_one_target",
                violation_error_message=_(
                    "A verdict is on a claim or on a cross-reference, not both or neither."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(verdict="dispute") | ~Q(note=""),
                name="annotation_dispute_has_note",
                violation_error_message=DISPUTE_NEEDS_NOTE,
            ),
        ]
        indexes = [
            # The verdict history's order, newest first.
            models.Index(fields=["-created_at", "-id"], name="verdict_newest_first_idx"),
            models.Index(fields=["claim", "reviewer", "created_at"], name="annotation_claim_idx"),
            models.Index(
                fields=["crossref", "reviewer", "created_at"], name="annotation_crossref_idx"
            ),
            # A reviewer's page counts their verdicts by kind, on standing records: from this
            # index alone on PostgreSQL, which keeps the columns that check in it too.
            models.Index(
                fields=["reviewer", "verdict"],
                include=["claim", "crossref", "id"],
                name="verdict_reviewer_kind_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} — {self.get_verdict_display()} — {self.target}"

    @property
    def target(self):
        return self.claim if self.claim_id else self.crossref

    def clean(self):
        errors = verdict_rules(vars(self))
        if errors:
            raise ValidationError(errors)


class Assignment(models.Model):
    """An editor's request that a reviewer give a verdict on a claim."""

    claim = models.ForeignKey(
        Claim, models.CASCADE, related_name="assignments", verbose_name=_("claim")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="assignments_made",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    # Set when the reviewer gives a verdict on the claim; the assignment then leaves the queue.
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "reviewer"],
                condition=Q(done_at__isnull=True),
                name="assignment_open_once_per_reviewer",
                violation_error_message=_("This claim is already assigned to this reviewer."),
            )
        ]
        indexes = [models.Index(fields=["reviewer", "done_at"], name="assignment_queue_idx")]

    def __str__(self):
        return f"{self.claim} → {self.reviewer}"


class ClaimExportText(models.Model):
    """A reviewed claim's record as the exports write it, kept between exports.

    PostgreSQL only (claims.services.export_texts): `body` is the record's text from its
    quote to its verdicts, `spaced_body` the same as the JSON document spaces it, `entries`
    its cross-references, one a line: the other claim's key, 1 at the origin (else 0), the
    number of verdicts and the entry's text, compact and spaced, tab-separated (JSON text
    holds neither tabs nor new lines); every live cross-reference is there, and an export
    leaves out those to claims it does not carry. Both bodies are written together, and
    `spaced_body` is read only where `body` is fresh. Triggers (migration claims 0030)
    empty `body`, and raise `stamp`, whenever a row these are written from changes; an export
    takes the texts that are not empty and writes the rest afresh. Not a foreign key: the
    claims table's triggers keep these rows, and a deleted claim's row goes with it.
    """

    claim_id = models.BigIntegerField(primary_key=True)
    stamp = models.BigIntegerField(default=0)
    # NULL, not "": a stale text, which the export must not take.
    body = models.TextField(null=True)  # noqa: DJ001
    spaced_body = models.TextField(null=True)  # noqa: DJ001
    annotations = models.IntegerField(null=True)
    entries = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = _("claim's export text")
        verbose_name_plural = _("claims' export texts")
        indexes = [
            # The claims whose texts are kept and fresh, by id alone: what a refresh asks
            # of every claim it is given (export_texts_refresh, after an import or an
            # export that wrote texts). Without it the question read the whole table,
            # texts and all: 700 MB at a million claims.
            models.Index(
                fields=["claim_id"],
                condition=Q(body__isnull=False),
                name="claim_export_text_fresh_idx",
            ),
        ]

    def __str__(self):
        return f"export text of claim {self.claim_id}"
