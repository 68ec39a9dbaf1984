from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reading(models.TextChoices):
    """How article and claim text is shown: as published, or in one script and region.

    The values are those of core.chinese.READING_CHOICES, which converts the text.
    """

    PUBLISHED = "published", _("As published")
    TRADITIONAL_TAIWAN = "hant_tw", _("Traditional (Taiwan)")
    TRADITIONAL_HONG_KONG = "hant_hk", _("Traditional (Hong Kong)")
    SIMPLIFIED = "hans", _("Simplified")


class UserPreferences(models.Model):
    """One user's choices of how Hecha shows things to them, made the first time they choose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="preferences",
        verbose_name=_("user"),
    )
    reading = models.CharField(
        _("reading script"),
        max_length=16,
        choices=Reading,
        default=Reading.PUBLISHED,
        help_text=_("How article and claim text is shown; what is stored never changes."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reading__in=["published", "hant_tw", "hant_hk", "hans"]),
                name="preferences_reading_valid",
            ),
        ]

    def __str__(self):
        return str(self.user)
