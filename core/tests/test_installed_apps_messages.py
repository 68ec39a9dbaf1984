"""Every word the admin shows of django-axes and django-tasks is in Hecha's catalogues."""

import importlib.util
from pathlib import Path

import pytest

from core.tests.test_locale import catalogue, python_strings

MESSAGES = Path(__file__).resolve().parent.parent / "installed_apps_messages.py"
# The modules whose words reach the admin's pages: models (names, fields, choices) and
# admin classes (sections, filters, actions).
MODULES = ("axes.models", "axes.admin", "django_tasks_db.models", "django_tasks.base")
# Words Django's own catalogues translate already.
DJANGO_TRANSLATES = {(None, "Yes"), (None, "No")}


def module_path(name) -> Path:
    return Path(importlib.util.find_spec(name).origin)


@pytest.mark.parametrize("module", MODULES)
def test_every_word_an_installed_app_marks_is_listed(module):
    listed = set(python_strings(MESSAGES))

    marked = set(python_strings(module_path(module))) - DJANGO_TRANSLATES

    assert marked, f"{module} marks no words: has the app moved them?"
    assert marked <= listed, sorted(marked - listed)


@pytest.mark.parametrize("language", ["zh_Hant", "zh_Hans"])
def test_every_listed_word_is_translated(language):
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in catalogue(language)
        if entry.translated() and not entry.obsolete
    }

    assert set(python_strings(MESSAGES)) <= translated
