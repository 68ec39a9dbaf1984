"""A piece of work too long for one request, run by a worker, with its progress and outcome."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """An export, import or run over every claim that a worker does in the background."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")
        PARSE_FIGURES = "parse_figures", _("figure check")
        SUGGESTIONS = "suggestions", _("cross-reference suggestions")
        REBUILD_SEARCH_KEYS = "rebuild_search_keys", _("search key rebuild")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # What the work needs, as JSON: the claim list's query string and format of an export,
    # the stored file of an import.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.BigIntegerField(_("records in all"), null=True, blank=True)
    done = models.BigIntegerField(_("records done"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the worker every few seconds while it runs: a running job whose heartbeat
    # stops has lost its worker.
    heartbeat_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # An import's refusals, each naming the record, the field and the reason.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # What a finished job did, one line each (an import's report).
    report = models.JSONField(_("report"), default=list, blank=True)
    result_file = models.FileField(_("result"), max_length=500, blank=True)
    result_name = models.CharField(_("result file name"), max_length=200, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    # Each retry is a new attempt: a worker still busy with an earlier one, thought dead,
    # cannot overwrite the progress or outcome of the new one.
    attempt = models.PositiveIntegerField(_("attempt"), default=1)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True)
    # The page language of whoever started the job: its report and errors are worded in it.
    # Empty means the site's default language.
    language = models.CharField(_("language"), max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="job_owner_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(done__gte=0), name="job_done_not_negative"),
        ]

    def __str__(self):
        # A title: the kind's label is worded to sit inside a sentence ("writing the export").
        return f"{capfirst(self.get_kind_display())} #{self.pk}"

    def get_absolute_url(self):
        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED)

    @property
    def failed_on_its_file(self) -> bool:
        """Return whether the job failed because its file has errors (an import's refusals):
        run again on the same file, it would fail the same way."""
        return self.status == self.Status.FAILED and bool(self.errors)

    @property
    def can_retry(self) -> bool:
        # A job that failed for a passing reason (a worker killed, a database gone away) may
        # succeed the next time; one refused for its file's errors cannot.
        return (
            self.status in (self.Status.FAILED, self.Status.CANCELLED)
            and not self.failed_on_its_file
        )

    @property
    def can_cancel(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def shows_progress(self) -> bool:
        """Return whether the job's progress is worth showing: it runs, or it did something
        (a job that failed or was cancelled before its first record would read "0 done")."""
        return self.status == self.Status.RUNNING or self.done > 0

    @property
    def elapsed(self) -> timedelta | None:
        if self.started_at is None:
            return None
        end = self.finished_at or self.heartbeat_at or timezone.now()
        return max(end - self.started_at, timedelta(0))

    @property
    def took(self) -> timedelta | None:
        """Return the time it has run, to the second, as a page shows it (0:00:12, not
        0:00:12.114465)."""
        elapsed = self.elapsed
        return None if elapsed is None else timedelta(seconds=round(elapsed.total_seconds()))

    @property
    def rate(self) -> float | None:
        """Return records done per second so far, or None before there is a measure."""
        elapsed = self.elapsed
        if not elapsed or not self.done:
            return None
        return self.done / elapsed.total_seconds()

    @property
    def rate_shown(self) -> float | None:
        """Return the rate as a page shows it: whole records a second, or tenths below ten
        (an import of large records may save a few a second)."""
        rate = self.rate
        if rate is None:
            return None
        return float(round(rate)) if rate >= 10 else round(rate, 1)

    @property
    def remaining(self) -> timedelta | None:
        """Return the time left at the rate so far, or None when it cannot be told."""
        rate = self.rate
        if self.status != self.Status.RUNNING or not rate or self.total is None:
            return None
        return timedelta(seconds=round(max(self.total - self.done, 0) / rate))

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))
