import datetime
import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape

from claims.models import Claim
from jobs.models import Job
from jobs.services import job_start

EXPORT = reverse("claims:claim_export")
JOBS = reverse("jobs:job_list")
IMPORT = reverse("jobs:job_import")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_large_web_export_becomes_a_job_whose_file_downloads_from_its_page(
    reviewer_client, reviewed, settings
):
    settings.HECHA_EXPORT_INLINE_LIMIT = 1
    claims = [reviewed(), reviewed()]

    offer = reviewer_client.get(EXPORT, {"format": "jsonl"})
    assert "Start the export" in offer.content.decode()
    response = reviewer_client.post(reverse("jobs:job_export") + "?format=jsonl")

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    page = reviewer_client.get(job.get_absolute_url()).content.decode()
    assert "succeeded" in page and "2 of 2" in page
    download = reviewer_client.get(reverse("jobs:job_download", args=[job.pk]))
    lines = [json.loads(line) for line in b"".join(download.streaming_content).splitlines()]
    exported = [line["id"] for line in lines if line["type"] == "claim"]
    assert sorted(exported) == sorted(str(claim.public_id) for claim in claims)
    assert download["Content-Disposition"].startswith('attachment; filename="hecha-claims-')


def test_small_web_export_still_downloads_at_once(reviewer_client, reviewed):
    reviewed()

    response = reviewer_client.get(EXPORT, {"format": "json"})

    assert len(json.loads(b"".join(response.streaming_content))["claims"]) == 1
    assert not Job.objects.exists()


def test_background_export_with_a_bad_filter_is_refused_with_the_reason(reviewer_client):
    response = reviewer_client.post(reverse("jobs:job_export") + "?status=nonsense")

    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    assert not Job.objects.exists()


def test_editor_uploads_an_export_and_the_import_job_creates_its_claims(editor_client, export_file):
    with export_file.open("rb") as file:
        response = editor_client.post(IMPORT, {"file": file})

    job = Job.objects.get(kind=Job.Kind.IMPORT)
    assert response.url == job.get_absolute_url()
    assert Claim.objects.count() == 3
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "claims: 3 created, 0 already there" in page
    assert "6 of 6" in page  # each claim checked, then saved
    assert default_storage.listdir("jobs/uploads")[1] == []  # the upload, once imported


def test_refused_import_lists_its_errors_numbered_and_saves_nothing(editor_client, export_file):
    document = json.loads(export_file.read_text(encoding="utf-8"))
    document["claims"][0]["quote"] = "不在原文中的句子"
    document["claims"][1]["id"] = document["claims"][2]["id"]
    export_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    with export_file.open("rb") as file:
        editor_client.post(IMPORT, {"file": file})

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert len(job.errors) >= 2 and all(error.startswith("claims[") for error in job.errors)
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert '<ol class="import-errors">' in page and escape(job.errors[0]) in page
    assert not Claim.objects.exists()
    # The same file would fail the same way: no retry, but what to do instead.
    assert "Retry</button>" not in page
    assert "Correct the file and upload it again." in page
    assert f'href="{IMPORT}"' in page
    assert default_storage.listdir("jobs/uploads")[1] == []  # of no use to a retry
    response = editor_client.post(reverse("jobs:job_retry", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempt == 1
    assert "importing it again would fail the same way" in response.content.decode()


def test_upload_that_is_not_an_export_file_is_refused_with_a_message(editor_client, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("a,b\n")

    with path.open("rb") as file:
        response = editor_client.post(IMPORT, {"file": file})

    assert response.status_code == 400
    assert "Upload a .json or .jsonl export file." in response.content.decode()
    assert not Job.objects.exists()


def test_only_editors_may_import(client, export_file, other_reviewer):
    client.force_login(other_reviewer)
    with export_file.open("rb") as file:
        response = client.post(IMPORT, {"file": file})

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_user_sees_and_downloads_only_their_own_jobs(
    client, reviewer, viewer, editor, reviewed, settings
):
    settings.HECHA_EXPORT_INLINE_LIMIT = 0
    reviewed()
    theirs = job_start(kind=Job.Kind.EXPORT, user=reviewer, parameters={"format": "json"})

    client.force_login(viewer)
    assert str(theirs) not in client.get(JOBS).content.decode()
    assert client.get(reverse("jobs:job_download", args=[theirs.pk])).status_code == 404

    client.force_login(editor)
    assert theirs.get_absolute_url() in client.get(JOBS).content.decode()
    assert client.get(reverse("jobs:job_download", args=[theirs.pk])).status_code == 200


def test_cancelling_a_queued_job_means_it_never_runs(reviewer_client, reviewer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = job_start(kind=Job.Kind.EXPORT, user=reviewer, parameters={"format": "json"})

    reviewer_client.post(reverse("jobs:job_cancel", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    page = reviewer_client.get(job.get_absolute_url()).content.decode()
    assert "Retry" in page and "Cancel</button>" not in page


def test_someone_else_cannot_cancel_a_job(client, reviewer, other_reviewer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = job_start(kind=Job.Kind.EXPORT, user=reviewer, parameters={"format": "json"})
    client.force_login(other_reviewer)

    response = client.post(reverse("jobs:job_cancel", args=[job.pk]))

    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_editor_starts_a_figure_check_over_every_claim(editor_client, make_claim):
    make_claim(figure_text="1751亿元", value="17510000000")  # ten times too small

    response = editor_client.post(reverse("jobs:job_run"), {"kind": "parse_figures"})

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    body = b"".join(
        editor_client.get(reverse("jobs:job_download", args=[job.pk])).streaming_content
    ).decode("utf-8-sig")
    assert "1751亿元" in body and "value is" in body


def test_unknown_run_is_refused_with_a_message(editor_client):
    response = editor_client.post(reverse("jobs:job_run"), {"kind": "drop_tables"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()


def test_reviewers_cannot_start_runs_over_every_claim(reviewer_client):
    response = reviewer_client.post(reverse("jobs:job_run"), {"kind": "rebuild_search_keys"})

    assert response.status_code == 403


def test_import_credits_a_reviewer_in_the_file_to_the_account_named(
    editor_client, export_file, django_user_model
):
    rita = django_user_model.objects.create_user("rita.chen")

    with export_file.open("rb") as file:
        editor_client.post(IMPORT, {"file": file, "credit_existing": "rita=rita.chen"})

    assert set(Claim.objects.values_list("verdicts__reviewer", flat=True)) == {rita.pk}


def test_import_naming_an_unknown_account_to_credit_is_refused_with_a_message(
    editor_client, export_file
):
    with export_file.open("rb") as file:
        response = editor_client.post(IMPORT, {"file": file, "credit_existing": "rita=nobody"})

    assert response.status_code == 400
    assert "No account named nobody." in response.content.decode()
    assert not Job.objects.exists()


def test_cancelling_a_running_job_asks_its_worker_to_stop(editor_client, editor, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = job_start(kind=Job.Kind.REBUILD_SEARCH_KEYS, user=editor)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    editor_client.post(reverse("jobs:job_cancel", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.cancel_requested
    assert "cancelling" in editor_client.get(job.get_absolute_url()).content.decode()


def test_job_list_reads_the_same_number_of_queries_however_many_jobs(
    editor_client, editor, reviewer, settings, django_assert_max_num_queries
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for user in (editor, reviewer) * 10:
        job_start(kind=Job.Kind.REBUILD_SEARCH_KEYS, user=user)

    with django_assert_max_num_queries(12):
        page = editor_client.get(reverse("jobs:job_list")).content.decode()

    assert page.count("Search key rebuild #") == 20


def finished_job(user, *, kind, parameters, done, seconds) -> Job:
    """Return a job that did `done` records in `seconds`, as its worker would leave it."""
    job = job_start(kind=kind, user=user, parameters=parameters)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        total=done,
        done=done,
        started_at=job.created_at,
        finished_at=job.created_at + datetime.timedelta(seconds=seconds),
    )
    return job


def test_a_finished_archive_sized_job_reads_in_grouped_figures_and_whole_seconds(
    reviewer_client, reviewer, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = finished_job(
        reviewer,
        kind=Job.Kind.EXPORT,
        parameters={"format": "json"},
        done=683_252,
        seconds=12.114465,
    )

    page = reviewer_client.get(job.get_absolute_url()).content.decode()

    assert "683,252 of 683,252" in page
    # 683,252 in 12.114465 s: 56,399.7 a second, shown whole; the time to the second.
    assert "56,400 a second" in page
    assert "took 0:00:12)" in page and "12.114465" not in page


def test_a_slow_job_shows_its_rate_in_tenths(reviewer_client, reviewer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = finished_job(
        reviewer, kind=Job.Kind.IMPORT, parameters={"file": "x.jsonl"}, done=7, seconds=2
    )

    page = reviewer_client.get(job.get_absolute_url()).content.decode()

    assert "3.5 a second" in page


def test_a_job_worded_in_simplified_reads_in_traditional_for_a_reader_of_traditional(
    editor_client, editor, settings
):
    job = finished_job(
        editor, kind=Job.Kind.EXPORT, parameters={"format": "json"}, done=0, seconds=1
    )
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        language="zh-hans",
        error="未导入任何内容：文件有错误。",
        errors=["claims[0].quote：来源的内文中没有此引文"],
    )
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"

    page = editor_client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    listed = editor_client.get(reverse("jobs:job_list")).content.decode()

    assert "未匯入任何內容：檔案有錯誤。" in page and "未匯入任何內容：檔案有錯誤。" in listed
    assert "来源" not in page and "导入" not in page and "导入" not in listed


def test_a_job_page_is_titled_with_its_kind_as_a_title_begins(reviewer_client, reviewer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = finished_job(
        reviewer, kind=Job.Kind.IMPORT, parameters={"file": "x.jsonl"}, done=7, seconds=2
    )

    page = reviewer_client.get(job.get_absolute_url()).content.decode()

    assert f"<h1>Import #{job.pk}</h1>" in page
    assert f"import #{job.pk}" not in page


def test_a_job_that_ended_before_doing_anything_shows_no_progress(
    reviewer_client, reviewer, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = finished_job(
        reviewer, kind=Job.Kind.EXPORT, parameters={"format": "json"}, done=0, seconds=1
    )
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, total=None, error="The job failed: OperationalError"
    )

    page = reviewer_client.get(job.get_absolute_url()).content.decode()
    listed = reviewer_client.get(JOBS).content.decode()

    assert "0 done" not in page and "<dt>Progress</dt>" not in page
    assert "0 done" not in listed


@pytest.mark.parametrize(
    "worded_in, reader, note",
    [
        ("zh-hant", "en", "The messages below are in Traditional Chinese"),
        ("en", "zh-hans", "以下信息为英文"),
        ("zh-hans", "zh-hant", None),
        ("zh-hant", "zh-hant", None),
    ],
)
def test_a_job_worded_in_another_language_says_which_in_the_readers_own(
    editor_client, editor, settings, worded_in, reader, note
):
    job = finished_job(
        editor, kind=Job.Kind.IMPORT, parameters={"file": "x.jsonl"}, done=0, seconds=1
    )
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        language=worded_in,
        error="未匯入任何內容：檔案有錯誤。",
        errors=["claims[0].quote：來源的內文中沒有此引文"],
    )
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = reader

    page = editor_client.get(job.get_absolute_url()).content.decode()

    if note is None:
        assert 'class="worded-in"' not in page
    else:
        assert note in page
