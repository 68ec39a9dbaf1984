"""Cited origins, the claims that cite them, suggestions an editor has set aside, and the
shortlists of suggestions kept for the queue."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.models import Claim


class Origin(models.Model):
    """A body or person that articles cite for a figure, however each article names it."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("research body")
        GOVERNMENT = "government", _("government")
        MEDIA = "media", _("media")
        COMPANY = "company", _("company")
        PERSON = "person", _("person")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, blank=True)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names articles use, one a line, in any script: 安全與新興技術中心"),
    )
    # The name and aliases folded by core.chinese.search_key, one a line, written by
    # origin_save, so a Traditional alias also recognises its Simplified rendition.
    alias_keys = models.TextField(_("alias keys"), blank=True, default="", editable=False)

    history = HistoricalRecords(excluded_fields=["alias_keys"])

    class Meta:
        verbose_name = _("cited origin")
        verbose_name_plural = _("cited origins")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("compare:origin_lineage", args=[self.pk])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class ClaimOrigin(models.Model):
    """The origin a claim's cited-origin text was recognised as."""

    claim = models.OneToOneField(
        Claim, models.CASCADE, primary_key=True, related_name="origin_link", verbose_name=_("claim")
    )
    origin = models.ForeignKey(
        Origin, models.CASCADE, related_name="claim_links", verbose_name=_("origin")
    )
    # The cited-origin text the link was made from; a claim whose text has changed since
    # is matched again by claim_origins_refresh.
    attributed_to = models.CharField(_("cited origin as written"), max_length=200)

    class Meta:
        verbose_name = _("claim's origin")
        verbose_name_plural = _("claims' origins")
        indexes = [
            # An origin's newest claims (suggestions, lineage) without sorting all of them:
            # CSET alone may be cited by a tenth of a million claims.
            models.Index(fields=["origin", "-claim"], name="compare_origin_newest_claims"),
        ]

    def __str__(self):
        return f"{self.claim_id} → {self.origin}"


class SuggestionDismissal(models.Model):
    """An editor's decision that two claims need no cross-reference, and why."""

    # The pair is unordered; it is stored lower id first so one unique index covers it.
    claim_low = models.ForeignKey(Claim, models.CASCADE, related_name="+", verbose_name=_("claim"))
    claim_high = models.ForeignKey(
        Claim, models.CASCADE, related_name="+", verbose_name=_("other claim")
    )
    reason = models.TextField(_("why"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="suggestion_dismissals",
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        ordering = ["-dismissed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_low__lt=F("claim_high")), name="dismissal_pair_ordered"
            ),
            models.UniqueConstraint(
                "claim_low",
                "claim_high",
                name="dismissal_pair_unique",
                violation_error_message=_("This suggestion has already been dismissed."),
            ),
        ]

    def __str__(self):
        return f"{self.claim_low_id} ≠ {self.claim_high_id}: {self.reason[:40]}"


class SuggestionShortlist(models.Model):
    """The claims found most likely to bear on a claim, best first, kept so that the
    suggestion queue need not look for them among a million on every visit.

    Only which claims are kept: they are scored again, and their reasons put into the
    reader's words, whenever they are shown (compare.services.crossref_suggestions_kept).
    """

    claim = models.OneToOneField(
        Claim, models.CASCADE, primary_key=True, related_name="+", verbose_name=_("claim")
    )
    # Ids rather than links: a kept claim deleted since is passed over where it is read.
    claim_ids = models.JSONField(_("suggested claims"), default=list)
    made_at = models.DateTimeField(_("made at"))
    # The code that scored them (core.fragments.code_version): new rules make new lists.
    made_by_code = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("suggestion shortlist")
        verbose_name_plural = _("suggestion shortlists")

    def __str__(self):
        return f"{self.claim_id}: {self.claim_ids}"
