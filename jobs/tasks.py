"""The one task every job runs as: claim the job, do its work, record how it ended."""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from claims.imports import ImportFailure
from core.files import is_disk_full
from jobs import work
from jobs.models import Job
from jobs.progress import JobCancelled, Progress
from jobs.services import jobs_fail_stale

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: int, attempt: int) -> str:
    """Run attempt `attempt` of job `job_id` and return the status it ended with."""
    # Each worker, as it takes work, notices the jobs of workers that died.
    jobs_fail_stale()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, attempt=attempt, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        # Cancelled before it started, or replaced by a retry.
        return "skipped"
    job = Job.objects.select_related("created_by").get(pk=job_id)
    # The report and errors are worded in the language of whoever started the job.
    with translation.override(job.language or settings.LANGUAGE_CODE):
        outcome = _run(job)
    Job.objects.filter(pk=job_id, attempt=attempt).update(
        finished_at=timezone.now(), heartbeat_at=timezone.now(), **outcome
    )
    return outcome["status"]


def _run(job: Job) -> dict:
    """Do the work of `job` and return the fields that record how it ended."""
    job_id = job.pk
    outcome = {"status": Job.Status.SUCCEEDED}
    try:
        with Progress(job) as progress:
            result = work.RUNNERS[job.kind](job, progress)
        outcome.update(report=result.report)
        if result.file is not None:
            outcome.update(result_file=result.file, result_name=result.name)
    except JobCancelled:
        outcome = {"status": Job.Status.CANCELLED}
    except ImportFailure as failure:
        errors = failure.errors + (
            [_("… and %(count)d more") % {"count": failure.more}] if failure.more else []
        )
        # Refused for its errors, the file would be refused again: it is not kept for a retry.
        with contextlib.suppress(KeyError, OSError):
            default_storage.delete(job.parameters["file"])
        outcome = {
            "status": Job.Status.FAILED,
            "error": _("Nothing was imported: the file has errors."),
            "errors": errors,
        }
    except OSError as error:
        logger.exception("Job %s could not read or write a file", job_id)
        outcome = {"status": Job.Status.FAILED, "error": disk_error(job, error)}
    except Exception as error:
        logger.exception("Job %s failed", job_id)
        outcome = {
            "status": Job.Status.FAILED,
            "error": _("The job failed: %(error)s") % {"error": error.__class__.__name__},
        }
    return outcome


def disk_error(job: Job, error: OSError) -> str:
    """Return what to tell the user when reading or writing a job's file failed."""
    if is_disk_full(error):
        return _(
            "Disk full while writing the %(kind)s; no file was kept. Free some space and retry."
        ) % {"kind": job.get_kind_display()}
    return _(
        "A file of the %(kind)s could not be read or written (%(reason)s); no file was kept."
    ) % {
        "kind": job.get_kind_display(),
        "reason": error.strerror or error.__class__.__name__,
    }
