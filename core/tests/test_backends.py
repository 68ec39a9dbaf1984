"""The signed-in user of a request, read with their preferences."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.tests.test_views_claims import text_of
from core.backends import UserBackend
from core.services import preferences_set_reading

TEXT = "报告显示U盘的销量达1751亿元。"
QUOTE = "报告显示U盘的销量达1751亿元"
SHOWN_QUOTE = "報告顯示隨身碟的銷量達1751億元"


@pytest.fixture
def claim_page(make_source, make_claim) -> str:
    """The page of a claim quoted from an article in Simplified script."""
    source = make_source(text=TEXT, script="hans", region="cn")
    claim = make_claim(source=source, quote=QUOTE, figure_text="1751亿元")
    return reverse("claims:claim_detail", args=[claim.pk])


def preference_queries(queries) -> list[str]:
    """The queries that read preferences apart from the user they belong to."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if "core_userpreferences" in query["sql"] and "auth_user" not in query["sql"]
    ]


def test_a_page_reads_the_readers_choice_of_script_with_the_reader(client, reviewer, claim_page):
    preferences_set_reading(user=reviewer, reading="hant_tw")
    client.force_login(reviewer)

    with CaptureQueriesContext(connection) as queries:
        page = text_of(client.get(claim_page))

    assert SHOWN_QUOTE in page and QUOTE not in page
    assert preference_queries(queries) == []


def test_a_reader_who_never_chose_sees_text_as_published_without_asking_again(
    client, reviewer, claim_page
):
    client.force_login(reviewer)

    with CaptureQueriesContext(connection) as queries:
        page = text_of(client.get(claim_page))

    assert QUOTE in page and SHOWN_QUOTE not in page
    assert preference_queries(queries) == []


def test_a_choice_made_on_another_device_shows_on_the_next_page(client, reviewer, claim_page):
    client.force_login(reviewer)
    assert QUOTE in text_of(client.get(claim_page))

    # Another session of the same reader: this one's user is read afresh on each request.
    preferences_set_reading(user=get_user_model().objects.get(pk=reviewer.pk), reading="hant_tw")

    assert SHOWN_QUOTE in text_of(client.get(claim_page))


def test_an_inactive_user_is_not_signed_in(reviewer):
    reviewer.is_active = False
    reviewer.save()

    assert UserBackend().get_user(reviewer.pk) is None
    assert UserBackend().get_user(reviewer.pk + 1000) is None


def test_a_reader_signed_in_by_the_backend_of_before_stays_signed_in(client, reviewer):
    from django.apps import apps

    migration = importlib.import_module("core.migrations.0002_sessions_user_backend")
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    page = reverse("claims:claim_list")
    assert not client.get(page).wsgi_request.user.is_authenticated  # not listed any more

    migration.rename_backend(apps, SimpleNamespace(connection=connection))

    assert client.get(page).wsgi_request.user == reviewer


def test_a_reviewers_permissions_own_and_of_their_groups_take_one_query(
    client, reviewer, claim_page
):
    reviewer.user_permissions.add(Permission.objects.get(codename="add_source"))
    client.force_login(reviewer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(claim_page)

    permission_queries = [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    assert len(permission_queries) == 1
    user = response.wsgi_request.user
    assert user.has_perm("claims.add_verdict") and user.has_perm("sources.add_source")
    assert not user.has_perm("claims.change_claim")


def test_the_permissions_read_by_one_query_are_those_django_finds(reviewer, viewer, admin_user):
    reviewer.user_permissions.add(Permission.objects.get(codename="add_source"))
    users = get_user_model().objects

    for user in (reviewer, viewer, admin_user):
        ours = UserBackend().get_all_permissions(users.get(pk=user.pk))
        djangos = ModelBackend().get_all_permissions(users.get(pk=user.pk))
        assert ours == djangos and ours
