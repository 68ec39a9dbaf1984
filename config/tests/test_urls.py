"""Every page of Hecha, found by walking the URLconf, is closed to anonymous users and to
signed-in users who hold no role."""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.html import strip_tags

# Pages an anonymous visitor must reach to sign in at all, and the published fact-checks,
# public by design (claims/tests/test_views_public.py shows they hold nothing unpublished).
OPEN_TO_ANONYMOUS = {
    "login",
    "admin:login",
    "admin:logout",
    "logout",
    "favicon",
    "claims:fact_check_list",
    "claims:fact_check_detail",
    # Choosing the interface language, and its catalogue for scripts, hold no data.
    "set_language",
    "javascript_catalog",
    # Choosing a reading script, which the fact-check pages offer too; it changes nothing
    # but the visitor's own session (core/tests/test_views.py).
    "reading_set",
}
# A number stands in for every captured argument: the login check comes before any lookup.
ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLE = {"int": "7", "str": "7", "slug": "x", "path": "x"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)


def _pages():
    pages = []
    for name, route in _walk(get_resolver().url_patterns):
        if name in OPEN_TO_ANONYMOUS or "^" in route or "(?P" in route:
            continue  # regular-expression routes: simple-history's and the admin's catch-all
        if name.startswith("api:"):
            continue  # the API answers 401 itself, for a token (api/tests/test_authentication.py)
        path = "/" + ARGUMENT.sub(lambda m: SAMPLE.get(m["converter"], "7"), route)
        pages.append(pytest.param(path, id=path))
    return pages


PAGES = _pages()


def test_the_walk_finds_the_pages_of_every_app():
    paths = {param.values[0] for param in PAGES}

    for expected in ("/", "/claims/", "/claims/7/", "/sources/7/edit/", "/crossrefs/", "/export/"):
        assert expected in paths
    assert any(path.startswith("/admin/claims/claim/") for path in paths)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_but_logging_in_sends_anonymous_users_to_log_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    # The admin's own views send visitors to its login form; everything else to Hecha's.
    login, _, query = response.url.partition("?")
    assert login in ("/accounts/login/", "/admin/login/")
    assert query == f"next={quote(path)}"


@pytest.fixture
def no_role_client(client, django_user_model):
    django_user_model.objects.create_superuser(
        username="ada", password="pw-ada", email="ada@example.org", first_name="Ada"
    )
    client.force_login(django_user_model.objects.create_user(username="nora", password="pw-nora"))
    return client


@pytest.mark.parametrize("path", PAGES)
def test_every_page_refuses_an_account_in_no_group_and_says_whom_to_ask(no_role_client, path):
    response = no_role_client.get(path)

    assert response.status_code == 403
    text = " ".join(strip_tags(response.content.decode()).split())
    assert "Your account has no role yet" in text
    assert "add your account, nora, to one of the groups Viewer, Reviewer or Editor" in text
    assert "Ada · ada@example.org" in text
    assert 'aria-label="Main"' not in response.content.decode()  # no menu of refused pages


def test_a_lookup_by_an_account_in_no_group_is_refused_in_json(no_role_client, make_claim):
    make_claim(quote="1751亿元")

    response = no_role_client.get(
        "/claims/lookup/", {"q": "1751"}, headers={"accept": "application/json"}
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": "Your account has no role yet: reading Hecha needs the Viewer role or one above it."
    }


def test_an_account_in_no_group_can_still_log_out(no_role_client):
    response = no_role_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert no_role_client.get("/").status_code == 302  # now anonymous: sent to log in


@pytest.mark.parametrize("role", ["Viewer", "Reviewer", "Editor", "staff"])
def test_every_role_and_staff_read_the_claim_list(client, django_user_model, role):
    from django.contrib.auth.models import Group

    from claims.roles import ensure_role_groups

    user = django_user_model.objects.create_user(username="reader", is_staff=role == "staff")
    if role != "staff":
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)

    response = client.get("/claims/")

    assert response.status_code == 200
    assert "Your account has no role yet" not in response.content.decode()
