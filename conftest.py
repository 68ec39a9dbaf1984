"""Fixtures shared by every app's tests: users in each role and factories for records."""

from decimal import Decimal
from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"

ARTICLE_TEXT = (
    "据报道，2023年中国人工智能核心产业规模为1751亿元，同比增长11.9%。\n\n"
    "另一份报告指出，2014年至2024年间，中国在人工智能领域的投资约为860亿美元。"
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashes passwords slowly on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed static files after collectstatic; tests render templates
    # without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_after_each_test():
    # A request in Chinese leaves its language active on the thread that served it, which in
    # tests is the test's own: the next test would start in Chinese.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _jobs_in_process(settings, tmp_path):
    # A job started in a test runs at once, inside the test's transaction, writing its
    # progress as it goes; its files go to a folder of the test's own.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HECHA_JOB_HEARTBEAT_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture(autouse=True)
def _piece_statistics_read_afresh():
    # Searches keep the piece index's statistics for minutes; each test analyses its own
    # rows, or none.
    from claims.search import forget_piece_statistics

    forget_piece_statistics()
    yield
    forget_piece_statistics()


def _make_user(django_user_model, username, role=None, **extra):
    from django.contrib.auth.models import Group

    from claims.roles import ensure_role_groups

    user = django_user_model.objects.create_user(
        username=username, password="pw-" + username, **extra
    )
    if role:
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def viewer(django_user_model):
    return _make_user(django_user_model, "vera", "Viewer")


@pytest.fixture
def reviewer(django_user_model):
    return _make_user(django_user_model, "rita", "Reviewer")


@pytest.fixture
def other_reviewer(django_user_model):
    return _make_user(django_user_model, "otto", "Reviewer")


@pytest.fixture
def editor(django_user_model):
    return _make_user(django_user_model, "eddie", "Editor")


@pytest.fixture
def staff(django_user_model):
    return _make_user(django_user_model, "sam", is_staff=True, is_superuser=True)


@pytest.fixture
def viewer_client(viewer):
    """A client of its own signed in as a Viewer, beside any other the test signs in."""
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    return client


@pytest.fixture
def editor_client(editor):
    """A client of its own signed in as an Editor, beside any other the test signs in."""
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def make_source(db, django_user_model):
    from sources.services import source_create

    counter = iter(range(1, 10_000))

    def make(**overrides):
        number = next(counter)
        user = (
            overrides.pop("user", None)
            or django_user_model.objects.get_or_create(username="source-maker")[0]
        )
        fields = {
            "key": f"source-{number}",
            "title": f"人工智能报道 {number}",
            "outlet": "示例日报",
            "script": "hans",
            "region": "cn",
            "text": ARTICLE_TEXT,
        }
        fields.update(overrides)
        return source_create(user=user, **fields)

    return make


@pytest.fixture
def make_claim(db, make_source, django_user_model):
    from claims.services import claim_create

    def make(**overrides):
        user = (
            overrides.pop("user", None)
            or django_user_model.objects.get_or_create(username="claim-maker")[0]
        )
        source = overrides.pop("source", None) or make_source()
        fields = {
            "quote": "中国人工智能核心产业规模为1751亿元",
            "figure_text": "1751亿元",
            "value": Decimal("175100000000"),
            "unit": "CNY",
            "period_start": 2023,
            "period_end": 2023,
            "scope": "size of China's core AI industry",
        }
        fields.update(overrides)
        return claim_create(user=user, source=source, **fields)

    return make


@pytest.fixture
def long_article():
    """Return a maker of articles of a given length whose every paragraph reads differently."""

    def make(length):
        paragraphs, number = [], 0
        while sum(map(len, paragraphs)) < length:
            number += 1
            paragraphs.append(
                f"第{number}段：据报道，该地区人工智能产业第{number}季度的规模为{number * 37}亿元，"
                "专家指出统计口径各有不同。\n\n"
            )
        return "".join(paragraphs)[:length]

    return make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the browser tests last: Playwright's event loop breaks database tests after it."""
    # After pytest-django has put the tests in Django's order; sorted() is stable, so every
    # other test keeps that order.
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(
    params=[
        "by ids",
        "by ids, their pairs many",
        "by an array of ids",
        "by an array of ids, their pairs and verdicts many",
        "as one condition",
    ]
)
def pair_lookup(request, monkeypatch):
    """Each way a search finds rows by the words of the rows they point to (pairs by their
    claims, verdicts by what they judge): few claims hold the word (their ids, listed; their
    pairs read first, or, expected many, not), some thousands do by the statistics (their
    ids, one array on PostgreSQL; their pairs and verdicts, expected many, counted in parts
    and looked up pair by pair), or many do (a condition of the list's query)."""
    by_ids = request.param.startswith("by ids")
    monkeypatch.setattr("claims.filters.PAIR_SEARCH_CLAIMS", 1_000 if by_ids else 0)
    monkeypatch.setattr(
        "claims.filters.pairs_expected_many", lambda claims, using: "many" in request.param
    )
    if not by_ids:
        in_some_thousands = request.param.startswith("by an array of ids")
        monkeypatch.setattr("claims.filters.few_keys_hold", lambda *args: in_some_thousands)
    if request.param.endswith("verdicts many"):
        monkeypatch.setattr("claims.filters._expected_rows", lambda *args, **kwargs: 10_000)
    return request.param


@pytest.fixture
def counted_in_parts(monkeypatch):
    """Searches as at a million claims for a name in some thousands of claims: its claims
    listed in one array, their pairs and verdicts expected past a search's count, which
    then reads its parts first."""
    monkeypatch.setattr("claims.filters.PAIR_SEARCH_CLAIMS", 0)
    monkeypatch.setattr("claims.filters.few_keys_hold", lambda *args: True)
    monkeypatch.setattr("claims.filters._expected_rows", lambda *args, **kwargs: 10_000)


@pytest.fixture
def plan_by_index(db):
    """Return a reader of PostgreSQL's plan of a query when it may not scan a whole table.

    A test's tables of a few rows are scanned whatever their indexes: with sequential and
    bitmap scans off, a plan shows whether an index can serve the query as it is written.
    Sorts are off too: over a few rows, reading another index and sorting what it finds
    costs about as much as reading the index of the query's order, and the planner's choice
    between them turned on the rows' width; at a million rows, only the second is cheap.
    """
    from django.db import connection

    def plan(sql: str) -> str:
        with connection.cursor() as db:
            db.execute("SET LOCAL enable_seqscan = off")
            db.execute("SET LOCAL enable_bitmapscan = off")
            db.execute("SET LOCAL enable_sort = off")
            db.execute("SET LOCAL enable_incremental_sort = off")
            db.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in db.fetchall())

    return plan


@pytest.fixture
def tally_file(tmp_path):
    """Return a SQLite file holding one row, `tally (n)` at 0, and a starter of processes
    running a Python script with Hecha's settings on that file, as `make run`'s server and
    worker do: start(script, **Popen options) -> the process, its output as text."""
    import os
    import sqlite3
    import subprocess
    import sys

    from django.conf import settings

    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as made:
        made.execute("PRAGMA journal_mode=WAL")
        made.execute("CREATE TABLE tally (n integer)")
        made.execute("INSERT INTO tally VALUES (0)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }

    def start(script, **options):
        return subprocess.Popen(
            [sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, text=True, **options
        )

    return database, start
