"""Writes of assignments: an editor asks reviewers to judge claims."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.models import Assignment, Claim


@transaction.atomic
def claims_assign(
    *, claims: Iterable[Claim], reviewer: AbstractBaseUser, user: AbstractBaseUser
) -> int:
    """Ask `reviewer` to judge `claims`, as `user`; return how many were newly assigned.

    A claim already waiting for this reviewer keeps its first assignment, so assigning a
    selection again adds only what is new. The reviewer must be able to give verdicts.
    """
    if not reviewer.is_active or not reviewer.has_perm("claims.add_verdict"):
        raise ValidationError(
            _("%(reviewer)s cannot give verdicts, so claims cannot be assigned to them.")
            % {"reviewer": reviewer.get_username()},
            code="not_a_reviewer",
        )
    claim_ids = {claim.pk for claim in claims}
    waiting = set(
        Assignment.objects.filter(
            reviewer=reviewer, claim_id__in=claim_ids, done_at__isnull=True
        ).values_list("claim_id", flat=True)
    )
    created = Assignment.objects.bulk_create(
        Assignment(claim_id=claim_id, reviewer=reviewer, assigned_by=user)
        for claim_id in sorted(claim_ids - waiting)
    )
    return len(created)
