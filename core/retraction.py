"""Retraction: how a record made in error leaves Hecha's pages without being deleted.

A retracted row stays in the database and in its history, with who retracted it, when and
why, and can be restored. Each retractable model's default manager (`objects`) leaves
retracted rows out, so every list, search, count and export that reads through it forgets
them; `all_objects` reads them too, for the pages that show or restore them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A reason is a sentence or a paragraph, like a verdict's note.
REASON_MAX_LENGTH = 5_000
REASON_REQUIRED = _("Say why it is retracted.")


class Retractable(models.Model):
    """Who retracted a record, when and why; all empty while it stands."""

    # Written only by the retract and restore services. They stay editable, as
    # published_at does, so that the change history can compare them.
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_retracted",
        verbose_name=_("retracted by"),
    )
    # The database's own default too, so that rows written by older code keep working.
    retraction_reason = models.TextField(
        _("why retracted"), blank=True, default="", db_default="", max_length=REASON_MAX_LENGTH
    )

    class Meta:
        abstract = True

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None

    def clean_retraction(self) -> None:
        if self.retracted_at is not None and not self.retraction_reason.strip():
            raise ValidationError({"retraction_reason": REASON_REQUIRED})


def retraction_has_reason(name: str) -> models.CheckConstraint:
    """Return the constraint that a retracted row says why, named `name`."""
    return models.CheckConstraint(
        condition=Q(retracted_at__isnull=True) | ~Q(retraction_reason=""),
        name=name,
        violation_error_message=REASON_REQUIRED,
    )


def retracted_index(name: str) -> models.Index:
    """Return an index of the retracted rows alone, newest first, for the Retracted page.

    Partial, so that it stays as small as the few rows it holds and is never a way to read
    the standing ones.
    """
    return models.Index(
        fields=["-retracted_at"], name=name, condition=Q(retracted_at__isnull=False)
    )


def points_to_standing(field: str, model: type[models.Model]) -> Q:
    """Return the condition that the `model` row that foreign key `field` names stands.

    Written as NOT IN the retracted rows, not through a join to each row: the retracted
    are few and have their own partial index (retracted_index), so PostgreSQL reads them
    once into a hash and checks each row against it as it reads it. A list in its own order
    then reads no other table: the admin's cross-references at page 100 (2,500 rows in)
    looked up both claims of every row passed over, 5,000 lookups, where the hash needs
    none.
    """
    return ~Q(**{f"{field}__in": retracted_keys(model)})


def retracted_keys(model: type[models.Model]) -> models.QuerySet:
    """Return, as a subquery, the keys of `model`'s retracted rows (read from retracted_index)."""
    return model.all_objects.filter(retracted_at__isnull=False).values("pk")


def live_manager(queryset_class: type[models.QuerySet], *live: Q | None):
    """Return a manager of `queryset_class` that leaves retracted rows out.

    `live` adds conditions a row needs besides its own retraction (a cross-reference is
    gone with either of its claims).
    """
    condition = Q(retracted_at__isnull=True)
    for extra in live:
        condition &= extra

    class LiveManager(models.Manager.from_queryset(queryset_class)):
        # What a row needs to stand, for the admin's filter of standing rows as well.
        standing = condition

        def get_queryset(self):
            return super().get_queryset().filter(self.standing)

    return LiveManager()


RETRACTION_FIELDS = ("retracted_at", "retracted_by", "retraction_reason")


def check_retraction(obj: Retractable) -> None:
    """Check the retraction fields of `obj` as full_clean() would, and only them.

    A retraction should not fail because an older row breaks a rule added since.
    """
    exclude = [f.name for f in obj._meta.concrete_fields if f.name not in RETRACTION_FIELDS]
    obj.clean_fields(exclude=exclude)
    obj.clean_retraction()
