"""What a kept fragment's key says of the code that draws it (core.fragments.code_version)."""

import pytest

from core import fragments


@pytest.fixture
def project(tmp_path, settings):
    """A project folder of its own, and code_version worked out afresh for it."""
    settings.BASE_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ claim.quote }}</p>")
    fragments.code_version.cache_clear()
    yield tmp_path
    fragments.code_version.cache_clear()


def version_after(change) -> str:
    fragments.code_version.cache_clear()
    change()
    fragments.code_version.cache_clear()
    return fragments.code_version()


def test_a_changed_template_gives_fragments_new_keys(project):
    before = fragments.code_version()

    after = version_after(
        lambda: (project / "templates" / "page.html").write_text("<p>{{ claim.summary }}</p>")
    )

    assert after != before


def test_tests_and_migrations_do_not_change_the_keys(project):
    before = fragments.code_version()

    def add_tests_and_migrations():
        for folder in ("templates/tests", "config/migrations"):
            (project / folder).mkdir(parents=True)
            (project / folder / "test_page.py").write_text("assert True\n")

    assert version_after(add_tests_and_migrations) == before


def test_another_version_of_an_installed_package_gives_new_keys(project, monkeypatch, tmp_path):
    packages = tmp_path / "site-packages"
    (packages / "django_filter-25.1.dist-info").mkdir(parents=True)
    monkeypatch.setattr(fragments.sysconfig, "get_path", lambda name: str(packages))
    before = fragments.code_version()

    after = version_after(
        lambda: (packages / "django_filter-25.1.dist-info").rename(
            packages / "django_filter-25.2.dist-info"
        )
    )

    assert after != before
