"""Every change to a job: starting, cancelling, retrying, and noticing that a worker died."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.models import Job
from jobs.selectors import can_manage

WORKER_STOPPED = gettext_lazy(
    "Worker stopped: the worker running this job was killed or its machine went down, and "
    "nothing it was doing was kept. Retry the job."
)

FIX_THE_FILE = gettext_lazy(
    "The file has errors, so importing it again would fail the same way. Correct the file "
    "and upload it again."
)


def _enqueue(job: Job) -> Job:
    from jobs.tasks import run_job

    # A queued task names the job and its attempt; the worker reads everything else from
    # the job's row.
    result = run_job.enqueue(job.pk, job.attempt)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_start(
    *,
    kind: str,
    user,
    parameters: dict | None = None,
    total: int | None = None,
    language: str = "",
) -> Job:
    """Queue a job of `kind` for `user` and return it; a worker runs it.

    `language` is the page language of whoever started it, the language its report and
    errors are worded in; empty means the site's default.
    """
    job = Job(
        kind=kind,
        created_by=user,
        parameters=parameters or {},
        total=total,
        language=language or "",
    )
    job.full_clean()
    job.save()
    return _enqueue(job)


def job_cancel(*, job: Job, user) -> Job:
    """Cancel a job: a queued one at once, a running one when its worker next reports."""
    if not can_manage(user, job):
        raise PermissionDenied
    if not job.can_cancel:
        raise ValidationError(_("This job has ended; there is nothing to cancel."))
    now = timezone.now()
    queued = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED)
    if not queued.update(status=Job.Status.CANCELLED, finished_at=now, cancel_requested=True):
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job, user) -> Job:
    """Run a failed or cancelled job again, from the start, as a new attempt."""
    if not can_manage(user, job):
        raise PermissionDenied
    # Judged on the row as it is now: the worker may have changed it since it was read.
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.failed_on_its_file:
            raise ValidationError(FIX_THE_FILE)
        if not job.can_retry:
            raise ValidationError(_("Only a failed or cancelled job can be retried."))
        job_discard_result(job=job)
        job.status = Job.Status.QUEUED
        job.attempt += 1
        job.done = 0
        job.started_at = job.finished_at = job.heartbeat_at = None
        job.error = ""
        job.errors = []
        job.report = []
        job.cancel_requested = False
        if job.kind != Job.Kind.IMPORT:
            job.total = None
        job.save()
    return _enqueue(job)


def job_discard_result(*, job: Job) -> None:
    """Delete a job's result file from storage, if it has one."""
    if job.result_file:
        default_storage.delete(job.result_file.name)
        job.result_file = ""
        job.result_name = ""


def jobs_fail_stale(*, now=None) -> int:
    """Mark failed every running job whose worker has not been heard from for too long.

    A worker that is killed cannot say so; its job's heartbeat simply stops. Return how
    many jobs were marked.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.HECHA_JOB_STALE_SECONDS)
    try:
        return Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale).update(
            status=Job.Status.FAILED, finished_at=now, error=str(WORKER_STOPPED)
        )
    except OperationalError:
        # SQLite is locked while an import saves; the next look will do.
        return 0
