import csv
import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from claims.imports import first_load
from claims.models import Claim, ClaimExportText
from claims.services import export_texts
from jobs import progress as progress_module
from jobs import work
from jobs.models import Job
from jobs.services import job_retry, job_start, jobs_fail_stale
from jobs.tasks import run_job

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def start_import(user, path):
    stored = default_storage.save("jobs/uploads/claims.json", path.open("rb"))
    return job_start(kind=Job.Kind.IMPORT, user=user, parameters={"file": stored})


def import_told_each_claim(editor, path, settings, monkeypatch, written_first: bool) -> Job:
    """Return an import job, not yet run, that tells its progress at every claim, its file
    loaded first (saved, then checked) or read first."""
    if written_first and connection.vendor != "postgresql":
        pytest.skip("a first load is written first on PostgreSQL only")
    settings.TASKS = DUMMY
    monkeypatch.setattr(first_load, "FIRST_LOAD_BYTES", 0 if written_first else 10**15)
    monkeypatch.setattr(work, "REPORT_EVERY", 1)
    return start_import(editor, path)


def test_full_disk_during_an_export_fails_the_job_clearly_and_offers_no_file(
    client, reviewer, reviewed, full_disk, settings
):
    settings.HECHA_EXPORT_INLINE_LIMIT = 0
    reviewed()

    job = job_start(kind=Job.Kind.EXPORT, user=reviewer, parameters={"format": "json"})

    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Disk full while writing the export")
    assert not job.result_file
    assert [path for path in full_disk.rglob("*") if path.is_file()] == []
    client.force_login(reviewer)
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404
    assert (
        "Disk full while writing the export" in client.get(job.get_absolute_url()).content.decode()
    )


def test_job_whose_worker_stopped_is_marked_failed_and_its_retry_runs_it(
    client, editor, export_file, settings
):
    settings.TASKS = DUMMY
    job = start_import(editor, export_file)
    # A worker took it, then was killed: its heartbeat stopped long ago.
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.HECHA_JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    client.force_login(editor)

    page = client.get(reverse("jobs:job_list")).content.decode()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error.startswith("Worker stopped")
    assert "Worker stopped" in page
    assert not Claim.objects.exists()
    # Failed for a passing reason, it may well succeed the next time.
    assert "Retry</button>" in client.get(job.get_absolute_url()).content.decode()

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = job_retry(job=job, user=editor)

    assert job.status == Job.Status.SUCCEEDED and job.attempt == 2
    assert Claim.objects.count() == 3


def test_a_job_still_heard_from_is_not_taken_for_dead(editor, settings):
    settings.TASKS = DUMMY
    job = job_start(kind=Job.Kind.REBUILD_SEARCH_KEYS, user=editor)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())

    assert jobs_fail_stale() == 0


@pytest.mark.parametrize("written_first", [False, True], ids=["read first", "first load"])
def test_cancelling_an_import_half_done_keeps_none_of_it(
    editor, export_file, settings, monkeypatch, written_first
):
    job = import_told_each_claim(editor, export_file, settings, monkeypatch, written_first)
    write = progress_module.Progress.write

    def cancelled_once_saving(self):
        write(self)
        # 3 claims checked, then 3 saved: the user cancels after the first is saved. A first
        # load saves first: the second claim saved.
        if self.done == (2 if written_first else 4):
            Job.objects.filter(pk=self.job_id).update(cancel_requested=True)
            write(self)

    monkeypatch.setattr(progress_module.Progress, "write", cancelled_once_saving)

    run_job.call(job.pk, job.attempt)

    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "written_first",
    [
        pytest.param(False, id="read first"),
        # Committed, as the worker's job is: the job's transaction holds its row while the
        # checks, on a connection of their own, tell their progress.
        pytest.param(True, id="first load", marks=pytest.mark.django_db(transaction=True)),
    ],
)
def test_an_import_job_s_progress_only_grows_whichever_reading_comes_first(
    editor, export_file, settings, monkeypatch, written_first
):
    job = import_told_each_claim(editor, export_file, settings, monkeypatch, written_first)
    advance = progress_module.Progress.advance
    shown = []

    def advance_and_keep(self, done, total=None):
        advance(self, done, total)
        shown.append((self.done, self.total))

    monkeypatch.setattr(progress_module.Progress, "advance", advance_and_keep)

    run_job.call(job.pk, job.attempt)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and Claim.objects.count() == 3
    # Three claims checked and three saved: the bar never goes back.
    done = [count for count, _ in shown]
    assert done == sorted(done) and done[-1] == 6 and {total for _, total in shown} == {6}


def test_a_retried_job_ignores_the_task_of_its_earlier_attempt(editor, settings):
    settings.TASKS = DUMMY
    job = job_start(kind=Job.Kind.REBUILD_SEARCH_KEYS, user=editor)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    job_retry(job=job, user=editor)

    assert run_job.call(job.pk, 1) == "skipped"
    assert run_job.call(job.pk, 2) == Job.Status.SUCCEEDED


def test_search_key_rebuild_job_reports_what_it_read_and_changed(editor, make_claim):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(search_key="stale")

    job = job_start(kind=Job.Kind.REBUILD_SEARCH_KEYS, user=editor)

    assert job.status == Job.Status.SUCCEEDED
    assert "claims: 1 read, 1 keys rebuilt" in job.report
    assert job.done == job.total
    claim.refresh_from_db()
    assert claim.search_key != "stale"


def test_suggestions_run_lists_claims_that_bear_on_each_other(editor, make_claim, make_source):
    first = make_claim()
    second = make_claim(source=make_source())

    job = job_start(kind=Job.Kind.SUGGESTIONS, user=editor)

    with default_storage.open(job.result_file.name) as file:
        rows = file.read().decode("utf-8-sig").splitlines()
    assert rows[0].startswith("claim,suggested claim,relation")
    assert any(row.startswith(f"{first.pk},{second.pk},") for row in rows[1:])


def test_a_suggestions_run_started_in_chinese_parts_the_reasons_as_chinese_does(
    editor, make_claim, make_source
):
    make_claim()
    make_claim(source=make_source())

    job = job_start(kind=Job.Kind.SUGGESTIONS, user=editor, language="zh-hant")

    with default_storage.open(job.result_file.name) as file:
        rows = list(csv.reader(io.StringIO(file.read().decode("utf-8-sig"))))
    reasons = [row[4] for row in rows[1:]]
    assert reasons and all("；" in reason and "; " not in reason for reason in reasons)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="export texts are kept there only")
def test_a_json_lines_export_job_keeps_the_texts_it_wrote_afresh(reviewer, reviewed, settings):
    settings.HECHA_EXPORT_INLINE_LIMIT = 0
    for _ in range(3):
        reviewed()
    ClaimExportText.objects.all().delete()  # none kept yet, as after an upgrade

    job = job_start(kind=Job.Kind.EXPORT, user=reviewer, parameters={"format": "jsonl"})

    assert job.status == Job.Status.SUCCEEDED
    assert ClaimExportText.objects.filter(body__isnull=False).count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="export texts are kept there only")
def test_an_export_job_whose_texts_fail_to_be_kept_succeeds_and_says_so(
    reviewer, reviewed, settings, monkeypatch
):
    settings.HECHA_EXPORT_INLINE_LIMIT = 0
    reviewed()
    ClaimExportText.objects.all().delete()

    def database_gone(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr(export_texts, "export_texts_refresh", database_gone)

    job = job_start(kind=Job.Kind.EXPORT, user=reviewer, parameters={"format": "jsonl"})

    assert job.status == Job.Status.SUCCEEDED
    with default_storage.open(job.result_file.name) as file:
        assert file.read().decode("utf-8").splitlines()[-1].startswith('{"type":"end"')
    assert job.report == [
        "1 claim exported",
        "The export is whole, but the texts it wrote could not be kept for the next one "
        "(the database went away); the next export writes them again.",
    ]


def test_suggestions_run_lists_every_claims_suggestions_across_its_groups(
    editor, make_claim, make_source, monkeypatch
):
    monkeypatch.setattr(work, "SUGGESTIONS_AT_ONCE", 2)
    claims = [make_claim(source=make_source()) for _ in range(3)]
    statement = make_claim(figure_text="", value=None, unit="", quote="中国人工智能核心产业")

    job = job_start(kind=Job.Kind.SUGGESTIONS, user=editor)

    with default_storage.open(job.result_file.name) as file:
        rows = [row.split(",") for row in file.read().decode("utf-8-sig").splitlines()[1:]]
    pairs = {(int(row[0]), int(row[1])) for row in rows}
    for claim in claims:
        assert {(claim.pk, other.pk) for other in claims if other != claim} <= pairs
    # Only claims with a figure are listed with their suggestions.
    assert statement.pk not in {pk for pk, _ in pairs}
