"""The signed-in user of a request, read with their preferences."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.roles import EDITOR, REVIEWER, VIEWER, can_read, role_of
from claims.tests.test_views_claims import text_of
from core.backends import UserBackend, group_names
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


def test_a_reviewers_role_and_permissions_take_one_query_together(client, reviewer, claim_page):
    client.force_login(reviewer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(claim_page)

    assert response.status_code == 200
    role_queries = [
        q
        for q in queries.captured_queries
        if "auth_group" in q["sql"] or "auth_permission" in q["sql"]
    ]
    assert len(role_queries) == 1
    user = response.wsgi_request.user
    assert role_of(user) == REVIEWER and user.has_perm("claims.add_verdict")


def test_the_groups_read_with_the_permissions_are_the_users_groups(
    reviewer, viewer, django_user_model
):
    both = django_user_model.objects.create_user("both", password="x")
    both.groups.add(*Group.objects.filter(name__in=[VIEWER, EDITOR]))
    nobody = django_user_model.objects.create_user("nobody", password="x")
    users = django_user_model.objects

    for user in (reviewer, viewer, both, nobody):
        read = users.get(pk=user.pk)
        assert group_names(read) == set(user.groups.values_list("name", flat=True))
    assert role_of(users.get(pk=both.pk)) == EDITOR
    assert not can_read(users.get(pk=nobody.pk))


def test_without_this_backend_the_groups_are_read_on_their_own(reviewer, settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    user = get_user_model().objects.get(pk=reviewer.pk)

    assert group_names(user) == {REVIEWER}
    assert user.has_perm("claims.add_verdict")


def test_a_user_taken_out_of_a_role_loses_it_on_the_next_request(client, reviewer, claim_page):
    client.force_login(reviewer)
    assert client.get(claim_page).status_code == 200

    reviewer.groups.clear()

    refused = client.get(claim_page)
    assert refused.status_code == 403
    assert "Your account has no role yet" in text_of(refused)
