"""The real worker: the database queue run by `db_worker`, and a worker killed mid-import."""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from claims.models import Claim
from jobs.models import Job
from jobs.services import job_retry, job_start, jobs_fail_stale

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker_once():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_waits_for_the_worker_which_runs_it(editor, make_claim, settings):
    settings.TASKS = DATABASE_QUEUE
    make_claim()

    job = job_start(kind=Job.Kind.PARSE_FIGURES, user=editor)
    assert job.status == Job.Status.QUEUED

    run_worker_once()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.done == job.total == 1
    assert job.result_name.startswith("hecha-figure-check-")


def many_claims(export_file, count):
    """Rewrite an export file of one source's claims to hold `count` claims."""
    document = json.loads(export_file.read_text(encoding="utf-8"))
    model = document["claims"][0]
    document["claims"] = [{**model, "id": str(uuid.uuid4())} for _ in range(count)]
    document["counts"] = {
        **document["counts"],
        "claims": count,
        "annotations": count * len(model["annotations"]),
    }
    export_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return export_file


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a second process must share the test database while an import holds a transaction",
)
@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_an_import_fails_the_job_saves_nothing_and_retry_works(
    editor, export_file, settings, tmp_path
):
    # Enough that its saving outlasts the polling below by far, on the fastest machine too:
    # with 3,000, an import was seen to commit between the poll that saw it saving and
    # the kill.
    claims = 10_000
    settings.TASKS = DATABASE_QUEUE
    path = many_claims(export_file, claims)
    stored = default_storage.save("jobs/uploads/claims.json", path.open("rb"))
    job = job_start(kind=Job.Kind.IMPORT, user=editor, parameters={"file": stored})
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SECRET_KEY": "a-test-worker-key",
        "HECHA_MEDIA_ROOT": str(tmp_path / "media"),
        "HECHA_JOB_HEARTBEAT_SECONDS": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        # Wait until it is saving: every claim checked and some written, not yet committed.
        while (seen := Job.objects.get(pk=job.pk)).done <= claims:
            assert worker.poll() is None, "the worker stopped by itself"
            assert not seen.is_finished, seen.error or seen.errors
            assert time.monotonic() < deadline, "the import never reached its saving"
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # no one can know yet
    assert not Claim.objects.exists()
    # Once its heartbeat is older than the setting says, the job is known dead.
    later = timezone.now() + datetime.timedelta(seconds=settings.HECHA_JOB_STALE_SECONDS + 1)
    assert jobs_fail_stale(now=later) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error.startswith("Worker stopped")
    assert not Claim.objects.exists()

    job_retry(job=job, user=editor)
    run_worker_once()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Claim.objects.count() == claims
