"""Which jobs a user sees and may act on."""

from __future__ import annotations

from django.db.models import QuerySet

from jobs.models import Job


def sees_every_job(user) -> bool:
    """Return whether `user` sees and manages everyone's jobs: editors and administrators."""
    return user.is_staff or user.is_superuser or user.has_perm("claims.change_claim")


def jobs_visible_to(user) -> QuerySet[Job]:
    """Return the jobs `user` may see: their own, or every job for editors and admins."""
    jobs = Job.objects.select_related("created_by")
    return jobs if sees_every_job(user) else jobs.filter(created_by=user)


def can_manage(user, job: Job) -> bool:
    """Return whether `user` may cancel or retry `job`."""
    return job.created_by_id == user.pk or sees_every_job(user)
