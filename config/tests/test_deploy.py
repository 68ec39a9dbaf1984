"""The production settings the README documents pass Django's deployment checks, and every
variable the code reads is in the README's table."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

README = Path(settings.BASE_DIR, "README.md").read_text(encoding="utf-8")
EXPORT = re.compile(r"^export (?P<name>[A-Z_]+)=(?P<value>\S+)$", re.M)
READS = re.compile(
    r"""(?:environ\.get|getenv|env_flag|env_int|env_list|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# Django's own, set by the code rather than read as a setting.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def documented_block(heading_words):
    """Return the variables of the README's `export` block that follows `heading_words`."""
    after = README.split(heading_words, 1)[1]
    block = after.split("```sh", 1)[1].split("```", 1)[0]
    variables = dict(EXPORT.findall(block))
    # The README generates the key; a test needs one too, as long and as random.
    variables["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def manage(*args, env, tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env = {
        **base,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_the_documented_settings_behind_tls_pass_the_deployment_checks(tmp_path):
    env = documented_block("Behind a reverse proxy that terminates TLS")
    env.pop("DATABASE_URL")  # the checks need no database; a file of the test's own will do
    assert env["DJANGO_SECURE_HSTS_SECONDS"] == "31536000"

    collected = manage("collectstatic", "--no-input", env=env, tmp_path=tmp_path)
    checked = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)

    assert collected.returncode == 0, collected.stderr
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "System check identified no issues" in checked.stdout


def test_the_documented_settings_without_tls_warn_only_that_https_is_off(tmp_path):
    env = documented_block("Without TLS")
    manage("collectstatic", "--no-input", env=env, tmp_path=tmp_path)

    checked = manage("check", "--deploy", env=env, tmp_path=tmp_path)

    assert checked.returncode == 0, checked.stderr
    warnings = set(re.findall(r"\(security\.(W\d+)\)", checked.stderr + checked.stdout))
    assert warnings == {"W004", "W008", "W012", "W016"}


def test_the_deployment_checks_say_when_static_files_were_not_collected(tmp_path):
    env = documented_block("Behind a reverse proxy that terminates TLS")
    env.pop("DATABASE_URL")

    checked = manage("check", "--deploy", env=env, tmp_path=tmp_path)

    assert checked.returncode != 0
    assert "Static files have not been collected" in checked.stderr
    assert "python manage.py collectstatic --no-input" in checked.stderr


def test_the_server_refuses_to_start_without_collected_static_files(tmp_path):
    env = documented_block("Behind a reverse proxy that terminates TLS")
    env.pop("DATABASE_URL")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}

    started = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        env={**base, **env, "DJANGO_STATIC_ROOT": str(tmp_path / "empty")},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )

    assert started.returncode != 0
    last = started.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: Static files have not")
    assert "collectstatic" in last


def test_every_variable_the_code_reads_is_in_the_readmes_table():
    base = Path(settings.BASE_DIR)
    modules = [
        path
        for path in base.rglob("*.py")
        if not path.relative_to(base).parts[0].startswith(".")  # the virtual environment
    ]
    table = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", README, re.M))

    read = {
        (name, str(path.relative_to(base)))
        for path in modules
        for name in READS.findall(path.read_text(encoding="utf-8"))
        if name not in NOT_SETTINGS
    }

    assert {name for name, _ in read} >= {"DJANGO_SECRET_KEY", "DJANGO_PROXY_COUNT"}
    assert sorted((name, path) for name, path in read if name not in table) == []
    assert "DATABASE_URL" in table  # read by dj-database-url
