"""Uploaded and exported files go where HECHA_STORAGE says: a folder, or an S3 bucket."""

import os
import subprocess
import sys

from django.conf import settings

SHOW_STORAGE = (
    "import django; django.setup(); "
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__name__, "
    "getattr(s, 'bucket_name', ''), getattr(s, 'endpoint_url', ''), getattr(s, 'location', ''))"
)


def settings_of(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HECHA_"))}
    return subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE],
        env={**base, "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_files_are_kept_in_a_project_folder_unless_told_otherwise():
    shown = settings_of()

    assert shown.stdout.split() == [
        "FileSystemStorage",
        str(settings.BASE_DIR / "var" / "media"),
    ]


def test_s3_storage_uses_the_bucket_and_endpoint_given():
    shown = settings_of(
        HECHA_STORAGE="s3",
        HECHA_S3_BUCKET="hecha-files",
        HECHA_S3_ENDPOINT_URL="https://s3.example.org",
        HECHA_S3_PREFIX="prod",
    )

    assert shown.stdout.split() == ["S3Storage", "hecha-files", "https://s3.example.org", "prod"]


def test_s3_storage_without_a_bucket_stops_start_up_and_says_what_to_set():
    shown = settings_of(HECHA_STORAGE="s3")

    assert shown.returncode != 0
    assert "HECHA_STORAGE=s3 needs HECHA_S3_BUCKET" in shown.stderr
