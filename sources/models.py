from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.retraction import Retractable, live_manager, retracted_index, retraction_has_reason


def lacks_url_or_date(prefix: str = "") -> Q:
    """Return the condition on sources (through `prefix`, e.g. "source__") that lack the
    article's URL or publication date: a ClaimReview of their claims cannot be checked by
    its readers, so that export leaves them out and the export page lists them."""
    return Q(**{f"{prefix}url": ""}) | Q(**{f"{prefix}published_on__isnull": True})


class SourceQuerySet(models.QuerySet):
    def retracted(self):
        """Return the sources an Editor has retracted, newest retraction first."""
        return self.filter(retracted_at__isnull=False).order_by("-retracted_at", "-pk")


class Source(Retractable, models.Model):
    """An article whose claims Hecha tracks, with its full readable text."""

    class Script(models.TextChoices):
        TRADITIONAL = "hant", _("Traditional")
        SIMPLIFIED = "hans", _("Simplified")
        MIXED = "mixed", _("Mixed")

    class Region(models.TextChoices):
        HONG_KONG = "hk", _("Hong Kong")
        TAIWAN = "tw", _("Taiwan")
        MAINLAND = "cn", _("Mainland China")
        OTHER = "other", _("Other")

    key = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_("A stable identifier, e.g. the article's file name; used by imports."),
    )
    title = models.CharField(_("title"), max_length=500)
    outlet = models.CharField(_("outlet"), max_length=200)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    script = models.CharField(_("script"), max_length=8, choices=Script)
    region = models.CharField(_("region"), max_length=8, choices=Region)
    text = models.TextField(_("text"), help_text=_("The full readable text of the article."))
    # The title, outlet, author and key folded for search (see core.search_keys); written
    # by the services, never shown or exported.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)
    # Bumped by every update, so that an edit based on an old copy can be refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="sources_created",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "search_key"])

    # Retracted sources leave every list, search and count (see core.retraction).
    objects = live_manager(SourceQuerySet)
    all_objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [
            # Blank means "not known"; a known URL identifies one article.
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique_when_given",
                violation_error_message=_("Another source already has this URL."),
            ),
            models.CheckConstraint(
                condition=Q(script__in=["hant", "hans", "mixed"]), name="source_script_valid"
            ),
            models.CheckConstraint(
                condition=Q(region__in=["hk", "tw", "cn", "other"]), name="source_region_valid"
            ),
            retraction_has_reason("source_retraction_has_reason"),
        ]
        indexes = [
            models.Index(fields=["outlet"], name="source_outlet_idx"),
            # The claim list finds the sources of a region and script first
            # (claims.filters.ClaimFilterSet.among_sources): a rare pair read every source.
            models.Index(fields=["region", "script"], name="source_region_script_idx"),
            retracted_index("source_retracted_idx"),
            # The export page lists the reviewed claims of these sources by title and counts
            # them: read through all sources, a tenth of them, the page took 90 ms at a
            # million claims.
            models.Index(
                fields=["title", "id"],
                condition=lacks_url_or_date(),
                name="source_lacking_url_or_date_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sources:source_detail", args=[self.pk])

    def clean(self):
        self.clean_retraction()

    @property
    def publication_gaps(self) -> list[str]:
        """Return what a published fact-check needs of its source that this one lacks."""
        gaps = []
        if self.published_on is None:
            gaps.append(str(_("publication date")))
        if not self.url:
            gaps.append(str(_("URL")))
        return gaps

    @property
    def lang(self) -> str:
        """Return the BCP 47 language tag of the article's script, for the lang attribute."""
        return {"hant": "zh-Hant", "hans": "zh-Hans"}.get(self.script, "zh")
