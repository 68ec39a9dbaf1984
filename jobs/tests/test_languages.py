"""An import job's report and errors are worded in the language of whoever started it."""

import json

import pytest
from django.conf import settings as django_settings
from django.utils.html import escape

from jobs.models import Job
from jobs.tasks import run_job
from jobs.tests.test_views import IMPORT

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def speak(client, language):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language


def break_file(export_file):
    document = json.loads(export_file.read_text(encoding="utf-8"))
    document["claims"][0]["quote"] = "不在原文中的句子"
    document["claims"][2]["colour"] = "red"
    export_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def start_and_run(client, export_file, settings):
    """Upload `export_file` as `client`'s user, then run the job as a worker would: apart."""
    settings.TASKS = DUMMY
    with export_file.open("rb") as file:
        client.post(IMPORT, {"file": file})
    job = Job.objects.get(kind=Job.Kind.IMPORT)
    # The worker runs outside any request, in the site's default language.
    run_job.call(job.pk, job.attempt)
    job.refresh_from_db()
    return job


def test_import_started_on_a_traditional_chinese_page_lists_its_errors_in_it(
    editor_client, export_file, settings
):
    break_file(export_file)
    speak(editor_client, "zh-hant")

    job = start_and_run(editor_client, export_file, settings)

    assert job.language == "zh-hant"
    assert job.status == Job.Status.FAILED
    assert job.error == "未匯入任何內容：檔案有錯誤。"
    assert job.errors == [
        "claims[0].anchor.end: 應為 start 加上引文長度，即 30",
        "claims[2]: 不允許額外的屬性（不應有 'colour'）",
    ]
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert '<ol class="import-errors">' in page
    for error in job.errors:
        assert escape(error) in page
    assert "should be start" not in page


def test_the_same_import_started_on_an_english_page_lists_its_errors_in_english(
    editor_client, export_file, settings
):
    break_file(export_file)
    speak(editor_client, "en")

    job = start_and_run(editor_client, export_file, settings)

    assert job.language == "en"
    assert job.error == "Nothing was imported: the file has errors."
    assert job.errors == [
        "claims[0].anchor.end: should be start + the quote's length, 30",
        "claims[2]: Additional properties are not allowed ('colour' was unexpected)",
    ]
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert escape(job.errors[0]) in page


def test_a_successful_import_reports_in_the_language_it_was_started_in(
    editor_client, export_file, settings
):
    speak(editor_client, "zh-hant")

    job = start_and_run(editor_client, export_file, settings)

    assert job.status == Job.Status.SUCCEEDED
    assert "主張：新增 3 則，0 則已存在" in job.report
    assert "來源：新增 1 個，0 個已存在" in job.report
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "主張：新增 3 則，0 則已存在" in page
    assert "claims: 3 created" not in page


def test_a_job_started_without_a_language_reports_in_the_site_default(editor, export_file):
    from django.core.files.storage import default_storage

    from jobs.services import job_start

    stored = default_storage.save("jobs/uploads/claims.json", export_file.open("rb"))
    job = job_start(kind=Job.Kind.IMPORT, user=editor, parameters={"file": stored})

    assert job.language == ""
    assert "claims: 3 created, 0 already there" in job.report


@pytest.mark.parametrize(
    ("language", "line"),
    [("zh-hans", "主张：添加 3 条，0 条已存在"), ("en", "claims: 3 created, 0 already there")],
)
def test_report_lines_follow_each_language(editor_client, export_file, settings, language, line):
    speak(editor_client, language)

    job = start_and_run(editor_client, export_file, settings)

    assert line in job.report
