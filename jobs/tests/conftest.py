"""Fixtures for the jobs' tests: an export file to import, and storages that fail."""

import errno
import json
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from claims.exports import claims_export
from claims.models import Claim, Verdict
from claims.services import verdict_create
from claims.tests.test_imports import wipe


class FullDiskStorage(FileSystemStorage):
    """A folder on a disk that fills up half way through the file being saved."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            file.write(content.read(10))
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "jobs.tests.conftest.FullDiskStorage",
            "OPTIONS": {"location": tmp_path / "full"},
        },
    }
    return tmp_path / "full"


@pytest.fixture
def reviewed(make_claim, reviewer):
    def make(**overrides):
        claim = make_claim(**overrides)
        verdict_create(claim=claim, reviewer=reviewer, verdict=Verdict.Kind.AGREE)
        return claim

    return make


@pytest.fixture
def export_file(reviewed, make_source, tmp_path):
    """Return an export of three reviewed claims as a file, the database emptied of them."""
    source = make_source(key="report-2024")
    for quote in ("1751亿元", "860亿美元", "11.9%"):
        reviewed(source=source, quote=quote, value=None, figure_text="", unit="")
    document = claims_export(Claim.objects.reviewed())
    wipe()
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path
