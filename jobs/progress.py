"""How a running job tells the world how far it got, and hears that it was cancelled."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from jobs.models import Job

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """The user cancelled the job; whatever it was doing is to be undone."""


class Progress:
    """The records a job has done of its total, written to its row as it runs.

    The work calls `advance()` as it goes. On PostgreSQL a thread with its own connection
    writes the count and a heartbeat every HECHA_JOB_HEARTBEAT_SECONDS and reads whether the
    job was cancelled, so an import, which holds its work in one transaction until the end,
    is seen to progress meanwhile. SQLite takes one writer at a time, and a second
    connection writing would break the import's transaction: there `advance()` writes
    itself, at most that often, and what it writes inside an import's transaction is seen
    when the transaction ends. With the setting at 0 (the tests, which run a job inside
    their own transaction) each `advance()` writes at once.

    Only the job's own thread writes so: another thread of its work (a first load's checks,
    claims.imports.first_load) has a connection of its own, which would wait for the job's
    transaction to let go of the row. It records its count and hears a cancel the job's
    thread or the heartbeat read.
    """

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.attempt = job.attempt
        self.done = 0
        self.total = job.total
        self.cancelled = False
        self.interval = settings.HECHA_JOB_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = None
        self._written = 0.0
        self._owner = threading.current_thread()

    def __enter__(self) -> Progress:
        if self.interval > 0 and connection.vendor != "sqlite":
            self._thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
        self.write()

    def advance(self, done: int, total: int | None = None) -> None:
        """Record that `done` records of `total` are done; raise JobCancelled if cancelled."""
        self.done = done
        if total is not None:
            self.total = total
        if (
            self._thread is None
            and threading.current_thread() is self._owner
            and time.monotonic() - self._written >= self.interval
        ):
            self.write()
        if self.cancelled:
            raise JobCancelled

    def write(self) -> None:
        """Write the count and a heartbeat to the job, and read whether it was cancelled."""
        rows = Job.objects.filter(pk=self.job_id, attempt=self.attempt)
        rows.filter(status=Job.Status.RUNNING).update(
            done=self.done, total=self.total, heartbeat_at=timezone.now()
        )
        self.cancelled = rows.filter(cancel_requested=True).exists()
        self._written = time.monotonic()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                started = time.monotonic()
                try:
                    self.write()
                except DatabaseError:
                    # SQLite is locked while an import writes; the next beat tries again.
                    logger.warning("Job %s: could not write its progress", self.job_id)
                if time.monotonic() - started > self.interval:
                    logger.warning("Job %s: writing progress took long", self.job_id)
        finally:
            connections.close_all()
