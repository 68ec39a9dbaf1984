import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def token_digest(secret: str) -> str:
    """Return the stored form of a token's secret.

    Secrets are long random strings, not passwords a person chose, so one SHA-256 is as hard
    to reverse as a slow password hash and lets a request find its token with one indexed
    look-up.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Return the tokens that have not been revoked."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key that lets another tool use the API as its owner, to read or to read and review.

    Only a digest of the secret is kept: the secret is shown once, when the token is made.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read")
        REVIEW = "review", _("read and record verdicts")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which tool or script uses it, e.g. newsroom-sync.")
    )
    scope = models.CharField(_("scope"), max_length=8, choices=Scope, default=Scope.READ)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="apitoken_name_unique_while_active",
                violation_error_message=_("You already have a token of this name."),
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["read", "review"]), name="apitoken_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="apitoken_revocation_names_who",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def may_review(self) -> bool:
        return self.scope == self.Scope.REVIEW
